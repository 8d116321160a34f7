import type { Migration } from 'kysely/migration';
import { migrations as sqliteMigrations } from './sqlite';
import { postgresMigrations } from './postgres';

export type Dialect = 'sqlite' | 'postgres';

/** The SQLite ledger's migrations (the embedded default). */
export const migrations = sqliteMigrations;
export { sqliteMigrations, postgresMigrations };

/** Every schema change comes for both engines, under the same names. */
export function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return dialect === 'postgres' ? postgresMigrations : sqliteMigrations;
}
