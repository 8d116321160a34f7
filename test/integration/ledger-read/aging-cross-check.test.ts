import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledQuery } from 'kysely';
import { handWrittenAgingReport, handWrittenAgingReportPostgres } from '../../../bench/aging.handwritten';
import { ageInvoices, type AgingBasis } from '../../../src/main/ledger/aging.rules';
import { seedDemoLedger } from '../../../src/main/demo/seed';
import type { AgingCustomerRow, AgingReport } from '../../../src/shared/contract/aging';
import { addDays } from '../../../src/shared/dates';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';
import { LedgerBuilder } from './builder';

const SEEDED_ON = '2026-11-20';
let rt: TestRuntime;

beforeAll(async () => {
  rt = await openTestRuntime({ now: '2026-11-20T15:00:00Z' });
  await seedDemoLedger(rt.ledger, { customers: 300, seed: 2026, asOf: SEEDED_ON });
  // The demo data has no reversals: add some, dated before and after the report dates below.
  const b = new LedgerBuilder(rt.ledger.db);
  const applications = (
    await rawSql(rt.ledger).all<{ id: number }>(`SELECT id FROM applications WHERE source = 'credit' AND amount_cents > 0 ORDER BY id LIMIT 6`)
  ).map((r) => r.id);
  expect(applications).toHaveLength(6);
  for (const [i, id] of applications.entries()) await b.reversal(id, addDays(SEEDED_ON, i % 2 === 0 ? -20 : 3));
  await b.finish();
});

afterAll(async () => {
  await rt.dispose();
});

/** The one hand-written SQL query of the engine this run is on (the benchmark's yardstick). */
async function handWritten(asOf: string, basis: AgingBasis): Promise<AgingReport> {
  if (rt.ledger.dialect === 'sqlite') return handWrittenAgingReport(rt.ledger.sqlite, asOf, basis);
  // Through the ledger's own connection, so its type parsers turn sums into numbers.
  return handWrittenAgingReportPostgres(
    { query: async (text: string, params: unknown[]) => ({ rows: (await rt.ledger.db.executeQuery(CompiledQuery.raw(text, params))).rows }) },
    asOf,
    basis,
  );
}

/**
 * The same report computed the slow, obvious way: every row read into memory, open amounts
 * summed per invoice, buckets by the pure aging rules. No index tricks, no reliance on status.
 */
async function agingFromRawRows(asOf: string, basis: AgingBasis): Promise<AgingReport> {
  const s = rawSql(rt.ledger);
  // Both engines sort customer numbers byte-wise (PostgreSQL's text columns are COLLATE "C").
  const customers = await s.all<{ id: number; customer_number: string; legal_name: string }>(
    'SELECT id, customer_number, legal_name FROM customers ORDER BY customer_number',
  );
  const invoices = await s.all<{
    id: number;
    customer_id: number;
    issue_date: string;
    due_date: string;
    total_cents: number;
    status: string;
    disputed: number;
  }>('SELECT id, customer_id, issue_date, due_date, total_cents, status, disputed FROM invoices');
  const applications = await s.all<{ invoice_id: number; credit_id: number | null; amount_cents: number; applied_on: string }>(
    'SELECT invoice_id, credit_id, amount_cents, applied_on FROM applications',
  );
  const credits = await s.all<{ id: number; customer_id: number; issue_date: string; amount_cents: number }>(
    'SELECT id, customer_id, issue_date, amount_cents FROM credit_memos',
  );
  const appliedTo = new Map<number, number>();
  const usedOf = new Map<number, number>();
  for (const a of applications) {
    if (a.applied_on > asOf) continue;
    appliedTo.set(a.invoice_id, (appliedTo.get(a.invoice_id) ?? 0) + a.amount_cents);
    if (a.credit_id !== null) usedOf.set(a.credit_id, (usedOf.get(a.credit_id) ?? 0) + a.amount_cents);
  }
  const rows: AgingCustomerRow[] = [];
  for (const c of customers) {
    const open = invoices
      .filter((i) => i.customer_id === c.id && i.status !== 'void')
      .map((i) => ({ ...i, openCents: i.total_cents - (appliedTo.get(i.id) ?? 0) }))
      .filter((i) => i.openCents !== 0);
    const buckets = ageInvoices(
      asOf,
      basis,
      open.map((i) => ({ issueDate: i.issue_date, dueDate: i.due_date, openCents: i.openCents })),
    );
    const total = buckets.current + buckets.days_1_30 + buckets.days_31_60 + buckets.days_61_90 + buckets.days_over_90;
    const unapplied = credits
      .filter((cr) => cr.customer_id === c.id && cr.issue_date <= asOf)
      .reduce((sum, cr) => sum + cr.amount_cents - (usedOf.get(cr.id) ?? 0), 0);
    const disputed = open.filter((i) => i.disputed === 1 && i.issue_date <= asOf).reduce((sum, i) => sum + i.openCents, 0);
    if (total === 0 && unapplied === 0) continue;
    rows.push({ customer_number: c.customer_number, legal_name: c.legal_name, ...buckets, total, unapplied_credits_cents: unapplied, disputed_cents: disputed });
  }
  const totals = { current: 0, days_1_30: 0, days_31_60: 0, days_61_90: 0, days_over_90: 0, total: 0, unapplied_credits_cents: 0 };
  for (const r of rows) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r[k];
  return { asOf, basis, totals, customers: rows };
}

describe('the aging report on a seeded 300-customer ledger', () => {
  const dates = [SEEDED_ON, addDays(SEEDED_ON, 10), addDays(SEEDED_ON, -10), addDays(SEEDED_ON, -45), addDays(SEEDED_ON, -200), addDays(SEEDED_ON, -400)];
  for (const basis of ['due', 'invoice'] as const) {
    it(`gives the same figures as the hand-written SQL and as the raw rows, ${basis} basis`, async () => {
      for (const asOf of dates) {
        const ours = await rt.core.aging.report({ asOf, basis });
        expect(ours.customers.length, asOf).toBeGreaterThan(0);
        expect(ours, `hand-written SQL, as of ${asOf}`).toEqual(await handWritten(asOf, basis));
        expect(ours, `raw rows, as of ${asOf}`).toEqual(await agingFromRawRows(asOf, basis));
      }
    });
  }

  it('finds money that was open on a past date on invoices that are paid today', async () => {
    const asOf = addDays(SEEDED_ON, -200);
    const paidToday = (await rawSql(rt.ledger).get<{ n: number }>(
      `SELECT count(*) AS n FROM invoices i WHERE i.status = 'paid' AND i.issue_date <= ?
         AND EXISTS (SELECT 1 FROM applications a WHERE a.invoice_id = i.id AND a.applied_on > ?)`,
      asOf,
      asOf,
    ))!.n;
    expect(paidToday).toBeGreaterThan(0);
    const report = await rt.core.aging.report({ asOf });
    expect(report.totals.total).toBeGreaterThan(0);
  });
});
