import { CompiledQuery } from 'kysely';
import type { Ledger } from '../../src/main/db/connection';

/**
 * Plain SQL against the test's ledger on either engine, for assertions on rows and for writes a
 * test makes behind the app's back. Parameters are written `?` as in SQLite; on PostgreSQL they
 * become $1, $2… (no test query has a literal question mark).
 */
export interface RawSql {
  all<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T[]>;
  get<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T | undefined>;
  run(text: string, ...params: unknown[]): Promise<number>;
}

export function rawSql(ledger: Pick<Ledger, 'db' | 'dialect'>): RawSql {
  const compile = (text: string, params: unknown[]) => {
    let n = 0;
    const sqlText = ledger.dialect === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text;
    return CompiledQuery.raw(sqlText, params);
  };
  return {
    async all<T>(text: string, ...params: unknown[]) {
      return (await ledger.db.executeQuery<T>(compile(text, params))).rows;
    },
    async get<T>(text: string, ...params: unknown[]) {
      return (await ledger.db.executeQuery<T>(compile(text, params))).rows[0];
    },
    async run(text: string, ...params: unknown[]) {
      const r = await ledger.db.executeQuery(compile(text, params));
      return Number(r.numAffectedRows ?? 0n);
    },
  };
}

/** A constraint or trigger refusal, in either engine's words. */
export const CHECK_FAILED = /CHECK constraint failed|violates check constraint/;
