import { z } from 'zod';
import { channel } from './define';
import type { SignedInDto } from './auth';

export interface AppInfo {
  appName: string;
  version: string;
  ledgerPath: string;
  schemaVersion: number;
  schemaMigration: string;
  gatewayName: string;
  testMode: boolean;
  /** The signed-in person's username; '' before sign-in. */
  actor: string;
  /** The signed-in person, for the footer; null before sign-in. */
  staff?: SignedInDto | null;
  /** This installation's stable id, written on every audit row (Settings shows it). */
  workstation: string;
}

export const appChannels = {
  'app.info': channel<AppInfo>()(z.strictObject({})),
};
