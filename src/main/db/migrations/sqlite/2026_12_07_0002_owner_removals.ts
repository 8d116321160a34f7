import type { Kysely } from 'kysely';

/**
 * On PostgreSQL this version adds the owner's functions through which the workstations' role
 * removes the few rows it removes (../postgres/2026_12_07_0002_owner_removals.ts). A SQLite file
 * has no roles: the workstation deletes the same rows itself (db/removals.ts), so nothing changes
 * here. Kept so both engines carry the same versions.
 */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
