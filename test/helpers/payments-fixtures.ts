import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/main/db/schema';
import { auditInvariants } from '../../src/main/ledger/invariants';
import { createDispatcher } from '../../src/main/ipc/handlers';
import { dispatch } from '../../src/main/ipc/dispatch';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../src/shared/contract';
import type { AppErrorShape } from '../../src/shared/errors';
import { openTestGateway, type TestGateway, type TestGatewayOptions } from '../../src/main/payments/test-gateway';
import type { PaymentGateway } from '../../src/main/payments/gateway';
import { fixedClock } from '../../src/main/clock';
import { openTestRuntime, tempDir, type TestRuntime } from './runtime';
import { asStaff } from './dispatch';

/** Ledger rows for payment tests, inserted directly so each test states exactly what it starts from. */

export async function addCustomer(db: Kysely<DB>, customerNumber: string, name = `Customer ${customerNumber}`): Promise<number> {
  const row = await db
    .insertInto('customers')
    .values({
      customer_number: customerNumber,
      legal_name: name,
      name_search: name.toLowerCase(),
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function addInvoice(
  db: Kysely<DB>,
  customerId: number,
  invoiceNumber: string,
  totalCents: number,
  dates: { issueDate?: string; dueDate?: string; disputed?: boolean } = {},
): Promise<number> {
  const issueDate = dates.issueDate ?? '2026-09-01';
  const row = await db
    .insertInto('invoices')
    .values({
      invoice_number: invoiceNumber,
      customer_id: customerId,
      issue_date: issueDate,
      due_date: dates.dueDate ?? issueDate,
      subtotal_cents: totalCents,
      tax_cents: 0,
      total_cents: totalCents,
      disputed: dates.disputed ? 1 : 0,
      created_at: '2026-01-01T00:00:00.000Z',
      created_by: 'fixture',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('invoice_lines')
    .values({ invoice_id: row.id, line_no: 1, description: 'Service', quantity: 1, unit_price_cents: totalCents, amount_cents: totalCents })
    .execute();
  return row.id;
}

export async function addCredit(db: Kysely<DB>, customerId: number, creditNumber: string, amountCents: number, issueDate = '2026-08-01'): Promise<number> {
  const row = await db
    .insertInto('credit_memos')
    .values({
      credit_number: creditNumber,
      customer_id: customerId,
      issue_date: issueDate,
      amount_cents: amountCents,
      reason: 'fixture',
      created_at: '2026-01-01T00:00:00.000Z',
      created_by: 'fixture',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface PaymentsRuntime extends TestRuntime {
  gateway: TestGateway;
}

/** A test runtime whose gateway is a test gateway in the same folder, on the same frozen clock. */
export async function openPaymentsRuntime(
  options: { dir?: string; now?: string; gateway?: Partial<TestGatewayOptions>; wrap?: (g: TestGateway) => PaymentGateway } = {},
): Promise<PaymentsRuntime> {
  const dir = options.dir ?? tempDir('ar-desk-pay-');
  const now = options.now ?? '2026-11-20T15:00:00Z';
  const clock = fixedClock(now);
  const gateway = openTestGateway({ file: path.join(dir, 'test-gateway.db'), clock, ...options.gateway });
  // The core and the gateway share one frozen clock, so tests move both together.
  const rt = await openTestRuntime({ dir, clock, gateway: options.wrap ? options.wrap(gateway) : gateway });
  return {
    ...rt,
    clock,
    gateway,
    close: async () => {
      gateway.close();
      await rt.close();
    },
    dispose: async () => {
      gateway.close();
      await rt.dispose();
    },
  };
}

/** Calls a channel the way the window does; returns the data or throws the error shape. */
export async function call<K extends ChannelName>(
  rt: TestRuntime,
  channel: K,
  input: ChannelInput<K>,
  actor = 'clerk.amy',
): Promise<ChannelOutput<K>> {
  const r = await dispatch(createDispatcher(rt.core), channel, input, asStaff(actor));
  if (!r.ok) throw Object.assign(new Error(`${r.error.code}: ${r.error.message}`), { shape: r.error });
  return r.data as ChannelOutput<K>;
}

/** The error a channel answers with (fails the test if it succeeds). */
export async function callError<K extends ChannelName>(rt: TestRuntime, channel: K, input: ChannelInput<K>): Promise<AppErrorShape> {
  const r = await dispatch(createDispatcher(rt.core), channel, input, asStaff('clerk.amy'));
  if (r.ok) throw new Error(`${channel} succeeded but an error was expected: ${JSON.stringify(r.data)}`);
  return r.error;
}

export async function openCents(db: Kysely<DB>, invoiceNumber: string): Promise<number> {
  const r = await sql<{ open: number }>`
    SELECT i.total_cents - coalesce((SELECT sum(a.amount_cents) FROM applications a WHERE a.invoice_id = i.id), 0) AS open
    FROM invoices i WHERE i.invoice_number = ${invoiceNumber}`.execute(db);
  return r.rows[0]!.open;
}

export async function invoiceStatus(db: Kysely<DB>, invoiceNumber: string): Promise<string> {
  return (await db.selectFrom('invoices').select('status').where('invoice_number', '=', invoiceNumber).executeTakeFirstOrThrow()).status;
}

export async function creditLeft(db: Kysely<DB>, creditNumber: string): Promise<number> {
  const r = await sql<{ left: number }>`
    SELECT c.amount_cents - coalesce((SELECT sum(a.amount_cents) FROM applications a WHERE a.credit_id = c.id), 0) AS left
    FROM credit_memos c WHERE c.credit_number = ${creditNumber}`.execute(db);
  return r.rows[0]!.left;
}

export async function applicationRows(db: Kysely<DB>, paymentId: number) {
  return db
    .selectFrom('applications as a')
    .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
    .leftJoin('credit_memos as c', 'c.id', 'a.credit_id')
    .select(['i.invoice_number as invoice', 'a.source', 'c.credit_number as credit', 'a.amount_cents as cents', 'a.payment_id as paymentId', 'a.reverses_id as reverses'])
    .where('a.payment_id', '=', paymentId)
    .orderBy('a.id')
    .execute();
}

export async function countRows(db: Kysely<DB>, table: 'applications' | 'payments' | 'payment_allocations' | 'payment_methods' | 'audit_log'): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db);
  return r.rows[0]!.n;
}

/**
 * Every ledger invariant (auditInvariants), plus one of the payment workflow's own: a payment
 * never sets aside more card or bank money for invoices than it charges.
 */
export async function ledgerProblems(db: Kysely<DB>): Promise<string[]> {
  const problems = (await auditInvariants(db)).map((v) => `[${v.check}] ${v.message}`);
  const over = await sql<{ id: number; amount_cents: number; allocated: number }>`
    SELECT p.id, p.amount_cents,
      (SELECT sum(pa.amount_cents) FROM payment_allocations pa WHERE pa.payment_id = p.id AND pa.source <> 'credit') AS allocated
    FROM payments p
    WHERE (SELECT sum(pa.amount_cents) FROM payment_allocations pa WHERE pa.payment_id = p.id AND pa.source <> 'credit') > p.amount_cents`.execute(db);
  for (const p of over.rows) problems.push(`payment ${p.id} allocates ${p.allocated} cents, more than the ${p.amount_cents} it charges`);
  return problems;
}

export async function expectHealthy(db: Kysely<DB>): Promise<void> {
  const problems = await ledgerProblems(db);
  if (problems.length > 0) throw new Error(`Ledger is not healthy:\n${problems.join('\n')}`);
}

/** Test cards as the clerk would type them. */
export const CARDS = {
  visa: '4242424242424242',
  mastercard: '5555555555554444',
  amex: '378282246310005',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  expired: '4000000000000069',
  incorrectCvc: '4000000000000127',
  processingError: '4000000000000119',
  avsFail: '4000000000000010',
} as const;

export function cardMethod(cardNumber: string, more: { cvc?: string; save?: boolean; nickname?: string; expYear?: number } = {}) {
  return {
    type: 'card' as const,
    cardNumber,
    expMonth: 12,
    expYear: more.expYear ?? 2030,
    cvc: more.cvc ?? (cardNumber.startsWith('37') ? '7351' : '314'),
    nameOnCard: 'Dana Whitfield',
    postalCode: '97201',
    save: more.save ?? false,
    ...(more.nickname ? { nickname: more.nickname } : {}),
  };
}

export function bankMethod(accountNumber: string, more: { routingNumber?: string; save?: boolean } = {}) {
  return {
    type: 'bank' as const,
    routingNumber: more.routingNumber ?? '110000000',
    accountNumber,
    accountType: 'checking' as const,
    nameOnAccount: 'Dana Whitfield',
    save: more.save ?? false,
  };
}

let keySeq = 0;
export function newKey(): string {
  keySeq += 1;
  return `test-key-${process.pid}-${keySeq}-${Math.random().toString(36).slice(2, 10)}`;
}
