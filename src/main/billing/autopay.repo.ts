/** Autopay's queries: the settings, the attempts and what they charged, the methods they use. */
import type { Db, Tx } from '../db/types';
import type { AutopayAttemptsTable, PaymentMethodRow } from '../db/schema';
import type { Selectable } from 'kysely';

export type AttemptRow = Selectable<AutopayAttemptsTable>;

export interface AutopayCustomer {
  customerId: number;
  customerNumber: string;
  legalName: string;
  email: string | null;
  status: 'active' | 'cancelled';
  paymentMethodId: number | null;
  settingSavedAt: string;
  /** The standing authorization autopay charges under: how the consent was given, who recorded it, when. */
  consentVia: string | null;
  consentBy: string | null;
  consentAt: string | null;
}

/** Customers with autopay on, by customer number (cancelled ones too: the run names why it skips them). */
export async function autopayCustomers(db: Db, customerIds?: readonly number[]): Promise<AutopayCustomer[]> {
  let q = db
    .selectFrom('autopay_settings as s')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    .select(['c.id as customerId', 'c.customer_number as customerNumber', 'c.legal_name as legalName', 'c.email', 'c.status', 's.payment_method_id as paymentMethodId', 's.updated_at as settingSavedAt', 's.consent_via as consentVia', 's.consent_by as consentBy', 's.consent_at as consentAt'])
    .where('s.enabled', '=', 1);
  if (customerIds) q = q.where('c.id', 'in', customerIds.length > 0 ? [...customerIds] : [-1]);
  return q.orderBy('c.customer_number').execute();
}

export async function settingOf(db: Db, customerId: number) {
  return db.selectFrom('autopay_settings').selectAll().where('customer_id', '=', customerId).executeTakeFirst();
}

export async function attemptsOf(db: Db, customerId: number): Promise<AttemptRow[]> {
  return db.selectFrom('autopay_attempts').selectAll().where('customer_id', '=', customerId).orderBy('id', 'desc').execute();
}

export async function lastAttemptOf(db: Db, customerId: number): Promise<AttemptRow | undefined> {
  return db.selectFrom('autopay_attempts').selectAll().where('customer_id', '=', customerId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** The invoices of attempts, with their numbers and cents, by attempt. */
export async function attemptInvoices(db: Db, attemptIds: readonly number[]): Promise<Map<number, { invoiceNumber: string; amountCents: number }[]>> {
  const out = new Map<number, { invoiceNumber: string; amountCents: number }[]>();
  if (attemptIds.length === 0) return out;
  const rows = await db
    .selectFrom('autopay_attempt_invoices as ai')
    .innerJoin('invoices as i', 'i.id', 'ai.invoice_id')
    .select(['ai.attempt_id as attemptId', 'i.invoice_number as invoiceNumber', 'ai.amount_cents as amountCents'])
    .where('ai.attempt_id', 'in', [...attemptIds])
    .orderBy('i.due_date')
    .orderBy('i.invoice_number')
    .execute();
  for (const r of rows) {
    const list = out.get(r.attemptId) ?? [];
    list.push({ invoiceNumber: r.invoiceNumber, amountCents: r.amountCents });
    out.set(r.attemptId, list);
  }
  return out;
}

/** The method autopay charges: the one chosen, else the customer's default on file. */
export async function autopayMethod(db: Db, customerId: number, chosenId: number | null): Promise<PaymentMethodRow | undefined> {
  let q = db.selectFrom('payment_methods').selectAll().where('customer_id', '=', customerId);
  q = chosenId !== null ? q.where('id', '=', chosenId) : q.where('is_default', '=', 1).where('removed_at', 'is', null);
  return q.orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export async function paymentOfKey(db: Db, key: string) {
  return db.selectFrom('payments').select(['id', 'status', 'decline_code', 'decline_message', 'confirmation_number']).where('idempotency_key', '=', key).executeTakeFirst();
}

export interface AttemptSettlement {
  outcome: AttemptRow['outcome'];
  paymentId: number | null;
  declineCode: string | null;
  declineMessage: string | null;
  firstDeclinedOn: string | null;
  nextRetryDate: string | null;
  noticeOutboxId?: number | null;
}

/** Moves an attempt from pending (or unknown) to its outcome; a settled attempt is never moved again. */
export async function settleAttempt(trx: Tx, attemptId: number, s: AttemptSettlement, at: string): Promise<boolean> {
  const r = await trx
    .updateTable('autopay_attempts')
    .set({
      outcome: s.outcome,
      payment_id: s.paymentId,
      decline_code: s.declineCode,
      decline_message: s.declineMessage,
      first_declined_on: s.firstDeclinedOn,
      next_retry_date: s.nextRetryDate,
      ...(s.noticeOutboxId !== undefined ? { notice_outbox_id: s.noticeOutboxId } : {}),
      updated_at: at,
    })
    .where('id', '=', attemptId)
    .where('outcome', 'in', ['pending', 'unknown'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Whether an attempt still waits for its outcome (read under the customer's lock before settling it). */
export async function attemptIsOpen(trx: Tx, attemptId: number): Promise<boolean> {
  const r = await trx.selectFrom('autopay_attempts').select('outcome').where('id', '=', attemptId).executeTakeFirst();
  return r?.outcome === 'pending' || r?.outcome === 'unknown';
}

/**
 * The saved cards, not removed, of active customers with an email, that expire this month or next
 * and were not told yet: the candidates for "your card expires next month" (the notice decides the day).
 */
export async function cardsExpiringSoon(db: Db, asOf: string): Promise<{ customer: Pick<AutopayCustomer, 'customerId' | 'customerNumber' | 'legalName' | 'email'>; method: PaymentMethodRow }[]> {
  const y = Number(asOf.slice(0, 4));
  const mo = Number(asOf.slice(5, 7));
  const next = mo === 12 ? { y: y + 1, m: 1 } : { y, m: mo + 1 };
  const rows = await db
    .selectFrom('payment_methods as m')
    .innerJoin('customers as c', 'c.id', 'm.customer_id')
    .selectAll('m')
    .select(['c.customer_number as customerNumber', 'c.legal_name as legalName', 'c.email as customerEmail'])
    .where('m.kind', '=', 'card')
    .where('m.removed_at', 'is', null)
    .where('c.status', '=', 'active')
    .where('c.email', 'is not', null)
    .where((eb) => eb.or([eb.and([eb('m.exp_year', '=', y), eb('m.exp_month', '=', mo)]), eb.and([eb('m.exp_year', '=', next.y), eb('m.exp_month', '=', next.m)])]))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('payment_method_expiry_notices as n').select('n.id').whereRef('n.payment_method_id', '=', 'm.id'))))
    .orderBy('c.customer_number')
    .orderBy('m.id')
    .execute();
  return rows
    .filter((r) => (r.customerEmail ?? '').trim() !== '')
    .map(({ customerNumber, legalName, customerEmail, ...method }) => ({ customer: { customerId: method.customer_id, customerNumber, legalName, email: customerEmail }, method }));
}
