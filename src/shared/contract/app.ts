import { z } from 'zod';
import { channel } from './define';

export interface AppInfo {
  appName: string;
  version: string;
  ledgerPath: string;
  schemaVersion: number;
  schemaMigration: string;
  gatewayName: string;
  testMode: boolean;
  actor: string;
}

export const appChannels = {
  'app.info': channel<AppInfo>()(z.strictObject({})),
};
