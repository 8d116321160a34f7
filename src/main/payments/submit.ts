import type { PaymentSubmitDto, PaymentSubmitInput } from '../../shared/contract/payments';
import { AppError, validationError } from '../../shared/errors';
import { formatCents } from '../../shared/money';
import { emailProblem } from '../../shared/validation';
import type { CoreDeps } from '../deps';
import type { CustomerRow, PaymentRow } from '../db/schema';
import type { QuoteAccepted } from '../ledger/allocation.rules';
import { requireCustomer } from '../ledger/customers.repo';
import { postingTime } from '../ledger/posting';
import { appendAudit } from '../staff/audit.repo';
import { refuseOnDamagedLedger } from '../db/ledger-check';
import type { PaymentsContext } from './context';
import type { ChargeSource } from './gateway';
import { insertMethod, methodById } from './paymentMethods.repo';
import { checkNewMethod, cleanNickname, isMethodExpired, methodLabel, newMethodRow, type NewPaymentMethod } from './paymentMethods.rules';
import { insertAllocations, insertPayment, paymentById, paymentByKey, takeWriteLock } from './payments.repo';
import { paymentMethodLabel } from './payments.rules';
import { acceptedQuoteOrPaidMeanwhile, balancesOf, type Balances } from './quote';
import { submitResultOf } from './read-models';
import {
  capture,
  decline,
  DEFAULT_STALE_AFTER_MS,
  lookupSafely,
  newConfirmationNumber,
  outcomeOfLookup,
  postAllocations,
  queueConfirmation,
  settleFromGateway,
} from './settle';
import { claimAtInsert, releaseQuietly } from './claims';
import { tokenize } from './tokens';
import { authorizedDebitWording, recordPhoneDebitAuthorization, refuseUnauthorizedNewBankDebit } from './phone-debit';
import { writeTx } from '../db/dialect';
import { assertDayOpen } from '../ledger/day-close';
import { lockCustomer } from '../db/dialect';

/**
 * Taking a payment, idempotently: the pending payment and its intended allocation are committed
 * before the gateway is charged with the same key, and the same key again gets the first answer.
 */

/** What to charge: a token on file or just made, or a one-time card or account kept only in memory. */
interface ResolvedMethod {
  kind: 'card' | 'bank';
  source: ChargeSource;
  brand: string;
  last4: string;
  billingName: string;
  postalCode: string | null;
  paymentMethodId: number | null;
  /** Set when the clerk asked to save a new card or account: inserted with the pending payment. */
  toSave: NewPaymentMethod | null;
}

/** Submits a payment; a submit of the same key already running in this process is waited for, not repeated. */
export interface SubmitOptions {
  /**
   * A recurring bank debit under the standing authorization the customer gave for autopay (how, who
   * recorded it, when): no phone authorization is asked for or recorded, and the audit names this one.
   */
  standingDebit?: { via: string; recordedBy: string; recordedAt: string };
}

export function submitPayment(ctx: PaymentsContext, input: PaymentSubmitInput, actor: string, options: SubmitOptions = {}): Promise<PaymentSubmitDto> {
  return ctx.locks.submitOnce(input.idempotencyKey, () => submitOnce(ctx, input, actor, options));
}

async function resolveMethod(deps: CoreDeps, input: PaymentSubmitInput, customer: CustomerRow, today: string, chargeCents: number): Promise<ResolvedMethod> {
  const m = input.method;
  if (!m) throw validationError('method', `Choose a card or bank account to charge ${formatCents(chargeCents)}`);
  if (m.type === 'saved') {
    const row = await methodById(deps.ledger.db, m.paymentMethodId);
    if (!row || row.customer_id !== customer.id || row.removed_at !== null) {
      throw validationError('method.paymentMethodId', `is not a payment method on file for ${customer.customer_number}`);
    }
    if (isMethodExpired(row, today)) {
      throw validationError(
        'method.paymentMethodId',
        `${methodLabel(row)} expired at the end of ${String(row.exp_month).padStart(2, '0')}/${row.exp_year}; ask for another card`,
      );
    }
    return {
      kind: row.kind,
      source: { token: row.token },
      brand: row.kind === 'card' ? row.brand : (row.account_type ?? row.brand),
      last4: row.last4,
      billingName: row.billing_name,
      postalCode: row.billing_postal_code,
      paymentMethodId: row.id,
      toSave: null,
    };
  }
  const checked = checkNewMethod(m, today);
  if (m.save) {
    const token = await tokenize(deps.gateway, checked);
    return {
      kind: checked.kind,
      source: { token: token.token },
      brand: token.kind === 'card' ? token.brand : token.accountType,
      last4: token.last4,
      billingName: checked.billingName,
      postalCode: checked.postalCode,
      paymentMethodId: null,
      toSave: newMethodRow(customer.id, deps.gateway.name, checked, token, cleanNickname(m.nickname)),
    };
  }
  return checked.kind === 'card'
    ? {
        kind: 'card',
        source: { card: checked.card },
        brand: checked.brand,
        last4: checked.last4,
        billingName: checked.billingName,
        postalCode: checked.postalCode,
        paymentMethodId: null,
        toSave: null,
      }
    : {
        kind: 'bank',
        source: { bank: checked.bank },
        brand: checked.bank.accountType,
        last4: checked.last4,
        billingName: checked.billingName,
        postalCode: null,
        paymentMethodId: null,
        toSave: null,
      };
}

/** The quote as payment_allocations rows: per invoice, its credit parts then its charge. */
export function allocationRows(q: QuoteAccepted, b: Balances, kind: 'card' | 'bank' | 'check' | 'cash') {
  const invoiceId = new Map(b.invoices.map((i) => [i.invoiceNumber, i.invoiceId]));
  const creditId = new Map(b.credits.map((c) => [c.creditNumber, c.creditId]));
  const rows: { invoice_id: number; source: 'card' | 'bank' | 'check' | 'cash' | 'credit'; credit_id: number | null; amount_cents: number }[] = [];
  for (const line of q.lines) {
    const inv = invoiceId.get(line.invoiceNumber)!;
    for (const part of line.creditParts) {
      if (part.amountCents > 0) rows.push({ invoice_id: inv, source: 'credit', credit_id: creditId.get(part.creditNumber)!, amount_cents: part.amountCents });
    }
    if (line.chargeCents > 0) rows.push({ invoice_id: inv, source: kind, credit_id: null, amount_cents: line.chargeCents });
  }
  return rows;
}

/** Where the confirmation goes: emailed to the address given, else to the customer's address on file. */
export function checkDelivery(input: Pick<PaymentSubmitInput, 'delivery' | 'emailTo'>, customer: CustomerRow): { delivery: 'none' | 'print' | 'email'; email: string | null } {
  const delivery = input.delivery ?? 'none';
  if (delivery !== 'email') return { delivery, email: null };
  const email = input.emailTo?.trim() || customer.email?.trim() || null;
  if (!email) throw validationError('emailTo', 'is required to email the confirmation: the customer has no email address on file');
  const problem = emailProblem(email);
  if (problem) throw validationError('emailTo', problem);
  return { delivery, email };
}

async function submitOnce(ctx: PaymentsContext, input: PaymentSubmitInput, actor: string, options: SubmitOptions): Promise<PaymentSubmitDto> {
  const { deps, db } = ctx;
  await refuseOnDamagedLedger(deps.ledger);
  const key = input.idempotencyKey;
  const customer = await requireCustomer(db, input.customerNumber);
  const earlier = await paymentByKey(db, key);
  if (earlier) return repeatOf(ctx, earlier, customer);

  const time = postingTime(deps);
  const { delivery, email } = checkDelivery(input, customer);
  const quote = await acceptedQuoteOrPaidMeanwhile(db, deps.settings, await balancesOf(db, customer.id), input, customer.id);

  // Nothing to charge: whatever method came along is never read, so a stale or empty one cannot refuse the settlement.
  if (quote.chargeCents === 0) return settleWithCreditsOnly(ctx, input, customer, actor, delivery, email);

  const standing = options.standingDebit ?? null;
  if (standing && input.method?.type !== 'saved') throw new AppError('INTERNAL', 'a standing debit authorization covers a saved bank account only');
  if (!standing) refuseUnauthorizedNewBankDebit(input);
  const method = await resolveMethod(deps, input, customer, time.businessDate, quote.chargeCents);
  if (standing && method.kind !== 'bank') throw new AppError('INTERNAL', 'a standing debit authorization covers a bank account only');
  const debitWording = standing
    ? null
    : authorizedDebitWording(
        input,
        { kind: method.kind, customerName: customer.legal_name, amountCents: quote.chargeCents, debitDate: time.businessDate, last4: method.last4 },
        deps.settings,
      );

  const created = await writeTx(db, async (trx) => {
    await takeWriteLock(trx);
    await lockCustomer(trx, customer.id);
    const raced = await paymentByKey(trx, key);
    if (raced) return { raced };
    await assertDayOpen(trx, time.businessDate);
    const b = await balancesOf(trx, customer.id);
    const q = await acceptedQuoteOrPaidMeanwhile(trx, deps.settings, b, input, customer.id);
    let paymentMethodId = method.paymentMethodId;
    if (method.toSave) {
      paymentMethodId = await insertMethod(trx, method.toSave, { makeDefault: false }, actor, time.at);
      await appendAudit(trx, {
        actor,
        action: 'payment_method.add',
        entity: 'payment_method',
        entityId: paymentMethodId,
        summary: {
          label: methodLabel({ kind: method.kind, brand: method.toSave.brand, last4: method.last4, account_type: method.toSave.accountType }),
          nickname: method.toSave.nickname,
          customerNumber: customer.customer_number,
          savedWithPayment: key,
        },
        at: time.at,
      });
    } else if (paymentMethodId !== null) {
      const still = await methodById(trx, paymentMethodId);
      if (!still || still.removed_at !== null) throw validationError('method.paymentMethodId', 'was removed from file just now');
    }
    const paymentId = await insertPayment(trx, {
      customer_id: customer.id,
      kind: method.kind,
      status: 'pending',
      amount_cents: q.chargeCents,
      idempotency_key: key,
      confirmation_number: null,
      payment_method_id: paymentMethodId,
      method_brand: method.brand,
      method_last4: method.last4,
      gateway: deps.gateway.name,
      delivery,
      received_on: time.businessDate,
      created_at: time.at,
      created_by: actor,
      receipt_email: email,
      // Held while the charge is at the gateway, so no other workstation's recovery settles it meanwhile.
      ...claimAtInsert(deps),
    });
    await insertAllocations(trx, paymentId, allocationRows(q, b, method.kind));
    if (debitWording !== null) await recordPhoneDebitAuthorization(trx, paymentId, debitWording, actor, time.at);
    await appendAudit(trx, {
      actor,
      action: 'payment.submit',
      entity: 'payment',
      entityId: paymentId,
      summary: {
        customerNumber: customer.customer_number,
        amountCents: q.chargeCents,
        creditCents: q.totalCreditCents,
        unappliedCents: q.unappliedCents,
        method: paymentMethodLabel(method.kind, method.brand, method.last4),
        invoices: q.lines.map((l) => l.invoiceNumber),
        credits: q.creditsUsed.map((c) => c.creditNumber),
        idempotencyKey: key,
        ...(debitWording !== null ? { phoneDebitAuthorized: true } : {}),
        ...(standing ? { standingDebitAuthorization: standing } : {}),
      },
      at: time.at,
    });
    return { raced: null, paymentId, amountCents: q.chargeCents };
  });
  if (created.raced) return repeatOf(ctx, created.raced, customer);

  const paymentId = created.paymentId;
  try {
    return await chargeCreated(ctx, paymentId, created.amountCents, method, customer, key, actor);
  } finally {
    await releaseQuietly(ctx, 'payments', paymentId);
  }
}

/** Charges the pending payment just committed and records the gateway's answer; pending when there is none. */
function chargeCreated(
  ctx: PaymentsContext,
  paymentId: number,
  amountCents: number,
  method: ResolvedMethod,
  customer: CustomerRow,
  key: string,
  actor: string,
): Promise<PaymentSubmitDto> {
  const { deps } = ctx;
  return ctx.locks.payments.holding(paymentId, async (): Promise<PaymentSubmitDto> => {
    let result;
    try {
      result = await deps.gateway.charge({
        source: method.source,
        amountCents,
        idempotencyKey: key,
        moto: true,
        billingName: method.billingName,
        postalCode: method.postalCode,
        description: customer.customer_number,
      });
    } catch (e) {
      deps.log.warn('The payment gateway did not answer a charge; the payment stays pending', {
        paymentId,
        error: (e as Error).message,
      });
      return { status: 'pending', paymentId };
    }
    if (result.outcome === 'approved') return await capture(ctx, paymentId, { type: 'approved', approved: result }, actor, 'charge');
    if (result.outcome === 'declined') {
      return await decline(ctx, paymentId, { type: 'declined', status: 'declined', code: result.code, message: result.message }, actor, 'charge');
    }
    // The gateway answered with an error: ask what it recorded under the key before calling it failed.
    const looked = await lookupSafely(deps, key);
    const outcome = looked ? outcomeOfLookup(looked) : null;
    if (outcome === null) return { status: 'pending', paymentId };
    if (outcome === 'not_found') {
      return await decline(
        ctx,
        paymentId,
        { type: 'declined', status: 'failed', code: result.retryable ? 'gateway_error' : 'gateway_refused', message: result.message },
        actor,
        'charge',
      );
    }
    return outcome.type === 'approved'
      ? await capture(ctx, paymentId, outcome, actor, 'charge')
      : await decline(ctx, paymentId, outcome, actor, 'charge');
  });
}

/** The same key again: the first payment's result, settled from the gateway if it was left pending. */
async function repeatOf(ctx: PaymentsContext, p: PaymentRow, customer: CustomerRow): Promise<PaymentSubmitDto> {
  if (p.customer_id !== customer.id) {
    throw new AppError('CONFLICT', 'This idempotency key was already used for a payment of another customer; nothing was charged.');
  }
  if (p.status === 'pending') {
    const settled = await settleFromGateway(ctx, p, DEFAULT_STALE_AFTER_MS, 'recovery');
    if (settled) return settled;
  }
  return submitResultOf(ctx.db, (await paymentById(ctx.db, p.id))!);
}

/** Credits cover everything: nothing to charge, so the payment is posted at once without the gateway. */
async function settleWithCreditsOnly(
  ctx: PaymentsContext,
  input: PaymentSubmitInput,
  customer: CustomerRow,
  actor: string,
  delivery: 'none' | 'print' | 'email',
  email: string | null,
): Promise<PaymentSubmitDto> {
  const time = postingTime(ctx.deps);
  return writeTx(ctx.db, async (trx) => {
    await takeWriteLock(trx);
    await lockCustomer(trx, customer.id);
    const raced = await paymentByKey(trx, input.idempotencyKey);
    if (raced) return submitResultOf(trx, raced);
    await assertDayOpen(trx, time.businessDate);
    const b = await balancesOf(trx, customer.id);
    const q = await acceptedQuoteOrPaidMeanwhile(trx, ctx.deps.settings, b, input, customer.id);
    const confirmation = await newConfirmationNumber(trx);
    const paymentId = await insertPayment(trx, {
      customer_id: customer.id,
      kind: 'credit_only',
      status: 'captured',
      amount_cents: 0,
      idempotency_key: input.idempotencyKey,
      confirmation_number: confirmation,
      payment_method_id: null,
      method_brand: null,
      method_last4: null,
      gateway: null,
      delivery,
      received_on: time.businessDate,
      created_at: time.at,
      created_by: actor,
      settled_at: time.at,
      receipt_email: email,
    });
    // Nothing is charged, so every row is a credit part.
    await insertAllocations(trx, paymentId, allocationRows(q, b, 'card'));
    const p = (await paymentById(trx, paymentId))!;
    await postAllocations(trx, p, actor, time);
    await appendAudit(trx, {
      actor,
      action: 'payment.capture',
      entity: 'payment',
      entityId: paymentId,
      summary: {
        via: 'credits',
        confirmationNumber: confirmation,
        customerNumber: customer.customer_number,
        creditCents: q.totalCreditCents,
        invoices: q.lines.map((l) => l.invoiceNumber),
        credits: q.creditsUsed,
        idempotencyKey: input.idempotencyKey,
      },
      at: time.at,
    });
    await queueConfirmation(ctx, trx, p, actor, time);
    return submitResultOf(trx, p);
  });
}
