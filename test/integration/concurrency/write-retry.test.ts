/**
 * On PostgreSQL a write transaction that loses a deadlock (40P01) or a serialization check (40001)
 * is rolled back by the server; writeTx runs it again, a bounded number of times (5). Provoked here
 * for real: two transactions locking two customers in opposite orders, and a function raising the
 * server's own error codes. SQLite has one writer at a time and never raises either.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTx } from '../../../src/main/db/dialect';
import { testEngine } from '../../helpers/engine';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';

describe.skipIf(testEngine !== 'postgres')('write transactions retried on PostgreSQL', () => {
  let rt: TestRuntime;
  beforeEach(async () => {
    rt = await openTestRuntime();
    await rawSql(rt.ledger).run('CREATE TABLE retry_probe (who text NOT NULL, attempt integer NOT NULL)');
    for (const n of ['CL9001', 'CL9002']) {
      await rawSql(rt.ledger).run(`INSERT INTO customers (customer_number, legal_name, name_search, terms_days, created_at, updated_at) VALUES ('${n}', 'Retry ${n}', 'retry', 30, '2026-11-20T15:00:00Z', '2026-11-20T15:00:00Z')`);
    }
  });
  afterEach(async () => {
    await rt.dispose();
  });

  const probeRows = async () => (await rawSql(rt.ledger).all<{ who: string; attempt: number }>('SELECT who, attempt FROM retry_probe ORDER BY who, attempt')).map((r) => [r.who, Number(r.attempt)]);

  it('a deadlock: the transaction the server aborts runs again and both commit once', async () => {
    const ids = (await rawSql(rt.ledger).all<{ id: number }>("SELECT id FROM customers WHERE customer_number IN ('CL9001', 'CL9002') ORDER BY customer_number")).map((r) => Number(r.id));
    // Both hold their first lock before either asks for its second: a deadlock every time.
    let arrived = 0;
    let release!: () => void;
    const bothLocked = new Promise<void>((r) => (release = r));
    const attempts = { a: 0, b: 0 };
    const crossing = (who: 'a' | 'b', first: number, second: number) =>
      writeTx(rt.ledger.db, async (trx) => {
        const attempt = ++attempts[who];
        await sql`SELECT id FROM customers WHERE id = ${first} FOR UPDATE`.execute(trx);
        if (attempt === 1 && ++arrived === 2) release();
        if (attempt === 1) await bothLocked;
        await sql`SELECT id FROM customers WHERE id = ${second} FOR UPDATE`.execute(trx);
        await sql`INSERT INTO retry_probe (who, attempt) VALUES (${who}, ${attempt})`.execute(trx);
        return attempt;
      });
    const done = await Promise.all([crossing('a', ids[0]!, ids[1]!), crossing('b', ids[1]!, ids[0]!)]);
    // One of them was chosen by the server as the deadlock's victim and committed at its second try.
    expect([...done].sort()).toEqual([1, 2]);
    expect(attempts.a + attempts.b).toBe(3);
    // Each wrote its row once: the aborted attempt's row was rolled back with it.
    const rows = await probeRows();
    expect(rows.map((r) => r[0])).toEqual(['a', 'b']);
    expect(rows.map((r) => r[1]).sort()).toEqual([1, 2]);
  });

  it('a serialization failure every time: five attempts, then the error, and nothing written', async () => {
    let attempts = 0;
    const failing = writeTx(rt.ledger.db, async (trx) => {
      attempts++;
      await sql`INSERT INTO retry_probe (who, attempt) VALUES ('s', ${attempts})`.execute(trx);
      await sql`DO $$ BEGIN RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001'; END $$`.execute(trx);
    });
    await expect(failing).rejects.toMatchObject({ code: '40001' });
    expect(attempts).toBe(5);
    expect(await probeRows()).toEqual([]);
  });

  it('a serialization failure once: the second attempt commits', async () => {
    let attempts = 0;
    const result = await writeTx(rt.ledger.db, async (trx) => {
      attempts++;
      await sql`INSERT INTO retry_probe (who, attempt) VALUES ('s', ${attempts})`.execute(trx);
      if (attempts === 1) await sql`DO $$ BEGIN RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001'; END $$`.execute(trx);
      return 'posted';
    });
    expect(result).toBe('posted');
    expect(await probeRows()).toEqual([['s', 2]]);
  });

  it('any other error is not retried: a unique violation runs once', async () => {
    let attempts = 0;
    const failing = writeTx(rt.ledger.db, async (trx) => {
      attempts++;
      await sql`DO $$ BEGIN RAISE EXCEPTION 'duplicate key' USING ERRCODE = '23505'; END $$`.execute(trx);
    });
    await expect(failing).rejects.toMatchObject({ code: '23505' });
    expect(attempts).toBe(1);
  });
});
