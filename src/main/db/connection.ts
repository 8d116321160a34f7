import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { preparingOnce } from './statement-cache';
import { Kysely, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';
import { Migrator, type MigrationProvider, type Migration } from 'kysely/migration';
import { AppError } from '../../shared/errors';
import { inspectLedgerFile, knownHealth, quickCheckNow, startQuickCheck, type LedgerHealth } from './ledger-check';
import { migrations, migrationsFor, type Dialect } from './migrations';
import {
  appliedMigrationNames,
  openPostgresKysely,
  ownsDatabase,
  parseDatabaseUrl,
  redactDatabaseUrl,
  describeConnectError,
  type PostgresPoolOptions,
} from './postgres';
import type { DB } from './schema';
import { listenOn, type ListenEvents, type Listener, type ListenOptions } from './listener';

export type LedgerKysely = Kysely<DB>;

export interface SchemaState {
  /** How many migrations have been applied. */
  version: number;
  /** Name of the latest applied migration. */
  migration: string;
}

export interface Ledger {
  /** Which engine holds the ledger: the workstation's SQLite file or the office's PostgreSQL server. */
  readonly dialect: Dialect;
  /** The SQLite file, or the server's address without its password. */
  readonly path: string;
  readonly db: LedgerKysely;
  /**
   * The raw SQLite connection, for pragmas, backups and checks that Kysely has no words for.
   * Only on the SQLite engine: on PostgreSQL reading it throws.
   */
  readonly sqlite: Database.Database;
  readonly schema: SchemaState;
  /** The start-up check of the file (ledger-check.ts); money is posted only on a sound ledger. */
  readonly health: LedgerHealth;
  /**
   * PostgreSQL only: a dedicated connection LISTENing on `channel` that reconnects by itself
   * (listener.ts); closed with the ledger at the latest.
   */
  readonly listen?: (channel: string, events: ListenEvents, options?: ListenOptions) => Listener;
  close(): Promise<void>;
}

/** SQLite can roll back DDL, so let the migrator wrap each migration and its bookkeeping row in one transaction. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * On some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY…) SQLite may end the whole transaction
 * itself. The ROLLBACK that follows would then fail with "cannot rollback - no transaction is
 * active" and that error, not SQLite's own, would reach the caller and the log: it is skipped.
 */
class LedgerDriver extends SqliteDriver {
  readonly #sqlite: Database.Database;

  constructor(sqlite: Database.Database) {
    super({ database: preparingOnce(sqlite) });
    this.#sqlite = sqlite;
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.#sqlite.inTransaction) return;
    await super.rollbackTransaction(connection);
  }
}

class LedgerDialect extends SqliteDialect {
  readonly #sqlite: Database.Database;

  constructor(sqlite: Database.Database) {
    super({ database: sqlite });
    this.#sqlite = sqlite;
  }

  override createDriver(): Driver {
    return new LedgerDriver(this.#sqlite);
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

const providerFor = (dialect: Dialect): MigrationProvider => ({
  getMigrations: async (): Promise<Record<string, Migration>> => migrationsFor(dialect),
});

export const KNOWN_MIGRATIONS = Object.keys(migrations).sort();

/**
 * Refuses a ledger written by a newer AR Desk before anything touches the file:
 * it is opened read-only and closed again.
 */
export function assertNotNewer(file: string): void {
  if (file === ':memory:' || !fs.existsSync(file) || fs.statSync(file).size === 0) return;
  // A read-only reader of a WAL file may leave empty -wal/-shm files behind: remove the ones it created.
  const sidecars = [`${file}-wal`, `${file}-shm`].filter((f) => !fs.existsSync(f));
  const ro = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const hasTable = ro
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`)
      .get();
    if (!hasTable) return;
    const applied = (ro.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]).map(
      (r) => r.name,
    );
    const unknown = applied.filter((name) => !migrations[name]);
    if (unknown.length > 0) {
      throw new AppError(
        'SCHEMA_TOO_NEW',
        `The ledger ${file} was written by a newer version of AR Desk (schema ${applied.length}, ` +
          `latest change ${applied[applied.length - 1]}); this version knows schema ${KNOWN_MIGRATIONS.length}. ` +
          'Install the newer AR Desk to open it. The file was not changed.',
        { file, applied: applied.length, known: KNOWN_MIGRATIONS.length, unknown },
      );
    }
  } finally {
    ro.close();
    for (const f of sidecars) {
      if (fs.existsSync(f) && fs.statSync(f).size === 0) fs.rmSync(f);
    }
  }
}

export function openSqlite(file: string): Database.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // A write statement of many rows inside a transaction keeps the original of every page it changes
  // in a statement journal, to undo just that statement; on disk (the default) that is a write to a
  // temporary file per page per statement, over a million of them in an import of 200,000 invoices.
  // In memory it is a copy, as large as the pages one statement touches. Set before any temporary
  // object exists: changing it later drops them.
  sqlite.pragma('temp_store = MEMORY');
  return sqlite;
}

async function migrateToLatest(db: LedgerKysely, dialect: Dialect = 'sqlite'): Promise<SchemaState> {
  const migrator = new Migrator({ db, provider: providerFor(dialect) });
  // One step at a time, so each migration commits (with its bookkeeping row) in its own transaction.
  for (;;) {
    const { error, results } = await migrator.migrateUp();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      // A role without the right to change the schema is a configuration problem, told as such by the caller.
      if ((error as { code?: unknown }).code === '42501') throw error;
      throw new AppError('INTERNAL', `Migration ${failed} failed: ${(error as Error).message}`, { migration: failed });
    }
    if (!results || results.length === 0) break;
  }
  const applied = (await migrator.getMigrations()).filter((m) => m.executedAt !== undefined);
  return { version: applied.length, migration: applied[applied.length - 1]?.name ?? '' };
}

/** Opens (creating if needed) and migrates the ledger at `file`. */
export async function openLedger(file: string): Promise<Ledger> {
  const found = inspectLedgerFile(file);
  assertNotNewer(file);
  // An upgrade writes to the file: the whole file is checked first, and a damaged one is not upgraded.
  const beforeUpgrade = found.kind === 'ledger' && found.applied.length < KNOWN_MIGRATIONS.length ? quickCheckNow(file) : null;
  if (beforeUpgrade && !beforeUpgrade.ok) {
    throw new AppError(
      'UNAVAILABLE',
      `The ledger ${file} is damaged (${beforeUpgrade.problems[0]}), so AR Desk did not upgrade or open it and left it ` +
        'exactly as it is. Restore the ledger from your latest backup.',
      { file, reason: 'ledger-damaged', problems: beforeUpgrade.problems },
    );
  }
  const sqlite = openSqlite(file);
  const db = new Kysely<DB>({ dialect: new LedgerDialect(sqlite) });
  let schema: SchemaState;
  try {
    schema = await migrateToLatest(db);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  const health = beforeUpgrade ? knownHealth(beforeUpgrade) : found.kind === 'ledger' ? startQuickCheck(file) : knownHealth({ ok: true });
  return {
    dialect: 'sqlite',
    path: file === ':memory:' ? file : path.resolve(file),
    db,
    sqlite,
    schema,
    health,
    close: () => {
      health.stop();
      return db.destroy();
    },
  };
}

/** Where the ledger is: the SQLite file, unless an office database URL is given. */
export interface LedgerTarget {
  file: string;
  databaseUrl?: string | undefined;
  pool?: PostgresPoolOptions;
  /**
   * PostgreSQL only. Pending migrations are applied only by the role that owns the database (the
   * office's IT person running `migrate`); any other role (the workstations') gets a plain refusal.
   * False refuses them whoever connects (the checks, which never change the ledger).
   */
  migrate?: boolean;
}

export function openLedgerAt(target: LedgerTarget): Promise<Ledger> {
  return target.databaseUrl ? openPostgresLedger(target.databaseUrl, target) : openLedger(target.file);
}

export function refuseNewer(applied: string[], where: string, dialect: Dialect): void {
  const known = migrationsFor(dialect);
  const unknown = applied.filter((name) => !known[name]);
  if (unknown.length === 0) return;
  throw new AppError(
    'SCHEMA_TOO_NEW',
    `The ledger at ${where} was written by a newer version of AR Desk (schema ${applied.length}, latest change ` +
      `${applied[applied.length - 1]}); this version knows schema ${Object.keys(known).length}. Install the newer AR Desk on this ` +
      'workstation. Nothing was changed.',
    { where, applied: applied.length, known: Object.keys(known).length, unknown },
  );
}

/**
 * Opens the office ledger on a PostgreSQL server and, when the connecting role owns the database,
 * brings its schema up to date under the migrator's lock (ten of them starting at once migrate
 * once). The workstations' role never migrates: pending changes are refused with what to do. A
 * server that cannot be reached, a refused password, a ledger from a newer AR Desk or a role
 * without the rights gets a plain message and nothing is changed.
 */
export async function openPostgresLedger(url: string, options: Omit<LedgerTarget, 'file' | 'databaseUrl'> = {}): Promise<Ledger> {
  const target = parseDatabaseUrl(url);
  const where = redactDatabaseUrl(url);
  const { db } = await openPostgresKysely(target, options.pool);
  let schema: SchemaState;
  try {
    const applied = await appliedMigrationNames(db);
    refuseNewer(applied, where, 'postgres');
    const pending = Object.keys(migrationsFor('postgres')).filter((name) => !applied.includes(name));
    if (pending.length > 0 && (options.migrate === false || !(await ownsDatabase(db)))) {
      const who = options.migrate === false ? 'which this command never makes' : `that the user "${target.user}" may not make: only the database's owner changes the schema`;
      throw new AppError(
        'UNAVAILABLE',
        `The ledger at ${where} needs ${pending.length} schema change(s) (${pending[0]}…), ${who}. ` +
          'Ask the office\'s IT person to run "npm run cli -- migrate --database-url OWNER_URL" as the database owner. Nothing was changed.',
        { where, reason: 'migration-pending', pending },
      );
    }
    schema =
      pending.length > 0
        ? await migrateToLatest(db, 'postgres')
        : { version: applied.length, migration: applied[applied.length - 1] ?? '' };
  } catch (e) {
    await db.destroy();
    throw e instanceof AppError ? e : describeConnectError(e, target);
  }
  const health = knownHealth({ ok: true });
  const listeners = new Set<Listener>();
  return {
    dialect: 'postgres',
    path: where,
    db,
    get sqlite(): Database.Database {
      throw new AppError('INTERNAL', 'The SQLite connection was asked for on a PostgreSQL ledger.');
    },
    schema,
    health,
    listen: (channel, events, listenOptions) => {
      const listener = listenOn(target, channel, events, listenOptions);
      listeners.add(listener);
      return {
        get connected() {
          return listener.connected;
        },
        close: () => {
          listeners.delete(listener);
          return listener.close();
        },
      };
    },
    close: async () => {
      await Promise.all([...listeners].map((l) => l.close()));
      listeners.clear();
      await db.destroy();
    },
  };
}
