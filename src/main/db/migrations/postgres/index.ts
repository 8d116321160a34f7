import type { Migration } from 'kysely/migration';

/**
 * The PostgreSQL ledger's migrations: the same names, in the same order, as the SQLite set
 * (../sqlite/index.ts), each making the same tables, columns, constraints, indexes and
 * append-only triggers in PostgreSQL's words. The parity test compares the two schemas.
 * Append new ones; never edit or reorder a released one.
 */
export const postgresMigrations: Record<string, Migration> = {};
