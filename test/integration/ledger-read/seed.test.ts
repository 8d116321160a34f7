import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditInvariants } from '../../../src/main/ledger/invariants';
import { customerSearchWords, normalizeForSearch, phoneDigits } from '../../../src/main/ledger/search.rules';
import { seedDemoLedger, type SeedSummary } from '../../../src/main/demo/seed';
import { computeInvoiceTotals } from '../../../src/main/ledger/tax.rules';
import { AppError } from '../../../src/shared/errors';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';

const AS_OF = '2026-11-20';
let rt: TestRuntime;
let summary: SeedSummary;

beforeAll(async () => {
  rt = await openTestRuntime({ now: '2026-11-20T15:00:00Z' });
  summary = await seedDemoLedger(rt.ledger, { customers: 150, seed: 7, asOf: AS_OF, actor: 'dana' });
});

afterAll(async () => {
  await rt.dispose();
});

// Plain SQL both engines read alike, on the ledger of the run (SQLite or PostgreSQL).
function all<T>(text: string, ...params: unknown[]): Promise<T[]> {
  return rawSql(rt.ledger).all<T>(text, ...params);
}
async function one<T>(text: string, ...params: unknown[]): Promise<T> {
  return (await rawSql(rt.ledger).get<T>(text, ...params))!;
}

describe('the demo ledger', () => {
  it('satisfies every ledger invariant and every foreign key', async () => {
    expect(await auditInvariants(rt.ledger.db)).toEqual([]);
    // PostgreSQL checks every foreign key as the rows go in; SQLite is asked.
    if (rt.ledger.dialect === 'sqlite') expect(await all('PRAGMA foreign_key_check')).toEqual([]);
  });

  it('reports what it wrote', async () => {
    const count = async (table: string) => (await one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)).n;
    expect(summary).toMatchObject({
      seed: 7,
      asOf: AS_OF,
      customers: 150,
      invoices: await count('invoices'),
      invoiceLines: await count('invoice_lines'),
      payments: await count('payments'),
      applications: await count('applications'),
      creditMemos: await count('credit_memos'),
    });
    expect(await count('customers')).toBe(150);
    // About 20 invoices per customer, so 50,000 customers make about a million.
    expect(summary.invoices / summary.customers).toBeGreaterThan(15);
    expect(summary.invoices / summary.customers).toBeLessThan(25);
    expect((await one<{ n: number }>(`SELECT count(*) AS n FROM invoices WHERE status = 'open'`)).n).toBe(summary.openInvoices);
    expect(summary.cancelledCustomers).toBe((await one<{ n: number }>(`SELECT count(*) AS n FROM customers WHERE status = 'cancelled'`)).n);
    expect(summary.cancelledCustomers).toBeGreaterThan(0);
    expect(summary.disputedInvoices).toBeGreaterThan(0);
    expect(summary.voidInvoices).toBeGreaterThan(0);
  });

  it('writes one audit row for the run', async () => {
    const rows = await all<{ action: string; actor: string; entity: string; summary: string }>('SELECT action, actor, entity, summary FROM audit_log');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'seed', actor: 'dana', entity: 'ledger' });
    expect(JSON.parse(rows[0]!.summary)).toEqual(summary);
  });

  it('gives customers unique numbers and the lookup columns the customers service would', async () => {
    const customers = await all<{ id: number; customer_number: string; legal_name: string; name_search: string; billing_contact: string | null; phone: string | null; phone_digits: string | null; email: string | null }>(
      'SELECT id, customer_number, legal_name, name_search, billing_contact, phone, phone_digits, email FROM customers',
    );
    expect(new Set(customers.map((c) => c.customer_number)).size).toBe(customers.length);
    const words = await all<{ customer_id: number; word: string }>('SELECT customer_id, word FROM customer_name_words ORDER BY customer_id, word');
    for (const c of customers) {
      expect(c.customer_number).toMatch(/^[A-Z]{2}[0-9]{4,5}$/);
      expect(c.name_search).toBe(normalizeForSearch(c.legal_name));
      expect(c.phone_digits).toBe(c.phone === null ? null : phoneDigits(c.phone));
      if (c.email !== null) expect(c.email).toMatch(/^[a-z0-9.]+@[a-z0-9]+\.example$/);
      expect(words.filter((w) => w.customer_id === c.id).map((w) => w.word)).toEqual(
        [...customerSearchWords({ legalName: c.legal_name, billingContact: c.billing_contact, email: c.email })].sort(),
      );
    }
    // Some names carry accents, and phones come in more than one format.
    expect(customers.some((c) => /[À-ÿ]/.test(c.legal_name))).toBe(true);
    expect(new Set(customers.filter((c) => c.phone).map((c) => c.phone!.replace(/[0-9]/g, '9'))).size).toBeGreaterThan(2);
  });

  it('bills monthly, quarterly, semi-annually and annually in advance, with the tax rule applied to the lines', async () => {
    const frequencies = (await all<{ billing_frequency: string }>('SELECT DISTINCT billing_frequency FROM invoices ORDER BY 1')).map((r) => r.billing_frequency);
    expect(frequencies).toEqual(['annual', 'monthly', 'quarterly', 'semiannual']);
    const invoices = await all<{ id: number; issue_date: string; due_date: string; period_start: string; period_end: string; tax_rate_bp: number; subtotal_cents: number; tax_cents: number; tax_exempt: number }>(
      `SELECT i.id, i.issue_date, i.due_date, i.period_start, i.period_end, i.tax_rate_bp, i.subtotal_cents, i.tax_cents, c.tax_exempt
       FROM invoices i JOIN customers c ON c.id = i.customer_id`,
    );
    const lines = await all<{ invoice_id: number; quantity: number; unit_price_cents: number; amount_cents: number; taxable: number }>(
      'SELECT invoice_id, quantity, unit_price_cents, amount_cents, taxable FROM invoice_lines ORDER BY invoice_id, line_no',
    );
    const byInvoice = new Map<number, typeof lines>();
    for (const l of lines) byInvoice.set(l.invoice_id, [...(byInvoice.get(l.invoice_id) ?? []), l]);
    for (const inv of invoices) {
      const own = byInvoice.get(inv.id)!;
      expect(own.length).toBeGreaterThanOrEqual(1);
      expect(own.length).toBeLessThanOrEqual(3);
      const totals = computeInvoiceTotals(
        own.map((l) => ({ quantity: l.quantity, unitPriceCents: l.unit_price_cents, taxable: l.taxable === 1 })),
        inv.tax_rate_bp,
        inv.tax_exempt === 1,
      );
      expect([inv.subtotal_cents, inv.tax_cents]).toEqual([totals.subtotalCents, totals.taxCents]);
      expect(inv.issue_date <= AS_OF).toBe(true);
      expect(inv.period_start).toBe(inv.issue_date);
      expect(inv.period_end > inv.period_start).toBe(true);
      expect(inv.due_date >= inv.issue_date).toBe(true);
    }
    expect(invoices.some((i) => i.tax_cents > 0)).toBe(true);
  });

  it('has money open in every aging bucket, disputed invoices, and credits used in full, in part and not at all', async () => {
    const report = await rt.core.aging.report({ asOf: AS_OF });
    for (const bucket of ['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90'] as const) {
      expect(report.totals[bucket], bucket).toBeGreaterThan(0);
    }
    expect(report.customers.some((c) => c.disputed_cents > 0)).toBe(true);
    const credits = await all<{ amount_cents: number; used: number }>(
      `SELECT c.amount_cents, coalesce((SELECT sum(a.amount_cents) FROM applications a WHERE a.credit_id = c.id), 0) AS used FROM credit_memos c`,
    );
    expect(credits.some((c) => c.used === c.amount_cents)).toBe(true);
    expect(credits.some((c) => c.used > 0 && c.used < c.amount_cents)).toBe(true);
    expect(credits.some((c) => c.used === 0)).toBe(true);
    // Paid history: nothing is applied after the as-of date, and old invoices are mostly paid.
    expect((await one<{ n: number }>(`SELECT count(*) AS n FROM applications WHERE applied_on > ?`, AS_OF)).n).toBe(0);
    const yearBefore = `${Number(AS_OF.slice(0, 4)) - 1}${AS_OF.slice(4)}`;
    const old = await one<{ open: number; all: number }>(
      `SELECT sum(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open, count(*) AS "all" FROM invoices WHERE issue_date < ?`,
      yearBefore,
    );
    expect(old.open / old.all).toBeLessThan(0.05);
  });

  it('includes the well-known demo customers with their documented balances', async () => {
    const harbor = await rt.core.aging.customer({ customerNumber: 'CL1042', asOf: AS_OF });
    expect(harbor.customer.legal_name).toBe('Harbor Lane Dental LLC');
    expect(harbor.invoices.map((i) => [i.bucket, i.openCents])).toEqual([
      ['days_over_90', 22700],
      ['days_61_90', 22700],
      ['days_31_60', 22700],
      ['days_1_30', 22700],
      ['current', 22700],
    ]);
    expect(harbor.credits.map((c) => [c.amountCents, c.remainingCents])).toEqual([[7500, 7500]]);
    const found = await rt.core.lookup.search({ query: '555-0142' });
    expect(found.results.map((r) => [r.customerNumber, r.phone, r.openCents, r.pastDueCents])).toEqual([
      ['CL1042', '(503) 555-0142', 113500, 90800],
    ]);
    const cafe = await rt.core.aging.customer({ customerNumber: 'TO0007', asOf: AS_OF });
    expect(cafe.customer.legal_name).toBe('Café Rouge');
    expect(cafe.invoices.map((i) => i.bucket)).toEqual(['current']);
    const akesson = await rt.core.aging.customer({ customerNumber: 'AK5521', asOf: AS_OF });
    expect(akesson.invoices.map((i) => [i.bucket, i.disputed])).toEqual([['days_31_60', true]]);
  });

  it('moves the number counters past the seeded invoices and credits', async () => {
    const created = await rt.core.invoices.create(
      { customerNumber: 'CL1042', lines: [{ description: 'Extra visit', quantity: 1, unitPriceCents: 9500 }] },
      'dana',
    );
    const highest = (await one<{ n: number }>(`SELECT max(CAST(substr(invoice_number, 5) AS INTEGER)) AS n FROM invoices WHERE invoice_number <> ?`, created.invoiceNumber)).n;
    expect(created.invoiceNumber).toBe(`INV-${highest + 1}`);
    expect(await auditInvariants(rt.ledger.db)).toEqual([]);
  });

  it('refuses to seed a ledger that already has customers, changing nothing', async () => {
    const before = (await one<{ n: number }>('SELECT count(*) AS n FROM invoices')).n;
    const error = await seedDemoLedger(rt.ledger, { customers: 5, seed: 1, asOf: AS_OF }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFLICT');
    expect((await one<{ n: number }>('SELECT count(*) AS n FROM invoices')).n).toBe(before);
  });

  it('refuses a bad customer count or date with VALIDATION naming the option', async () => {
    const fresh = await openTestRuntime();
    try {
      for (const [options, field] of [
        [{ customers: 0, seed: 1, asOf: AS_OF }, 'customers'],
        [{ customers: 2.5, seed: 1, asOf: AS_OF }, 'customers'],
        [{ customers: 5, seed: -1, asOf: AS_OF }, 'seed'],
        [{ customers: 5, seed: 1, asOf: '2026-13-01' }, 'asOf'],
      ] as const) {
        const error = (await seedDemoLedger(fresh.ledger, options).catch((e: unknown) => e)) as AppError;
        expect(error.code).toBe('VALIDATION');
        expect(error.message.startsWith(`${field}: `)).toBe(true);
      }
    } finally {
      await fresh.dispose();
    }
  });
});

describe('seeding is deterministic', () => {
  async function seeded(seed: number): Promise<{ aging: unknown; counts: unknown; names: string[] }> {
    const other = await openTestRuntime({ now: '2026-11-20T15:00:00Z' });
    try {
      await seedDemoLedger(other.ledger, { customers: 150, seed, asOf: AS_OF, actor: 'dana' });
      const s = rawSql(other.ledger);
      return {
        aging: await other.core.aging.report({ asOf: AS_OF }),
        counts: await s.get('SELECT (SELECT count(*) FROM invoices) AS i, (SELECT count(*) FROM applications) AS a, (SELECT sum(total_cents) FROM invoices) AS t'),
        names: (await s.all<{ legal_name: string }>('SELECT legal_name FROM customers ORDER BY id')).map((r) => r.legal_name),
      };
    } finally {
      await other.dispose();
    }
  }

  it('gives the same ledger for the same seed and a different one for another seed', async () => {
    const first = await seeded(7);
    const again = await seeded(7);
    expect(again).toEqual(first);
    const other = await seeded(8);
    expect((other.aging as { totals: unknown }).totals).not.toEqual((again.aging as { totals: unknown }).totals);
    expect(other.names.slice(3)).not.toEqual(again.names.slice(3));
    // The well-known customers come first and do not depend on the seed.
    expect(other.names.slice(0, 3)).toEqual(['Harbor Lane Dental LLC', 'Café Rouge', 'Åkesson & Søn Bakery']);
  });
});
