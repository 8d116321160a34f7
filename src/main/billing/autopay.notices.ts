/**
 * Autopay's emails through the outbox, written in the transaction that records why they are sent:
 * the decline notice with the declined attempt (so one per attempt), and "your card expires next
 * month" for every saved card on file with its payment_method_expiry_notices row (UNIQUE per
 * method, so never twice). The receipt of an approved charge is the payment's emailed
 * confirmation (the PDF attached) in the office's autopay receipt template, queued by the payment
 * workflow itself (documents.service.ts: confirmationEmailText).
 */
import type { IsoDate } from '../../shared/dates';
import type { AppSettings } from '../../shared/settings';
import type { Tx } from '../db/types';
import type { PaymentMethodRow } from '../db/schema';
import { fillTemplate, formatDate, formatMoney } from '../documents/format.rules';
import { insertOutboxMessage, newMessageId, recipientProblem } from '../documents/queue.repo';
import { methodLabel } from '../payments/paymentMethods.rules';
import { expiryNoticeDue } from './autopay.rules';

interface NoticeCustomer {
  customerId: number;
  customerNumber: string;
  legalName: string;
  email: string | null;
}

async function queue(trx: Tx, c: NoticeCustomer, subject: string, body: string, settings: AppSettings, actor: string, at: string): Promise<number> {
  const to = (c.email ?? '').trim();
  const problem = recipientProblem(to);
  return insertOutboxMessage(trx, {
    to,
    subject,
    body,
    attachment: null,
    customerId: c.customerId,
    paymentId: null,
    messageId: newMessageId(settings.email.from),
    status: problem ? 'failed' : 'queued',
    lastError: problem,
    actor,
    at,
  });
}

function common(c: NoticeCustomer, settings: AppSettings) {
  return {
    customerName: c.legalName,
    customerNumber: c.customerNumber,
    companyName: settings.company.name,
    companyPhone: settings.company.phone,
    companyEmail: settings.company.email,
  };
}

/** "Your payment did not go through, please update your payment method." */
export async function queueDeclineNotice(
  trx: Tx,
  c: NoticeCustomer,
  d: { amountCents: number; date: IsoDate; method: string; reason: string; nextRetryDate: IsoDate | null },
  settings: AppSettings,
  actor: string,
  at: string,
): Promise<number> {
  const values = {
    ...common(c, settings),
    amount: formatMoney(d.amountCents, settings.numberFormat),
    date: formatDate(d.date, settings.dateFormat),
    method: d.method,
    reason: d.reason,
    nextTry: d.nextRetryDate ? ` We will try again on ${formatDate(d.nextRetryDate, settings.dateFormat)}.` : '',
  };
  const t = settings.email.templates;
  return queue(trx, c, fillTemplate(t.autopayDeclineSubject, values), fillTemplate(t.autopayDeclineBody, values), settings, actor, at);
}

/**
 * "Your card expires next month", once per method, from 30 days before the end of its expiry
 * month: the row of payment_method_expiry_notices is written first, and a method that has one
 * (from any run, any workstation) is left alone. Returns whether it was queued now.
 */
export async function queueExpiryNoticeOnce(trx: Tx, c: NoticeCustomer, m: PaymentMethodRow, asOf: IsoDate, settings: AppSettings, actor: string, at: string): Promise<boolean> {
  if (m.kind !== 'card' || m.exp_month === null || m.exp_year === null || m.removed_at !== null) return false;
  if (!expiryNoticeDue(m.exp_month, m.exp_year, asOf)) return false;
  const sent = await trx.selectFrom('payment_method_expiry_notices').select('id').where('payment_method_id', '=', m.id).executeTakeFirst();
  if (sent) return false;
  const values = { ...common(c, settings), method: methodLabel(m), expires: `${String(m.exp_month).padStart(2, '0')}/${m.exp_year}` };
  const t = settings.email.templates;
  const outboxId = await queue(trx, c, fillTemplate(t.cardExpiringSubject, values), fillTemplate(t.cardExpiringBody, values), settings, actor, at);
  await trx.insertInto('payment_method_expiry_notices').values({ payment_method_id: m.id, customer_id: c.customerId, sent_on: asOf, outbox_id: outboxId, created_at: at }).execute();
  return true;
}
