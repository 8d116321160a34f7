/**
 * readTx reads one snapshot of the ledger on PostgreSQL: a change another connection commits in
 * the middle is not seen by the transaction's later reads, and the transaction cannot write.
 * (SQLite's deferred transaction on its one connection has nothing else writing in between.)
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTx } from '../../../src/main/db/dialect';
import type { Db } from '../../../src/main/db/types';
import { testEngine } from '../../helpers/engine';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';

describe.skipIf(testEngine !== 'postgres')('read transactions on PostgreSQL', () => {
  let rt: TestRuntime;
  beforeEach(async () => {
    rt = await openTestRuntime();
    await rawSql(rt.ledger).run(
      "INSERT INTO customers (customer_number, legal_name, name_search, terms_days, created_at, updated_at) VALUES ('CL9101', 'Before Bakery', 'before bakery', 30, '2026-11-20T15:00:00Z', '2026-11-20T15:00:00Z')",
    );
  });
  afterEach(async () => {
    await rt.dispose();
  });

  const nameOf = async (db: Db) =>
    (await sql<{ legal_name: string }>`SELECT legal_name FROM customers WHERE customer_number = 'CL9101'`.execute(db)).rows[0]!.legal_name;

  it('keeps the snapshot of its first read while another connection commits a change', async () => {
    const seen = await readTx(rt.ledger.db, async (trx) => {
      const first = await nameOf(trx);
      // Another connection of the pool, committed at once.
      await sql`UPDATE customers SET legal_name = 'After Bakery' WHERE customer_number = 'CL9101'`.execute(rt.ledger.db);
      return [first, await nameOf(trx)];
    });
    expect(seen).toEqual(['Before Bakery', 'Before Bakery']);
    expect(await nameOf(rt.ledger.db)).toBe('After Bakery');
  });

  it('refuses a write inside it', async () => {
    await expect(
      readTx(rt.ledger.db, (trx) => sql`UPDATE customers SET legal_name = 'Written' WHERE customer_number = 'CL9101'`.execute(trx)),
    ).rejects.toMatchObject({ code: '25006' });
    expect(await nameOf(rt.ledger.db)).toBe('Before Bakery');
  });
});
