import type {
  AppliedDto,
  PaymentDetailDto,
  PaymentGetInput,
  PaymentSearchDto,
  PaymentSearchInput,
  PaymentSubmitDto,
  PaymentSummaryDto,
  RecentPaymentDto,
} from '../../shared/contract/payments';
import { AppError } from '../../shared/errors';
import { isIsoDate } from '../../shared/dates';
import { fieldsError, type FieldProblems } from '../../shared/validation';
import type { PaymentRow } from '../db/schema';
import type { Db } from '../db/types';
import { findCustomerById, findCustomerByNumber, requireCustomer } from '../ledger/customers.repo';
import { normalizeCustomerNumber } from '../../shared/validation';
import { countPayments, searchPayments, type PaymentSearchFilter } from './payments.search';
import { normalizeCheckNumber } from './received.rules';
import { postingTime } from '../ledger/posting';
import type { PaymentsContext } from './context';
import {
  allocationsOf,
  appliedOf,
  paymentByConfirmation,
  paymentById,
  paymentByKey,
  paymentsOfCustomer,
  recentPayments,
  refundedCentsOf,
  reversalsOf,
  standingApplicationsOf,
  type AppliedRecord,
} from './payments.repo';
import { normalizeConfirmationNumber, paymentMethodLabel } from './payments.rules';
import { receivedLabel } from './received.rules';

/** How payments read: the answer a submit gives, the payment lists and the payment's detail. */

function moneySource(kind: string): 'card' | 'bank' | 'check' | 'cash' {
  return kind === 'bank' || kind === 'check' || kind === 'cash' ? kind : 'card';
}

function toApplied(kind: string, rows: readonly AppliedRecord[]): AppliedDto[] {
  return rows.map((r) =>
    r.source === 'credit'
      ? { invoiceNumber: r.invoiceNumber, amountCents: r.amountCents, source: 'credit' as const, creditNumber: r.creditNumber ?? '' }
      : { invoiceNumber: r.invoiceNumber, amountCents: r.amountCents, source: moneySource(kind) },
  );
}

/** What a pending payment intends to apply, from its allocations. */
async function intendedApplied(d: Db, p: PaymentRow): Promise<AppliedDto[]> {
  return (await allocationsOf(d, p.id)).map((a) =>
    a.source === 'credit'
      ? { invoiceNumber: a.invoiceNumber, amountCents: a.amountCents, source: 'credit' as const, creditNumber: a.creditNumber ?? '' }
      : { invoiceNumber: a.invoiceNumber, amountCents: a.amountCents, source: moneySource(p.kind) },
  );
}

/** The answer a submit gives for a payment as it stands; a repeat of the same key gets the first one. */
export async function submitResultOf(d: Db, p: PaymentRow): Promise<PaymentSubmitDto> {
  if (p.status === 'captured' || p.status === 'voided') {
    const applied = (await appliedOf(d, [p.id], true)).get(p.id) ?? [];
    return {
      status: 'approved',
      paymentId: p.id,
      confirmationNumber: p.confirmation_number ?? '',
      amountCents: p.amount_cents,
      applied: toApplied(p.kind, applied),
    };
  }
  if (p.status === 'declined' || p.status === 'failed') {
    return { status: 'declined', paymentId: p.id, code: p.decline_code ?? p.status, message: p.decline_message ?? '' };
  }
  return { status: 'pending', paymentId: p.id };
}

async function summaries<P extends PaymentRow>(db: Db, rows: readonly P[], customerNumberOf: (p: P) => string): Promise<PaymentSummaryDto[]> {
  const ids = rows.map((r) => r.id);
  const applied = await appliedOf(db, ids);
  const refunded = await refundedCentsOf(db, ids);
  const out: PaymentSummaryDto[] = [];
  for (const p of rows) {
    out.push({
      paymentId: p.id,
      customerNumber: customerNumberOf(p),
      createdAt: p.created_at,
      receivedOn: p.received_on,
      confirmationNumber: p.confirmation_number,
      kind: p.kind,
      status: p.status,
      methodLabel: p.received_via ? receivedLabel(p) : paymentMethodLabel(p.kind, p.method_brand, p.method_last4),
      amountCents: p.amount_cents,
      refundedCents: refunded.get(p.id) ?? 0,
      unappliedCents: p.unapplied_cents,
      clerk: p.created_by,
      declineCode: p.decline_code,
      declineMessage: p.decline_message,
      applied: p.status === 'pending' ? await intendedApplied(db, p) : toApplied(p.kind, applied.get(p.id) ?? []),
      received: p.received_via ? { via: p.received_via, checkNumber: p.check_number, checkBank: p.check_bank, reference: p.reference } : null,
    });
  }
  return out;
}

async function detail(ctx: PaymentsContext, p: PaymentRow): Promise<PaymentDetailDto> {
  const db = ctx.db;
  const customer = await findCustomerById(db, p.customer_id);
  const [summary] = await summaries(db, [p], () => customer?.customer_number ?? '');
  const reversals = await reversalsOf(db, p.id);
  const standing = await standingApplicationsOf(db, p.id);
  const today = postingTime(ctx.deps).businessDate;
  const creditsUsed = summary!.applied
    .filter((a) => a.source === 'credit')
    .reduce<{ creditNumber: string; amountCents: number }[]>((acc, a) => {
      const found = acc.find((c) => c.creditNumber === a.creditNumber);
      if (found) found.amountCents += a.amountCents;
      else acc.push({ creditNumber: a.creditNumber ?? '', amountCents: a.amountCents });
      return acc;
    }, []);
  const moneyKind = p.kind === 'card' || p.kind === 'bank' || p.received_via !== null;
  const refundable =
    p.status === 'captured' && moneyKind
      ? standing.filter((a) => a.source === 'payment').reduce((s, a) => s + a.amountCents, 0) + p.unapplied_cents
      : 0;
  return {
    ...summary!,
    gateway: p.gateway,
    authorizationCode: p.authorization_code,
    avsResult: p.avs_result,
    cvcResult: p.cvc_result,
    delivery: p.delivery,
    receiptEmail: p.receipt_email,
    creditsUsed,
    reversals: reversals.map((r) => ({
      reversalId: r.id,
      kind: r.kind,
      status: r.status,
      amountCents: r.amount_cents,
      invoiceNumber: r.invoiceNumber,
      reason: r.reason,
      createdAt: r.created_at,
      clerk: r.created_by,
      failureMessage: r.failure_message,
      payout: r.payout_method ? { method: r.payout_method, checkNumber: r.payout_check_number } : null,
      returned: r.returned === 1,
      reference: r.gateway_transaction_id,
    })),
    netCents: p.status === 'captured' || p.status === 'pending' ? p.amount_cents - summary!.refundedCents : 0,
    canVoid:
      p.status === 'captured' &&
      (p.kind === 'credit_only' ? standing.length > 0 : moneyKind && p.received_via === null && p.received_on === today) &&
      !reversals.some((r) => r.status === 'pending' || (r.kind === 'refund' && r.status === 'completed')),
    refundableCents: reversals.some((r) => r.status === 'pending') ? 0 : refundable,
  };
}

export async function paymentsOfCustomerList(ctx: PaymentsContext, customerNumber: string): Promise<{ payments: PaymentSummaryDto[] }> {
  const customer = await requireCustomer(ctx.db, customerNumber);
  return { payments: await summaries(ctx.db, await paymentsOfCustomer(ctx.db, customer.id), () => customer.customer_number) };
}

export async function recentPaymentsList(
  ctx: PaymentsContext,
  filter: { limit: number; status?: PaymentSummaryDto['status'] | undefined },
): Promise<{ payments: RecentPaymentDto[] }> {
  const rows = await recentPayments(ctx.db, filter);
  const listed = await summaries(ctx.db, rows, (p) => p.customerNumber);
  return { payments: listed.map((s, i) => ({ ...s, customerName: rows[i]!.customerName })) };
}

/** The search's filters checked and normalized; problems by field, or null when nothing can match (an unknown customer). */
async function searchFilter(ctx: PaymentsContext, input: PaymentSearchInput): Promise<PaymentSearchFilter | null> {
  const problems: FieldProblems = {};
  const f: PaymentSearchFilter = {};
  const text = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : s.trim());
  const confirmation = text(input.confirmationNumber);
  if (confirmation !== undefined) {
    const normalized = normalizeConfirmationNumber(confirmation);
    if (normalized) f.confirmationNumber = normalized;
    else problems.confirmationNumber = 'is 8 letters and digits, such as K7M2-Q9XR';
  }
  const checkNumber = normalizeCheckNumber(text(input.checkNumber));
  if (checkNumber !== '') f.checkNumber = checkNumber;
  if (input.amountCents !== undefined) f.amountCents = input.amountCents;
  for (const end of ['from', 'to'] as const) {
    const d = text(input[end]);
    if (d === undefined) continue;
    if (isIsoDate(d)) f[end] = d;
    else problems[end] = 'must be a date (YYYY-MM-DD)';
  }
  if (f.from !== undefined && f.to !== undefined && f.from > f.to) problems.to = 'must be on or after the first date';
  const clerk = text(input.clerk);
  if (clerk !== undefined) f.clerk = clerk;
  if (input.status !== undefined) f.status = input.status;
  if (Object.keys(problems).length > 0) throw fieldsError(problems);
  const customerNumber = text(input.customerNumber);
  if (customerNumber !== undefined) {
    const customer = await findCustomerByNumber(ctx.db, normalizeCustomerNumber(customerNumber));
    if (!customer) return null;
    f.customerId = customer.id;
  }
  return f;
}

export async function searchPaymentsList(ctx: PaymentsContext, input: PaymentSearchInput): Promise<PaymentSearchDto> {
  const f = await searchFilter(ctx, input);
  const page = { page: input.page, pageSize: input.pageSize };
  if (f === null) return { payments: [], total: 0, ...page };
  const total = await countPayments(ctx.db, f);
  const rows = await searchPayments(ctx.db, f, { limit: input.pageSize, offset: (input.page - 1) * input.pageSize });
  const listed = await summaries(ctx.db, rows, (p) => p.customerNumber);
  return { payments: listed.map((s, i) => ({ ...s, customerName: rows[i]!.customerName })), total, ...page };
}

export async function paymentDetail(ctx: PaymentsContext, by: PaymentGetInput): Promise<PaymentDetailDto> {
  let p: PaymentRow | undefined;
  if ('paymentId' in by) p = await paymentById(ctx.db, by.paymentId);
  else if ('idempotencyKey' in by) p = await paymentByKey(ctx.db, by.idempotencyKey);
  else {
    const normalized = normalizeConfirmationNumber(by.confirmationNumber);
    p = normalized ? await paymentByConfirmation(ctx.db, normalized) : undefined;
  }
  if (!p) {
    const what =
      'paymentId' in by
        ? `payment ${by.paymentId}`
        : 'idempotencyKey' in by
          ? 'payment recorded for this attempt'
          : `payment with confirmation number ${by.confirmationNumber.trim()}`;
    throw new AppError('NOT_FOUND', `No ${what}`);
  }
  return detail(ctx, p);
}
