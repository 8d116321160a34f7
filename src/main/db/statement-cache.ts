import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * The SQLite connection as Kysely's driver sees it, with each SQL text prepared once and the
 * statement kept: Kysely prepares every query it runs, and at a payment's few dozen statements the
 * preparing alone was about a tenth of the time. Kysely runs a statement to its end (all or run)
 * before the next, so one statement per text is enough. When `max` texts are kept (queries with
 * lists of varying length are texts of their own) the cache starts over; the old statements are
 * finalized when collected. A schema change (a migration, an import's index rebuild) needs nothing:
 * SQLite prepares a kept statement again by itself when the schema it was made for changed.
 */
export function preparingOnce(sqlite: Database.Database, max = 1000): SqliteDatabase {
  let kept = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      let statement = kept.get(sql);
      if (statement === undefined) {
        statement = sqlite.prepare(sql) as unknown as SqliteStatement;
        if (kept.size >= max) kept = new Map();
        kept.set(sql, statement);
      }
      return statement;
    },
    close(): void {
      kept = new Map();
      sqlite.close();
    },
  };
}
