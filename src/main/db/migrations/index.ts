import type { Migration } from 'kysely/migration';
import * as m0001 from './2026_11_22_0001_ledger';

/**
 * Every migration, in order, imported statically so the bundled main process carries them.
 * Append new ones; never edit or reorder a released one.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_22_0001_ledger': m0001,
};
