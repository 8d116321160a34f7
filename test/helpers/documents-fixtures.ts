import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/main/db/schema';

/**
 * Ledger rows for document tests, written straight into the tables (as the payments workflow
 * would leave them), so the documents are tested against exact, known amounts.
 */

export async function insertStaff(db: Kysely<DB>, username: string, displayName: string): Promise<void> {
  await db
    .insertInto('staff_users')
    .values({ username, display_name: displayName, role: 'clerk', created_at: '2026-01-01T00:00:00.000Z' })
    .execute();
}

export interface CustomerFixture {
  number: string;
  legalName: string;
  contact?: string;
  email?: string | null;
  line1?: string;
  line2?: string | null;
  city?: string;
  region?: string;
  postalCode?: string;
  termsDays?: number;
}

export async function insertCustomer(db: Kysely<DB>, c: CustomerFixture): Promise<number> {
  const row = await db
    .insertInto('customers')
    .values({
      customer_number: c.number,
      legal_name: c.legalName,
      name_search: c.legalName.toLowerCase(),
      billing_contact: c.contact ?? null,
      email: c.email === undefined ? `ap@${c.number.toLowerCase()}.example` : c.email,
      phone: '(503) 555-0142',
      phone_digits: '5035550142',
      address_line1: c.line1 ?? '1200 SE Morrison St',
      address_line2: c.line2 ?? null,
      city: c.city ?? 'Portland',
      region: c.region ?? 'OR',
      postal_code: c.postalCode ?? '97214',
      country: 'US',
      mailing_line1: null,
      mailing_line2: null,
      mailing_city: null,
      mailing_region: null,
      mailing_postal_code: null,
      mailing_country: null,
      terms_days: c.termsDays ?? 30,
      notes: null,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface InvoiceFixture {
  customerId: number;
  number: string;
  issueDate: string;
  dueDate: string;
  lines: { description: string; quantity?: number; unitPriceCents: number; taxable?: boolean }[];
  /** Added to the taxable lines' sum, so totals can carry odd cents. */
  taxCents?: number;
  taxRateBp?: number;
  createdAt?: string;
}

export async function insertInvoice(db: Kysely<DB>, inv: InvoiceFixture): Promise<number> {
  const subtotal = inv.lines.reduce((s, l) => s + (l.quantity ?? 1) * l.unitPriceCents, 0);
  const tax = inv.taxCents ?? 0;
  const row = await db
    .insertInto('invoices')
    .values({
      invoice_number: inv.number,
      customer_id: inv.customerId,
      issue_date: inv.issueDate,
      due_date: inv.dueDate,
      period_start: inv.issueDate,
      period_end: inv.dueDate,
      billing_frequency: 'monthly',
      tax_rate_bp: inv.taxRateBp ?? 0,
      subtotal_cents: subtotal,
      tax_cents: tax,
      total_cents: subtotal + tax,
      created_at: inv.createdAt ?? `${inv.issueDate}T12:00:00.000Z`,
      created_by: 'billing',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  let n = 1;
  for (const l of inv.lines) {
    const q = l.quantity ?? 1;
    await db
      .insertInto('invoice_lines')
      .values({
        invoice_id: row.id,
        line_no: n++,
        description: l.description,
        quantity: q,
        unit_price_cents: l.unitPriceCents,
        amount_cents: q * l.unitPriceCents,
        taxable: l.taxable ? 1 : 0,
      })
      .execute();
  }
  return row.id;
}

export async function insertCredit(
  db: Kysely<DB>,
  c: { customerId: number; number: string; issueDate: string; amountCents: number; reason: string; createdAt?: string },
): Promise<number> {
  const row = await db
    .insertInto('credit_memos')
    .values({
      credit_number: c.number,
      customer_id: c.customerId,
      issue_date: c.issueDate,
      amount_cents: c.amountCents,
      reason: c.reason,
      created_at: c.createdAt ?? `${c.issueDate}T12:00:00.000Z`,
      created_by: 'billing',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface PaymentFixture {
  customerId: number;
  kind?: 'card' | 'bank';
  status: 'captured' | 'declined' | 'pending';
  brand: string;
  last4: string;
  confirmationNumber?: string | null;
  allocations: { invoiceId: number; source: 'card' | 'bank' | 'credit'; creditId?: number; amountCents: number }[];
  /** ISO instant of the submission; approval and postings share it. */
  at: string;
  createdBy: string;
  declineCode?: string;
  declineMessage?: string;
}

async function refreshStatus(db: Kysely<DB>, invoiceId: number): Promise<void> {
  const inv = await db.selectFrom('invoices').select('total_cents').where('id', '=', invoiceId).executeTakeFirstOrThrow();
  const applied = await db
    .selectFrom('applications')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), eb.lit(0)).as('s'))
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('invoices')
    .set({ status: inv.total_cents - Number(applied.s) === 0 ? 'paid' : 'open' })
    .where('id', '=', invoiceId)
    .execute();
}

/** A payment with its intended allocation; a captured one also posts its applications. */
export async function insertPayment(db: Kysely<DB>, p: PaymentFixture): Promise<number> {
  const method = p.allocations.filter((a) => a.source !== 'credit').reduce((s, a) => s + a.amountCents, 0);
  const row = await db
    .insertInto('payments')
    .values({
      customer_id: p.customerId,
      kind: p.kind ?? 'card',
      status: p.status,
      amount_cents: method,
      idempotency_key: `key-${p.at}-${p.last4}-${Math.abs(method)}`,
      confirmation_number: p.status === 'captured' ? (p.confirmationNumber ?? null) : null,
      method_brand: p.brand,
      method_last4: p.last4,
      gateway: 'test',
      decline_code: p.declineCode ?? null,
      decline_message: p.declineMessage ?? null,
      received_on: p.at.slice(0, 10),
      created_at: p.at,
      created_by: p.createdBy,
      settled_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const a of p.allocations) {
    await db
      .insertInto('payment_allocations')
      .values({ payment_id: row.id, invoice_id: a.invoiceId, source: a.source, credit_id: a.creditId ?? null, amount_cents: a.amountCents })
      .execute();
  }
  if (p.status === 'captured') {
    for (const a of p.allocations) {
      await db
        .insertInto('applications')
        .values({
          invoice_id: a.invoiceId,
          customer_id: p.customerId,
          source: a.source === 'credit' ? 'credit' : 'payment',
          payment_id: row.id,
          credit_id: a.creditId ?? null,
          amount_cents: a.amountCents,
          reverses_id: null,
          applied_on: p.at.slice(0, 10),
          reason: null,
          created_at: p.at,
          created_by: p.createdBy,
        })
        .execute();
      await refreshStatus(db, a.invoiceId);
    }
  }
  return row.id;
}

/** Voids a captured payment the way the workflow does: a reversal record, negative applications, status voided. */
export async function voidPayment(db: Kysely<DB>, paymentId: number, v: { at: string; by: string; reason: string }): Promise<void> {
  const p = await db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirstOrThrow();
  await db
    .insertInto('payment_reversals')
    .values({
      payment_id: paymentId,
      kind: 'void',
      status: 'completed',
      amount_cents: p.amount_cents,
      invoice_id: null,
      reason: v.reason,
      idempotency_key: `void-${paymentId}`,
      gateway_transaction_id: 'void-txn',
      failure_message: null,
      created_at: v.at,
      created_by: v.by,
      settled_at: v.at,
    })
    .execute();
  const apps = await db.selectFrom('applications').selectAll().where('payment_id', '=', paymentId).where('reverses_id', 'is', null).execute();
  for (const a of apps) {
    await db
      .insertInto('applications')
      .values({
        invoice_id: a.invoice_id,
        customer_id: a.customer_id,
        source: a.source,
        payment_id: a.payment_id,
        credit_id: a.credit_id,
        amount_cents: -a.amount_cents,
        reverses_id: a.id,
        applied_on: v.at.slice(0, 10),
        reason: v.reason,
        created_at: v.at,
        created_by: v.by,
      })
      .execute();
    await refreshStatus(db, a.invoice_id);
  }
  await db.updateTable('payments').set({ status: 'voided' }).where('id', '=', paymentId).execute();
}

/**
 * The standard scene of the document tests (amounts in cents):
 * - CL1042 Harbor Lane Dental LLC: INV-1001..INV-1005 (22700, 22700, 22700, 34117, 22700), credit CM-2001 7500.
 *   Payment K7QX4M2P on 2026-11-20 10:00 EST by Visa 4242: INV-1001 22700 by card; INV-1002 7500 by
 *   credit + 15200 by card; charged 37900. Open after it: 79517.
 *   A declined Mastercard 4444 attempt at 11:00 for INV-1003 (22700), "Insufficient funds".
 *   Payment V9VOID23 at 12:00 by Amex 0005 for INV-1003 22700, voided at 12:30.
 * - TO0007 Café Rouge: INV-2001 8900 (current), credit CM-2101 1000 unapplied.
 * - AK5521 Åkesson & Søn Bakery: INV-3001 15000, paid in full on 2026-10-10.
 */
export async function buildDocumentScene(db: Kysely<DB>) {
  await insertStaff(db, 'dana', 'Dana Whitfield');
  const cl = await insertCustomer(db, {
    number: 'CL1042',
    legalName: 'Harbor Lane Dental LLC',
    contact: 'Maria Okafor',
    email: 'ap@harborlanedental.example',
    line1: '1200 SE Morrison St',
    line2: 'Suite 210',
  });
  const inv = async (n: string, issue: string, due: string, cents: number, taxCents = 0) =>
    insertInvoice(db, {
      customerId: cl,
      number: n,
      issueDate: issue,
      dueDate: due,
      lines: [{ description: 'Professional plan, monthly service', unitPriceCents: cents - taxCents, taxable: taxCents > 0 }],
      taxCents,
      taxRateBp: taxCents > 0 ? 825 : 0,
    });
  const i1 = await inv('INV-1001', '2026-07-01', '2026-07-31', 22700);
  const i2 = await inv('INV-1002', '2026-08-01', '2026-08-31', 22700);
  const i3 = await inv('INV-1003', '2026-09-01', '2026-10-01', 22700);
  const i4 = await inv('INV-1004', '2026-10-01', '2026-10-31', 34117, 2600);
  const i5 = await inv('INV-1005', '2026-11-01', '2026-12-01', 22700);
  const cm = await insertCredit(db, { customerId: cl, number: 'CM-2001', issueDate: '2026-10-15', amountCents: 7500, reason: 'Service outage credit' });

  const paid = await insertPayment(db, {
    customerId: cl,
    status: 'captured',
    brand: 'Visa',
    last4: '4242',
    confirmationNumber: 'K7QX4M2P',
    allocations: [
      { invoiceId: i1, source: 'card', amountCents: 22700 },
      { invoiceId: i2, source: 'credit', creditId: cm, amountCents: 7500 },
      { invoiceId: i2, source: 'card', amountCents: 15200 },
    ],
    at: '2026-11-20T15:00:00.000Z',
    createdBy: 'dana',
  });
  const declined = await insertPayment(db, {
    customerId: cl,
    status: 'declined',
    brand: 'Mastercard',
    last4: '4444',
    allocations: [{ invoiceId: i3, source: 'card', amountCents: 22700 }],
    at: '2026-11-20T16:00:00.000Z',
    createdBy: 'dana',
    declineCode: 'insufficient_funds',
    declineMessage: 'Insufficient funds',
  });
  const voided = await insertPayment(db, {
    customerId: cl,
    status: 'captured',
    brand: 'Amex',
    last4: '0005',
    confirmationNumber: 'V9VOID23',
    allocations: [{ invoiceId: i3, source: 'card', amountCents: 22700 }],
    at: '2026-11-20T17:00:00.000Z',
    createdBy: 'dana',
  });
  await voidPayment(db, voided, { at: '2026-11-20T17:30:00.000Z', by: 'dana', reason: 'Customer asked to pay by check instead' });

  const to = await insertCustomer(db, { number: 'TO0007', legalName: 'Café Rouge', email: 'hello@caferouge.example', line1: '88 NW 23rd Ave', postalCode: '97210' });
  await insertInvoice(db, { customerId: to, number: 'INV-2001', issueDate: '2026-11-05', dueDate: '2026-12-05', lines: [{ description: 'Essentials plan', unitPriceCents: 8900 }] });
  await insertCredit(db, { customerId: to, number: 'CM-2101', issueDate: '2026-11-06', amountCents: 1000, reason: 'Goodwill credit' });

  const ak = await insertCustomer(db, { number: 'AK5521', legalName: 'Åkesson & Søn Bakery', city: 'Seattle', region: 'WA', postalCode: '98101' });
  const ai = await insertInvoice(db, { customerId: ak, number: 'INV-3001', issueDate: '2026-09-01', dueDate: '2026-10-01', lines: [{ description: 'Quarterly plan', unitPriceCents: 15000 }] });
  await insertPayment(db, {
    customerId: ak,
    status: 'captured',
    brand: 'Visa',
    last4: '1111',
    confirmationNumber: 'AK3PAID7',
    allocations: [{ invoiceId: ai, source: 'card', amountCents: 15000 }],
    at: '2026-10-10T18:00:00.000Z',
    createdBy: 'dana',
  });

  return { customers: { cl, to, ak }, invoices: { i1, i2, i3, i4, i5 }, creditId: cm, payments: { paid, declined, voided } };
}

// ---------------------------------------------------------------- PDF inspection

export const DOCUMENT_RESULTS = path.resolve(import.meta.dirname, '../../test-results/documents');

/** Writes the PDF under test-results/documents and returns its path. */
export function keepPdf(name: string, bytes: Uint8Array): string {
  fs.mkdirSync(DOCUMENT_RESULTS, { recursive: true });
  const file = path.join(DOCUMENT_RESULTS, `${name}.pdf`);
  fs.writeFileSync(file, bytes);
  return file;
}

/** The PDF's text in reading layout (poppler's pdftotext); pages are separated by form feeds. */
export function pdfText(file: string): string {
  return execFileSync('/usr/bin/pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

export function pdfPages(file: string): string[] {
  const pages = pdfText(file).split('\f');
  if (pages.at(-1)?.trim() === '') pages.pop();
  return pages;
}

/** Renders every page to PNG beside the PDF (name-1.png, name-2.png, ...) for a person to look at. */
export function renderPng(file: string, dpi = 70): string[] {
  const prefix = file.replace(/\.pdf$/, '');
  execFileSync('/usr/bin/pdftoppm', ['-r', String(dpi), '-png', file, prefix]);
  const base = path.basename(prefix);
  return fs
    .readdirSync(path.dirname(file))
    .filter((f) => f.startsWith(`${base}-`) && f.endsWith('.png'))
    .map((f) => path.join(path.dirname(file), f))
    .sort();
}
