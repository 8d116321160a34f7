/**
 * Writes the demo customers straight through the raw better-sqlite3 connection with prepared
 * statements (the caller holds the one transaction), keeping every ledger invariant.
 */
import type Database from 'better-sqlite3';
import { addDays, addMonths } from '../../shared/dates';
import { customerColumns, customerNameWordRows } from '../ledger/customers.rules';
import { computeInvoiceTotals } from '../ledger/tax.rules';
import { MONTHS_PER_PERIOD, type CustomerPlan, type PlannedLine } from './plan';
import type { Rng } from './rng';
import { DISPUTE_REASONS, ONE_OFF_LINES, VOID_REASON } from './seed.data';

/** What one run wrote; it is also the summary of the run's audit row. */
export interface SeedSummary {
  seed: number;
  asOf: string;
  customers: number;
  cancelledCustomers: number;
  invoices: number;
  invoiceLines: number;
  openInvoices: number;
  disputedInvoices: number;
  voidInvoices: number;
  payments: number;
  applications: number;
  creditMemos: number;
}

export interface Statements {
  customer: Database.Statement;
  nameWord: Database.Statement;
  invoice: Database.Statement;
  line: Database.Statement;
  credit: Database.Statement;
  payment: Database.Statement;
  application: Database.Statement;
}

export function prepareStatements(sqlite: Database.Database): Statements {
  return {
    customer: sqlite.prepare(
      `INSERT INTO customers (id, customer_number, legal_name, name_search, billing_contact, email, phone, phone_digits,
        address_line1, address_line2, city, region, postal_code, country,
        mailing_line1, mailing_line2, mailing_city, mailing_region, mailing_postal_code, mailing_country,
        terms_days, tax_exempt, status, notes, created_at, updated_at)
       VALUES (@id, @customer_number, @legal_name, @name_search, @billing_contact, @email, @phone, @phone_digits,
        @address_line1, @address_line2, @city, @region, @postal_code, @country,
        @mailing_line1, @mailing_line2, @mailing_city, @mailing_region, @mailing_postal_code, @mailing_country,
        @terms_days, @tax_exempt, @status, @notes, @created_at, @updated_at)`,
    ),
    nameWord: sqlite.prepare(
      `INSERT OR IGNORE INTO customer_name_words (word, customer_id, name_search, customer_number) VALUES (@word, @customer_id, @name_search, @customer_number)`,
    ),
    invoice: sqlite.prepare(
      `INSERT INTO invoices (id, invoice_number, customer_id, issue_date, due_date, period_start, period_end,
        billing_frequency, tax_rate_bp, subtotal_cents, tax_cents, total_cents, status, disputed, dispute_reason,
        void_reason, voided_at, voided_by, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    line: sqlite.prepare(
      `INSERT INTO invoice_lines (invoice_id, line_no, description, quantity, unit_price_cents, amount_cents, taxable)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    credit: sqlite.prepare(
      `INSERT INTO credit_memos (id, credit_number, customer_id, issue_date, amount_cents, reason, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    payment: sqlite.prepare(
      `INSERT INTO payments (id, customer_id, kind, status, amount_cents, received_on, created_at, created_by, settled_at)
       VALUES (?, ?, 'import', 'captured', ?, ?, ?, ?, ?)`,
    ),
    application: sqlite.prepare(
      `INSERT INTO applications (invoice_id, customer_id, source, payment_id, credit_id, amount_cents, applied_on,
        created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}

/** The last id and number used so far; the next row takes the next one. */
export interface Ids {
  customer: number;
  invoice: number;
  invoiceNumber: number;
  credit: number;
  creditNumber: number;
  payment: number;
}

export interface WriteContext {
  st: Statements;
  asOf: string;
  actor: string;
  ids: Ids;
  summary: SeedSummary;
}

export function stamp(date: string, hour: number): string {
  return `${date}T${String(hour).padStart(2, '0')}:00:00.000Z`;
}

interface PlannedInvoice {
  id: number;
  totalCents: number;
  appliedCents: number;
}

/** Writes one customer with its invoices, credits and payments. */
export function writeCustomer(ctx: WriteContext, plan: CustomerPlan, rng: Rng): void {
  const { st, asOf, actor, ids, summary } = ctx;
  const customerId = ++ids.customer;
  const columns = customerColumns(plan.draft);
  const createdAt = stamp(plan.startDate < asOf ? plan.startDate : asOf, 16);
  st.customer.run({
    ...columns,
    id: customerId,
    created_at: createdAt,
    updated_at: plan.cancelDate ? stamp(plan.cancelDate, 16) : createdAt,
  });
  for (const row of customerNameWordRows(customerId, plan.draft)) st.nameWord.run(row);
  summary.customers++;
  if (plan.draft.status === 'cancelled') summary.cancelledCustomers++;

  const months = MONTHS_PER_PERIOD[plan.frequency];
  // Payments made on the same day are one payment covering several invoices.
  const paymentsByDay = new Map<string, { invoice: PlannedInvoice; amountCents: number }[]>();
  const pay = (day: string, invoice: PlannedInvoice, amountCents: number): void => {
    let list = paymentsByDay.get(day);
    if (!list) paymentsByDay.set(day, (list = []));
    list.push({ invoice, amountCents });
    invoice.appliedCents += amountCents;
  };

  const credits = plan.credits
    .map((c) => ({
      ...c,
      issueDate: c.issueOffsetDays < 0 ? addDays(asOf, c.issueOffsetDays) : addDays(plan.startDate, c.issueOffsetDays),
    }))
    .filter((c) => c.issueDate <= asOf)
    .sort((a, b) => (a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : 0))
    .map((c) => ({ ...c, id: ++ids.credit, number: `CR-${++ids.creditNumber}`, usedCents: 0 }));
  for (const c of credits) {
    st.credit.run(c.id, c.number, customerId, c.issueDate, c.amountCents, c.reason, stamp(c.issueDate, 15), actor);
    summary.creditMemos++;
  }

  for (let k = 0; ; k++) {
    const periodStart = addMonths(plan.startDate, k * months);
    if (periodStart > asOf || (plan.cancelDate !== null && periodStart >= plan.cancelDate)) break;
    const periodEnd = addDays(addMonths(plan.startDate, (k + 1) * months), -1);
    const issueDate = periodStart;
    const dueDate = addDays(issueDate, plan.draft.termsDays);
    const lines: PlannedLine[] = [...plan.recurringLines];
    if (rng.chance(0.12)) {
      const extra = rng.pick(ONE_OFF_LINES);
      lines.push({ description: extra.description, quantity: rng.int(1, extra.maxQuantity), unitPriceCents: extra.unitPriceCents, taxable: extra.taxable });
    }
    const totals = computeInvoiceTotals(lines, plan.taxRateBp, plan.draft.taxExempt);
    const isVoid = rng.chance(0.003);
    const invoice: PlannedInvoice = { id: ++ids.invoice, totalCents: totals.totalCents, appliedCents: 0 };
    const invoiceNumber = `INV-${++ids.invoiceNumber}`;
    const creditParts: { creditId: number; amountCents: number }[] = [];

    // Payments are decided before the invoice row is written: its cached status depends on them.
    let disputeReason: string | null = null;
    if (!isVoid) {
      // A credit issued on or before this invoice is used on it first, on its issue date.
      for (const c of credits) {
        if (c.use === 'none' || c.usedCents > 0 || c.issueDate > issueDate) continue;
        const wanted = c.use === 'partial' ? Math.floor(c.amountCents / 2) : c.amountCents;
        const part = Math.min(wanted, invoice.totalCents - invoice.appliedCents);
        if (part <= 0) continue;
        c.usedCents = part;
        invoice.appliedCents += part;
        creditParts.push({ creditId: c.id, amountCents: part });
      }
      const rest = invoice.totalCents - invoice.appliedCents;
      const paidOn = rest > 0 ? plan.payDate({ issueDate, dueDate }, rng) : null;
      if (paidOn !== null && paidOn <= asOf) {
        if (rest >= 2000 && rng.chance(0.03)) {
          // Paid in two instalments; the second may still be outstanding.
          const first = Math.floor(rest / 2);
          pay(paidOn, invoice, first);
          const second = addDays(paidOn, rng.int(10, 45));
          if (second <= asOf) pay(second, invoice, rest - first);
        } else {
          pay(paidOn, invoice, rest);
        }
      }
      if (invoice.appliedCents < invoice.totalCents && rng.chance(plan.disputeChance)) {
        disputeReason = rng.pick(DISPUTE_REASONS);
      }
    }

    const status = isVoid ? 'void' : invoice.appliedCents === invoice.totalCents ? 'paid' : 'open';
    st.invoice.run(
      invoice.id,
      invoiceNumber,
      customerId,
      issueDate,
      dueDate,
      periodStart,
      periodEnd,
      plan.frequency,
      plan.taxRateBp,
      totals.subtotalCents,
      totals.taxCents,
      totals.totalCents,
      status,
      disputeReason ? 1 : 0,
      disputeReason,
      isVoid ? VOID_REASON : null,
      isVoid ? stamp(addDays(issueDate, 2) <= asOf ? addDays(issueDate, 2) : asOf, 18) : null,
      isVoid ? actor : null,
      stamp(issueDate, 14),
      actor,
    );
    lines.forEach((line, i) => {
      st.line.run(invoice.id, i + 1, line.description, line.quantity, line.unitPriceCents, line.quantity * line.unitPriceCents, line.taxable ? 1 : 0);
    });
    summary.invoices++;
    summary.invoiceLines += lines.length;
    if (status === 'open') summary.openInvoices++;
    if (status === 'void') summary.voidInvoices++;
    if (disputeReason) summary.disputedInvoices++;

    for (const part of creditParts) {
      st.application.run(invoice.id, customerId, 'credit', null, part.creditId, part.amountCents, issueDate, stamp(issueDate, 15), actor);
      summary.applications++;
    }
  }

  const days = [...paymentsByDay.keys()].sort();
  for (const day of days) {
    const parts = paymentsByDay.get(day)!;
    const paymentId = ++ids.payment;
    const amount = parts.reduce((s, p) => s + p.amountCents, 0);
    const at = stamp(day, 17);
    st.payment.run(paymentId, customerId, amount, day, at, actor, at);
    summary.payments++;
    for (const p of parts) {
      st.application.run(p.invoice.id, customerId, 'payment', paymentId, null, p.amountCents, day, at, actor);
      summary.applications++;
    }
  }
}

export function maxId(sqlite: Database.Database, table: string): number {
  return (sqlite.prepare(`SELECT coalesce(max(id), 0) AS n FROM ${table}`).get() as { n: number }).n;
}

/** Highest number already used in the generated format (INV-100001…), so seeded numbers never collide. */
export function highestNumber(sqlite: Database.Database, table: string, column: string, prefix: string): number {
  const row = sqlite
    .prepare(
      `SELECT max(CAST(substr(${column}, ${prefix.length + 1}) AS INTEGER)) AS n FROM ${table}
       WHERE ${column} GLOB '${prefix}[0-9]*'`,
    )
    .get() as { n: number | null };
  return Math.max(row.n ?? 0, 100_000);
}
