import crypto from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type {
  AppliedDto,
  PaymentDetailDto,
  PaymentQuoteDto,
  PaymentQuoteInput,
  PaymentSubmitDto,
  PaymentSubmitInput,
  PaymentSummaryDto,
  RecentPaymentDto,
  RecoveryReportDto,
  ReversalOutcomeDto,
} from '../../shared/contract/payments';
import { AppError, validationError } from '../../shared/errors';
import { formatCents } from '../../shared/money';
import { emailProblem } from '../../shared/validation';
import type { CoreDeps } from '../core';
import { refuseOnDamagedLedger } from '../db/ledger-check';
import type { CustomerRow, DB, PaymentReversalRow } from '../db/schema';
import { computeQuote, type QuoteAccepted, type QuoteResult } from '../ledger/allocation.rules';
import { insertApplications, reverseApplications } from '../ledger/applications.repo';
import { creditsFor, openInvoicesFor, refreshInvoiceStatus, type CreditBalanceRow, type OpenInvoiceRow } from '../ledger/balances.repo';
import { creditRemainingCents } from '../ledger/credits.repo';
import { findCustomerById } from '../ledger/customers.repo';
import { requireCustomer } from '../ledger/customers.service';
import { postingTime, type PostingTime } from '../ledger/posting';
import { appendAudit } from '../staff/audit.repo';
import type { Approved, ChargeSource, LookupResult, ReversalResult } from './gateway';
import { insertMethod, methodById, type NewPaymentMethod } from './paymentMethods.repo';
import { checkNewMethod, cleanNickname, isMethodExpired, methodLabel, newMethodRow, tokenize } from './paymentMethods.service';
import {
  allocationsOf,
  appliedOf,
  confirmationTaken,
  invoiceState,
  paymentByConfirmation,
  paymentById,
  paymentByKey,
  paymentsOfCustomer,
  pendingHolds,
  pendingPaymentIds,
  pendingReversalIds,
  recentPayments,
  refundedCentsOf,
  reversalById,
  reversalsOf,
  setPaymentExtras,
  standingApplicationsOf,
  takeWriteLock,
  type AppliedRecord,
  type PaymentRecord,
} from './payments.repo';
import {
  confirmationNumberFrom,
  normalizeConfirmationNumber,
  paymentMethodLabel,
  planRefund,
  withoutHolds,
  type Hold,
  type RefundPlan,
} from './payments.rules';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * A pending payment the gateway has never heard of is failed only once it is older than this:
 * long past any gateway timeout, so a request still travelling cannot land after we gave up on it.
 */
export const DEFAULT_STALE_AFTER_MS = 2 * 60 * 1000;

export interface RecoverOptions {
  /** Override DEFAULT_STALE_AFTER_MS (0 when no other process can be mid-request, e.g. after a crash). */
  staleAfterMs?: number;
}

interface Balances {
  invoices: OpenInvoiceRow[];
  credits: CreditBalanceRow[];
  holds: Hold[];
}

type Outcome =
  | { type: 'approved'; approved: Pick<Approved, 'transactionId' | 'authorizationCode' | 'avs' | 'cvc'> }
  | { type: 'declined'; status: 'declined' | 'failed'; code: string; message: string };

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

export function createPaymentsService(deps: CoreDeps) {
  const db = deps.ledger.db;
  /** Submits running in this process, by idempotency key: a repeat waits for the first. */
  const inFlight = new Map<string, Promise<PaymentSubmitDto>>();
  /** Payments and reversals with a gateway call in progress here; recovery leaves them alone. */
  const busyPayments = new Set<number>();
  const busyReversals = new Set<number>();

  // ------------------------------------------------------------------------------------------
  // Quotes

  async function balancesOf(d: Db, customerId: number): Promise<Balances> {
    return {
      invoices: await openInvoicesFor(d, customerId),
      credits: await creditsFor(d, customerId),
      holds: await pendingHolds(d, customerId),
    };
  }

  function quoteOn(b: Balances, input: PaymentQuoteInput, respectHolds: boolean): QuoteResult {
    const open = b.invoices.map((i) => ({
      invoiceNumber: i.invoiceNumber,
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      openCents: i.openCents,
      disputed: i.disputed,
    }));
    const avail = b.credits.map((c) => ({ creditNumber: c.creditNumber, issueDate: c.issueDate, remainingCents: c.remainingCents }));
    const { invoices, credits } = respectHolds ? withoutHolds(open, avail, b.holds) : { invoices: open, credits: avail };
    return computeQuote({
      openInvoices: invoices,
      selection: input.invoiceNumbers,
      credits,
      selectedCredits: input.creditNumbers,
      policy: deps.settings.get().policy,
      ...(input.amountCents === undefined ? {} : { amountCents: input.amountCents }),
    });
  }

  /** The quote a submit may post, or the reason it may not: CONFLICT when another payment holds the money. */
  function acceptedQuote(b: Balances, input: PaymentSubmitInput): QuoteAccepted {
    const q = quoteOn(b, input, true);
    if (!q.ok) {
      const details = { code: q.code, invoiceNumber: q.invoiceNumber, creditNumber: q.creditNumber };
      if (quoteOn(b, input, false).ok) {
        const what = q.invoiceNumber ? `Invoice ${q.invoiceNumber}` : q.creditNumber ? `Credit ${q.creditNumber}` : 'Part of this selection';
        throw new AppError(
          'CONFLICT',
          `${what} is being paid by another payment that has not finished; nothing was charged. Refresh and try again.`,
          details,
        );
      }
      throw new AppError('VALIDATION', q.message, details);
    }
    if (q.chargeCents !== input.confirmedAmountCents) {
      throw new AppError(
        'CONFLICT',
        `The amount due changed from ${formatCents(input.confirmedAmountCents)} to ${formatCents(q.chargeCents)}; nothing was charged. Confirm the new amount with the customer.`,
        { confirmedAmountCents: input.confirmedAmountCents, chargeCents: q.chargeCents },
      );
    }
    return q;
  }

  // ------------------------------------------------------------------------------------------
  // Results

  function toApplied(kind: string, rows: readonly AppliedRecord[]): AppliedDto[] {
    return rows.map((r) =>
      r.source === 'credit'
        ? { invoiceNumber: r.invoiceNumber, amountCents: r.amountCents, source: 'credit' as const, creditNumber: r.creditNumber ?? '' }
        : { invoiceNumber: r.invoiceNumber, amountCents: r.amountCents, source: kind === 'bank' ? ('bank' as const) : ('card' as const) },
    );
  }

  async function intendedApplied(d: Db, p: PaymentRecord): Promise<AppliedDto[]> {
    return (await allocationsOf(d, p.id)).map((a) =>
      a.source === 'credit'
        ? { invoiceNumber: a.invoiceNumber, amountCents: a.amountCents, source: 'credit' as const, creditNumber: a.creditNumber ?? '' }
        : { invoiceNumber: a.invoiceNumber, amountCents: a.amountCents, source: p.kind === 'bank' ? ('bank' as const) : ('card' as const) },
    );
  }

  /** The answer a submit gives for a payment as it stands; a repeat of the same key gets the first one. */
  async function submitResultOf(d: Db, p: PaymentRecord): Promise<PaymentSubmitDto> {
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

  async function newConfirmationNumber(trx: Db): Promise<string> {
    for (;;) {
      const candidate = confirmationNumberFrom(crypto.randomBytes(16));
      if (candidate && !(await confirmationTaken(trx, candidate))) return candidate;
    }
  }

  /**
   * Posts what the pending payment set aside: credits first, then the charge, per invoice as quoted.
   * If the ledger moved meanwhile (an invoice voided or paid by other means), only what is still
   * open is applied and the rest of the charge is held on account, so captured money is never lost.
   */
  async function postAllocations(trx: Db, p: PaymentRecord, actor: string, time: PostingTime) {
    const allocations = await allocationsOf(trx, p.id);
    let unapplied = p.amount_cents - allocations.filter((a) => a.source !== 'credit').reduce((s, a) => s + a.amountCents, 0);
    const shortfalls: { invoiceNumber: string; intendedCents: number; appliedCents: number }[] = [];
    const touched = new Set<number>();
    for (const a of allocations) {
      const invoice = await invoiceState(trx, a.invoiceId);
      let amount = invoice.status === 'void' ? 0 : Math.min(a.amountCents, Math.max(0, invoice.openCents));
      if (a.source === 'credit') amount = Math.min(amount, await creditRemainingCents(trx, a.creditId!));
      else unapplied += a.amountCents - amount;
      if (amount < a.amountCents) shortfalls.push({ invoiceNumber: a.invoiceNumber, intendedCents: a.amountCents, appliedCents: amount });
      if (amount === 0) continue;
      await insertApplications(
        trx,
        [
          {
            invoiceId: a.invoiceId,
            customerId: p.customer_id,
            source: a.source === 'credit' ? 'credit' : 'payment',
            paymentId: p.id,
            creditId: a.source === 'credit' ? a.creditId : null,
            amountCents: amount,
            appliedOn: p.received_on,
          },
        ],
        actor,
        time.at,
      );
      touched.add(a.invoiceId);
    }
    for (const invoiceId of touched) await refreshInvoiceStatus(trx, invoiceId);
    if (unapplied !== 0) await setPaymentExtras(trx, p.id, { unappliedCents: unapplied });
    return { unapplied, shortfalls };
  }

  /**
   * Queues the confirmation the clerk asked for (print or email) in the approval's transaction.
   * It runs under a savepoint: if the document cannot be queued, the money is still posted and
   * the clerk prints or emails it again from the payment.
   */
  async function queueConfirmation(trx: Transaction<DB>, p: PaymentRecord, actor: string, time: PostingTime): Promise<void> {
    if (p.delivery === 'none') return;
    await sql`SAVEPOINT payment_confirmation`.execute(trx);
    try {
      // Loaded on first use: the documents module brings the PDF library, which most payments never need.
      const { enqueuePaymentConfirmationWith } = await import('../documents/documents.service');
      await enqueuePaymentConfirmationWith(
        trx,
        { paymentId: p.id, delivery: p.delivery, emailTo: p.receipt_email, actor, now: time.at },
        deps.settings.get(),
      );
      await sql`RELEASE payment_confirmation`.execute(trx);
    } catch (e) {
      await sql`ROLLBACK TO payment_confirmation`.execute(trx);
      await sql`RELEASE payment_confirmation`.execute(trx);
      deps.log.warn('The payment confirmation could not be queued; print or email it from the payment', {
        paymentId: p.id,
        error: (e as Error).message,
      });
    }
  }

  /** Marks a pending payment captured and posts it, in one transaction; a payment settled by someone else is left as it is. */
  async function capture(paymentId: number, outcome: Extract<Outcome, { type: 'approved' }>, actor: string, via: 'charge' | 'recovery') {
    const time = postingTime(deps);
    return db.transaction().execute(async (trx) => {
      const changed = await trx
        .updateTable('payments')
        .set({
          status: 'captured',
          gateway_transaction_id: outcome.approved.transactionId,
          authorization_code: outcome.approved.authorizationCode,
          avs_result: outcome.approved.avs,
          cvc_result: outcome.approved.cvc,
          settled_at: time.at,
        })
        .where('id', '=', paymentId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(changed.numUpdatedRows) === 0) return submitResultOf(trx, (await paymentById(trx, paymentId))!);
      const confirmation = await newConfirmationNumber(trx);
      await trx.updateTable('payments').set({ confirmation_number: confirmation }).where('id', '=', paymentId).execute();
      const p = (await paymentById(trx, paymentId))!;
      const posted = await postAllocations(trx, p, actor, time);
      await appendAudit(trx, {
        actor,
        action: 'payment.capture',
        entity: 'payment',
        entityId: paymentId,
        summary: {
          via,
          confirmationNumber: confirmation,
          amountCents: p.amount_cents,
          method: paymentMethodLabel(p.kind, p.method_brand, p.method_last4),
          transactionId: outcome.approved.transactionId,
          avs: outcome.approved.avs,
          cvc: outcome.approved.cvc,
          unappliedCents: posted.unapplied,
          ...(posted.shortfalls.length > 0 ? { shortfalls: posted.shortfalls } : {}),
        },
        at: time.at,
      });
      if (posted.shortfalls.length > 0) {
        deps.log.warn('A captured payment could not be applied as quoted; the rest is held on account', { paymentId });
      }
      await queueConfirmation(trx, p, actor, time);
      return submitResultOf(trx, (await paymentById(trx, paymentId))!);
    });
  }

  async function decline(paymentId: number, outcome: Extract<Outcome, { type: 'declined' }>, actor: string, via: 'charge' | 'recovery') {
    const time = postingTime(deps);
    return db.transaction().execute(async (trx) => {
      const changed = await trx
        .updateTable('payments')
        .set({ status: outcome.status, decline_code: outcome.code, decline_message: outcome.message, settled_at: time.at })
        .where('id', '=', paymentId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      const p = (await paymentById(trx, paymentId))!;
      if (Number(changed.numUpdatedRows) === 0) return submitResultOf(trx, p);
      await appendAudit(trx, {
        actor,
        action: outcome.status === 'declined' ? 'payment.decline' : 'payment.fail',
        entity: 'payment',
        entityId: paymentId,
        summary: {
          via,
          amountCents: p.amount_cents,
          method: paymentMethodLabel(p.kind, p.method_brand, p.method_last4),
          code: outcome.code,
          message: outcome.message,
        },
        at: time.at,
      });
      return submitResultOf(trx, p);
    });
  }

  function outcomeOfLookup(r: LookupResult): Outcome | 'not_found' | null {
    if (r.outcome === 'approved') return { type: 'approved', approved: r };
    if (r.outcome === 'declined') {
      return { type: 'declined', status: r.code === 'processing_error' ? 'failed' : 'declined', code: r.code, message: r.message };
    }
    if (r.outcome === 'not_found') return 'not_found';
    return null;
  }

  async function lookupSafely(key: string): Promise<LookupResult | null> {
    try {
      return await deps.gateway.lookup(key);
    } catch (e) {
      deps.log.warn('The payment gateway did not answer a lookup', { error: (e as Error).message });
      return null;
    }
  }

  /**
   * Asks the gateway what became of a pending payment and settles it. Never charges: only the
   * original submit charges. Returns null while the answer is still unknown.
   */
  async function settleFromGateway(p: PaymentRecord, staleAfterMs: number, actor: string): Promise<PaymentSubmitDto | null> {
    if (busyPayments.has(p.id)) return null;
    busyPayments.add(p.id);
    try {
      const r = await lookupSafely(p.idempotency_key ?? '');
      const outcome = r ? outcomeOfLookup(r) : null;
      if (outcome === null) return null;
      if (outcome === 'not_found') {
        const age = deps.clock.now().getTime() - Date.parse(p.created_at);
        if (age < staleAfterMs) return null;
        return decline(
          p.id,
          { type: 'declined', status: 'failed', code: 'no_answer', message: 'The payment never reached the payment gateway; nothing was charged.' },
          actor,
          'recovery',
        );
      }
      return outcome.type === 'approved' ? capture(p.id, outcome, actor, 'recovery') : decline(p.id, outcome, actor, 'recovery');
    } finally {
      busyPayments.delete(p.id);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Submit

  async function resolveMethod(input: PaymentSubmitInput, customer: CustomerRow, today: string, chargeCents: number): Promise<ResolvedMethod> {
    const m = input.method;
    if (!m) throw validationError('method', `Choose a card or bank account to charge ${formatCents(chargeCents)}`);
    if (m.type === 'saved') {
      const row = await methodById(db, m.paymentMethodId);
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
  function allocationRows(q: QuoteAccepted, b: Balances, kind: 'card' | 'bank') {
    const invoiceId = new Map(b.invoices.map((i) => [i.invoiceNumber, i.invoiceId]));
    const creditId = new Map(b.credits.map((c) => [c.creditNumber, c.creditId]));
    const rows: { invoice_id: number; source: 'card' | 'bank' | 'credit'; credit_id: number | null; amount_cents: number }[] = [];
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
  function checkDelivery(input: PaymentSubmitInput, customer: CustomerRow): { delivery: 'none' | 'print' | 'email'; email: string | null } {
    const delivery = input.delivery ?? 'none';
    if (delivery !== 'email') return { delivery, email: null };
    const email = input.emailTo?.trim() || customer.email?.trim() || null;
    if (!email) throw validationError('emailTo', 'is required to email the confirmation: the customer has no email address on file');
    const problem = emailProblem(email);
    if (problem) throw validationError('emailTo', problem);
    return { delivery, email };
  }

  async function submitOnce(input: PaymentSubmitInput, actor: string): Promise<PaymentSubmitDto> {
    await refuseOnDamagedLedger(deps.ledger);
    const key = input.idempotencyKey;
    const customer = await requireCustomer(db, input.customerNumber);
    const earlier = await paymentByKey(db, key);
    if (earlier) return repeatOf(earlier, customer);

    const time = postingTime(deps);
    const { delivery, email } = checkDelivery(input, customer);
    const quote = acceptedQuote(await balancesOf(db, customer.id), input);

    // Nothing to charge: whatever method came along is never read, so a stale or empty one cannot refuse the settlement.
    if (quote.chargeCents === 0) return settleWithCreditsOnly(input, customer, actor, delivery, email);

    const method = await resolveMethod(input, customer, time.businessDate, quote.chargeCents);

    const created = await db.transaction().execute(async (trx) => {
      await takeWriteLock(trx);
      const raced = await paymentByKey(trx, key);
      if (raced) return { raced };
      const b = await balancesOf(trx, customer.id);
      const q = acceptedQuote(b, input);
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
      const inserted = await trx
        .insertInto('payments')
        .values({
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
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (email) await setPaymentExtras(trx, inserted.id, { receiptEmail: email });
      const rows = allocationRows(q, b, method.kind);
      for (const r of rows) await trx.insertInto('payment_allocations').values({ payment_id: inserted.id, ...r }).execute();
      await appendAudit(trx, {
        actor,
        action: 'payment.submit',
        entity: 'payment',
        entityId: inserted.id,
        summary: {
          customerNumber: customer.customer_number,
          amountCents: q.chargeCents,
          creditCents: q.totalCreditCents,
          unappliedCents: q.unappliedCents,
          method: paymentMethodLabel(method.kind, method.brand, method.last4),
          invoices: q.lines.map((l) => l.invoiceNumber),
          credits: q.creditsUsed.map((c) => c.creditNumber),
          idempotencyKey: key,
        },
        at: time.at,
      });
      return { raced: null, paymentId: inserted.id, amountCents: q.chargeCents };
    });
    if (created.raced) return repeatOf(created.raced, customer);

    const paymentId = created.paymentId;
    busyPayments.add(paymentId);
    try {
      let result;
      try {
        result = await deps.gateway.charge({
          source: method.source,
          amountCents: created.amountCents,
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
      if (result.outcome === 'approved') return await capture(paymentId, { type: 'approved', approved: result }, actor, 'charge');
      if (result.outcome === 'declined') {
        return await decline(paymentId, { type: 'declined', status: 'declined', code: result.code, message: result.message }, actor, 'charge');
      }
      // The gateway answered with an error: ask what it recorded under the key before calling it failed.
      const looked = await lookupSafely(key);
      const outcome = looked ? outcomeOfLookup(looked) : null;
      if (outcome === null) return { status: 'pending', paymentId };
      if (outcome === 'not_found') {
        return await decline(
          paymentId,
          { type: 'declined', status: 'failed', code: result.retryable ? 'gateway_error' : 'gateway_refused', message: result.message },
          actor,
          'charge',
        );
      }
      return outcome.type === 'approved'
        ? await capture(paymentId, outcome, actor, 'charge')
        : await decline(paymentId, outcome, actor, 'charge');
    } finally {
      busyPayments.delete(paymentId);
    }
  }

  /** The same key again: the first payment's result, settled from the gateway if it was left pending. */
  async function repeatOf(p: PaymentRecord, customer: CustomerRow): Promise<PaymentSubmitDto> {
    if (p.customer_id !== customer.id) {
      throw new AppError('CONFLICT', 'This idempotency key was already used for a payment of another customer; nothing was charged.');
    }
    if (p.status === 'pending') {
      const settled = await settleFromGateway(p, DEFAULT_STALE_AFTER_MS, 'recovery');
      if (settled) return settled;
    }
    return submitResultOf(db, (await paymentById(db, p.id))!);
  }

  /** Credits cover everything: nothing to charge, so the payment is posted at once without the gateway. */
  async function settleWithCreditsOnly(
    input: PaymentSubmitInput,
    customer: CustomerRow,
    actor: string,
    delivery: 'none' | 'print' | 'email',
    email: string | null,
  ): Promise<PaymentSubmitDto> {
    const time = postingTime(deps);
    return db.transaction().execute(async (trx) => {
      await takeWriteLock(trx);
      const raced = await paymentByKey(trx, input.idempotencyKey);
      if (raced) return submitResultOf(trx, raced);
      const b = await balancesOf(trx, customer.id);
      const q = acceptedQuote(b, input);
      const confirmation = await newConfirmationNumber(trx);
      const inserted = await trx
        .insertInto('payments')
        .values({
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
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (email) await setPaymentExtras(trx, inserted.id, { receiptEmail: email });
      // Nothing is charged, so every row is a credit part.
      for (const r of allocationRows(q, b, 'card')) await trx.insertInto('payment_allocations').values({ payment_id: inserted.id, ...r }).execute();
      const p = (await paymentById(trx, inserted.id))!;
      await postAllocations(trx, p, actor, time);
      await appendAudit(trx, {
        actor,
        action: 'payment.capture',
        entity: 'payment',
        entityId: inserted.id,
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
      await queueConfirmation(trx, p, actor, time);
      return submitResultOf(trx, p);
    });
  }

  // ------------------------------------------------------------------------------------------
  // Voids and refunds

  function reversalOutcome(
    r: PaymentReversalRow,
    details: { reopened?: ReversalOutcomeDto['reopened']; creditsRestored?: ReversalOutcomeDto['creditsRestored'] } = {},
  ): ReversalOutcomeDto {
    return {
      status: r.status,
      reversalId: r.id,
      paymentId: r.payment_id,
      kind: r.kind,
      amountCents: r.amount_cents,
      message: r.failure_message,
      reopened: details.reopened ?? [],
      creditsRestored: details.creditsRestored ?? [],
    };
  }

  /**
   * Completes a reversal the gateway approved: the reversal rows (and, for a partial refund, the
   * re-applied remainder) in one transaction with the reversal's status.
   */
  async function completeReversal(reversalId: number, gatewayTransactionId: string | null, actor: string, via: string): Promise<ReversalOutcomeDto> {
    const time = postingTime(deps);
    return db.transaction().execute((trx) => completeReversalIn(trx, reversalId, gatewayTransactionId, actor, via, time));
  }

  async function completeReversalIn(
    trx: Transaction<DB>,
    reversalId: number,
    gatewayTransactionId: string | null,
    actor: string,
    via: string,
    time: PostingTime,
  ): Promise<ReversalOutcomeDto> {
    const changed = await trx
      .updateTable('payment_reversals')
      .set({ status: 'completed', gateway_transaction_id: gatewayTransactionId, settled_at: time.at })
      .where('id', '=', reversalId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    const r = (await reversalById(trx, reversalId))!;
    if (Number(changed.numUpdatedRows) === 0) return reversalOutcome(r);
    const p = (await paymentById(trx, r.payment_id))!;
    const standing = await standingApplicationsOf(trx, p.id);
    let plan: RefundPlan;
    if (r.kind === 'void') {
      plan = { refundCents: r.amount_cents, reverseIds: standing.map((a) => a.id), reapply: [], fromUnappliedCents: p.unapplied_cents };
    } else {
      const planned = planRefund({ standing, unappliedCents: p.unapplied_cents, invoiceId: r.invoice_id, amountCents: r.amount_cents });
      // Only another module reversing this payment's rows meanwhile gets here; the money is back with the customer either way.
      plan = planned.ok ? planned.plan : { refundCents: r.amount_cents, reverseIds: [], reapply: [], fromUnappliedCents: 0 };
      if (!planned.ok) deps.log.warn('A completed refund no longer matched the payment’s applications', { reversalId });
    }
    const reversed = plan.reverseIds.length > 0 ? await reverseApplications(trx, plan.reverseIds, r.reason, actor, time) : [];
    if (plan.reapply.length > 0) {
      await insertApplications(
        trx,
        plan.reapply.map((x) => ({
          invoiceId: x.invoiceId,
          customerId: p.customer_id,
          source: 'payment' as const,
          paymentId: p.id,
          creditId: null,
          amountCents: x.amountCents,
          appliedOn: time.businessDate,
          reason: `Kept after partial refund ${reversalId}`,
        })),
        actor,
        time.at,
      );
      for (const x of plan.reapply) await refreshInvoiceStatus(trx, x.invoiceId);
    }
    if (plan.fromUnappliedCents > 0) await setPaymentExtras(trx, p.id, { unappliedCents: p.unapplied_cents - plan.fromUnappliedCents });
    if (r.kind === 'void') await trx.updateTable('payments').set({ status: 'voided' }).where('id', '=', p.id).execute();

    const numbers = new Map(standing.map((a) => [a.invoiceId, a.invoiceNumber]));
    const reopenedBy = new Map<number, number>();
    const restoredBy = new Map<number, number>();
    for (const x of reversed) {
      reopenedBy.set(x.invoiceId, (reopenedBy.get(x.invoiceId) ?? 0) - x.amountCents);
      if (x.source === 'credit' && x.creditId !== null) restoredBy.set(x.creditId, (restoredBy.get(x.creditId) ?? 0) - x.amountCents);
    }
    for (const x of plan.reapply) reopenedBy.set(x.invoiceId, (reopenedBy.get(x.invoiceId) ?? 0) - x.amountCents);
    const creditNumbers = new Map<number, string>();
    if (restoredBy.size > 0) {
      const rows = await trx.selectFrom('credit_memos').select(['id', 'credit_number']).where('id', 'in', [...restoredBy.keys()]).execute();
      for (const c of rows) creditNumbers.set(c.id, c.credit_number);
    }
    const reopened = [...reopenedBy].filter(([, c]) => c > 0).map(([id, c]) => ({ invoiceNumber: numbers.get(id) ?? String(id), amountCents: c }));
    const creditsRestored = [...restoredBy].map(([id, c]) => ({ creditNumber: creditNumbers.get(id) ?? String(id), amountCents: c }));
    await appendAudit(trx, {
      actor,
      action: r.kind === 'void' ? 'payment.void' : 'payment.refund',
      entity: 'payment',
      entityId: p.id,
      summary: { via, reversalId, amountCents: r.amount_cents, reason: r.reason, transactionId: gatewayTransactionId, reopened, creditsRestored },
      at: time.at,
    });
    return reversalOutcome((await reversalById(trx, reversalId))!, { reopened, creditsRestored });
  }

  async function failReversal(reversalId: number, code: string, message: string, actor: string, via: string): Promise<ReversalOutcomeDto> {
    const time = postingTime(deps);
    return db.transaction().execute(async (trx) => {
      const changed = await trx
        .updateTable('payment_reversals')
        .set({ status: 'failed', failure_message: message, settled_at: time.at })
        .where('id', '=', reversalId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      const r = (await reversalById(trx, reversalId))!;
      if (Number(changed.numUpdatedRows) === 0) return reversalOutcome(r);
      await appendAudit(trx, {
        actor,
        action: r.kind === 'void' ? 'payment.void_decline' : 'payment.refund_decline',
        entity: 'payment',
        entityId: r.payment_id,
        summary: { via, reversalId, amountCents: r.amount_cents, code, message },
        at: time.at,
      });
      return reversalOutcome(r);
    });
  }

  async function settleReversal(reversalId: number, r: ReversalResult | LookupResult | null, actor: string, via: string, stale: boolean) {
    if (r === null || r.outcome === 'error') return null;
    if (r.outcome === 'approved') return completeReversal(reversalId, r.transactionId, actor, via);
    if (r.outcome === 'declined') return failReversal(reversalId, r.code, r.message, actor, via);
    if (stale) return failReversal(reversalId, 'no_answer', 'The request never reached the payment gateway; nothing was returned.', actor, via);
    return null;
  }

  async function reverse(
    kind: 'void' | 'refund',
    input: { paymentId: number; reason: string; invoiceNumber?: string; amountCents?: number },
    actor: string,
  ): Promise<ReversalOutcomeDto> {
    await refuseOnDamagedLedger(deps.ledger);
    const reason = input.reason.trim();
    if (!reason) throw validationError('reason', `is required to ${kind} a payment`);
    const time = postingTime(deps);
    const prepared = await db.transaction().execute(async (trx) => {
      await takeWriteLock(trx);
      const p = await paymentById(trx, input.paymentId);
      if (!p) throw new AppError('NOT_FOUND', `No payment ${input.paymentId}`, { paymentId: input.paymentId });
      if (p.status !== 'captured') {
        throw new AppError('CONFLICT', `Payment ${p.confirmation_number ?? p.id} is ${p.status}; only a captured payment can be ${kind === 'void' ? 'voided' : 'refunded'}`);
      }
      if (!['card', 'bank', 'credit_only'].includes(p.kind)) {
        throw new AppError('VALIDATION', `A ${paymentMethodLabel(p.kind, null, null).toLowerCase()} payment was not taken here and cannot be ${kind === 'void' ? 'voided' : 'refunded'} here`);
      }
      const reversals = await reversalsOf(trx, p.id);
      if (reversals.some((x) => x.status === 'pending')) {
        throw new AppError('CONFLICT', 'A void or refund of this payment is still waiting for the payment gateway; try again in a minute');
      }
      const standing = await standingApplicationsOf(trx, p.id);
      let amount: number;
      let invoiceId: number | null = null;
      if (kind === 'void') {
        if (p.kind !== 'credit_only' && p.received_on !== time.businessDate) {
          throw new AppError('VALIDATION', `A payment can be voided only on the day it was taken (${p.received_on}); refund it instead`);
        }
        if (reversals.some((x) => x.kind === 'refund' && x.status === 'completed')) {
          throw new AppError('VALIDATION', 'This payment was partly refunded, so it cannot be voided; refund the rest instead');
        }
        amount = p.kind === 'credit_only' ? standing.reduce((s, a) => s + a.amountCents, 0) : p.amount_cents;
        if (amount === 0) throw new AppError('VALIDATION', 'Nothing of this payment is left to void');
      } else {
        if (p.kind === 'credit_only') {
          throw new AppError('VALIDATION', 'A credit-only payment returned no money to refund; void it to give the credits back');
        }
        const invoiceNumber = input.invoiceNumber?.trim();
        if (invoiceNumber !== undefined) {
          const inv = standing.find((a) => a.invoiceNumber === invoiceNumber);
          if (!inv) throw validationError('invoiceNumber', `${invoiceNumber} has nothing standing from this payment`);
          invoiceId = inv.invoiceId;
        }
        const planned = planRefund({ standing, unappliedCents: p.unapplied_cents, invoiceId, amountCents: input.amountCents ?? null });
        if (!planned.ok) throw validationError(input.amountCents === undefined ? 'paymentId' : 'amountCents', planned.message);
        amount = planned.plan.refundCents;
      }
      const key = `${kind}-${p.id}-${crypto.randomUUID()}`;
      const inserted = await trx
        .insertInto('payment_reversals')
        .values({
          payment_id: p.id,
          kind,
          status: 'pending',
          amount_cents: amount,
          invoice_id: invoiceId,
          reason,
          idempotency_key: key,
          gateway_transaction_id: null,
          failure_message: null,
          created_at: time.at,
          created_by: actor,
          settled_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await appendAudit(trx, {
        actor,
        action: kind === 'void' ? 'payment.void_request' : 'payment.refund_request',
        entity: 'payment',
        entityId: p.id,
        summary: { reversalId: inserted.id, amountCents: amount, invoiceNumber: input.invoiceNumber ?? null, reason },
        at: time.at,
      });
      // Credits alone moved no money at the gateway: the reversal completes in this same transaction.
      const done = p.kind === 'credit_only' ? await completeReversalIn(trx, inserted.id, null, actor, 'credits', time) : null;
      return { reversalId: inserted.id, key, payment: p, amount, done };
    });

    const { reversalId, key, payment, amount, done } = prepared;
    if (done) return done;
    busyReversals.add(reversalId);
    try {
      let result: ReversalResult;
      try {
        result =
          kind === 'void'
            ? await deps.gateway.void(payment.gateway_transaction_id ?? '', key)
            : await deps.gateway.refund(payment.gateway_transaction_id ?? '', amount, key);
      } catch (e) {
        deps.log.warn(`The payment gateway did not answer a ${kind}; it stays pending`, { reversalId, error: (e as Error).message });
        return reversalOutcome((await reversalById(db, reversalId))!);
      }
      if (result.outcome === 'error') {
        const looked = await lookupSafely(key);
        const settled = await settleReversal(reversalId, looked, actor, kind, true);
        if (settled) return settled.status === 'failed' && looked?.outcome === 'not_found' ? { ...settled, message: result.message } : settled;
        return reversalOutcome((await reversalById(db, reversalId))!);
      }
      return (await settleReversal(reversalId, result, actor, kind, false))!;
    } finally {
      busyReversals.delete(reversalId);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Reading

  async function summaries<P extends PaymentRecord>(rows: readonly P[], customerNumberOf: (p: P) => string): Promise<PaymentSummaryDto[]> {
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
        methodLabel: paymentMethodLabel(p.kind, p.method_brand, p.method_last4),
        amountCents: p.amount_cents,
        refundedCents: refunded.get(p.id) ?? 0,
        unappliedCents: p.unapplied_cents,
        clerk: p.created_by,
        declineCode: p.decline_code,
        declineMessage: p.decline_message,
        applied: p.status === 'pending' ? await intendedApplied(db, p) : toApplied(p.kind, applied.get(p.id) ?? []),
      });
    }
    return out;
  }

  async function detail(p: PaymentRecord): Promise<PaymentDetailDto> {
    const customer = await findCustomerById(db, p.customer_id);
    const [summary] = await summaries([p], () => customer?.customer_number ?? '');
    const reversals = await reversalsOf(db, p.id);
    const standing = await standingApplicationsOf(db, p.id);
    const today = postingTime(deps).businessDate;
    const creditsUsed = summary!.applied
      .filter((a) => a.source === 'credit')
      .reduce<{ creditNumber: string; amountCents: number }[]>((acc, a) => {
        const found = acc.find((c) => c.creditNumber === a.creditNumber);
        if (found) found.amountCents += a.amountCents;
        else acc.push({ creditNumber: a.creditNumber ?? '', amountCents: a.amountCents });
        return acc;
      }, []);
    const moneyKind = p.kind === 'card' || p.kind === 'bank';
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
      })),
      canVoid:
        p.status === 'captured' &&
        (p.kind === 'credit_only' ? standing.length > 0 : moneyKind && p.received_on === today) &&
        !reversals.some((r) => r.status === 'pending' || (r.kind === 'refund' && r.status === 'completed')),
      refundableCents: reversals.some((r) => r.status === 'pending') ? 0 : refundable,
    };
  }

  return {
    async quote(input: PaymentQuoteInput): Promise<PaymentQuoteDto> {
      const customer = await requireCustomer(db, input.customerNumber);
      return quoteOn(await balancesOf(db, customer.id), input, true);
    },

    submit(input: PaymentSubmitInput, actor: string): Promise<PaymentSubmitDto> {
      const running = inFlight.get(input.idempotencyKey);
      if (running) return running;
      const attempt = submitOnce(input, actor).finally(() => inFlight.delete(input.idempotencyKey));
      inFlight.set(input.idempotencyKey, attempt);
      return attempt;
    },

    async list(customerNumber: string): Promise<{ payments: PaymentSummaryDto[] }> {
      const customer = await requireCustomer(db, customerNumber);
      return { payments: await summaries(await paymentsOfCustomer(db, customer.id), () => customer.customer_number) };
    },

    async recent(filter: { limit: number; status?: PaymentSummaryDto['status'] | undefined }): Promise<{ payments: RecentPaymentDto[] }> {
      const rows = await recentPayments(db, filter);
      const listed = await summaries(rows, (p) => p.customerNumber);
      return { payments: listed.map((s, i) => ({ ...s, customerName: rows[i]!.customerName })) };
    },

    async get(by: { paymentId: number } | { confirmationNumber: string }): Promise<PaymentDetailDto> {
      let p: PaymentRecord | undefined;
      if ('paymentId' in by) p = await paymentById(db, by.paymentId);
      else {
        const normalized = normalizeConfirmationNumber(by.confirmationNumber);
        p = normalized ? await paymentByConfirmation(db, normalized) : undefined;
      }
      if (!p) {
        const what = 'paymentId' in by ? `payment ${by.paymentId}` : `payment with confirmation number ${by.confirmationNumber.trim()}`;
        throw new AppError('NOT_FOUND', `No ${what}`);
      }
      return detail(p);
    },

    void(input: { paymentId: number; reason: string }, actor: string): Promise<ReversalOutcomeDto> {
      return reverse('void', input, actor);
    },

    refund(input: { paymentId: number; reason: string; invoiceNumber?: string; amountCents?: number }, actor: string): Promise<ReversalOutcomeDto> {
      return reverse('refund', input, actor);
    },

    /**
     * Settles every pending payment and reversal by asking the gateway what it recorded under their
     * keys. Never charges or refunds anything itself. Requests in progress in this process are skipped.
     */
    async recover(actor: string, options: RecoverOptions = {}): Promise<RecoveryReportDto> {
      const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
      const report: RecoveryReportDto = { payments: [], reversals: [], stillPending: { payments: 0, reversals: 0 } };
      for (const id of await pendingPaymentIds(db)) {
        const p = await paymentById(db, id);
        if (!p || p.status !== 'pending') continue;
        const settled = await settleFromGateway(p, staleAfterMs, actor);
        const after = await paymentById(db, id);
        if (!settled || !after || after.status === 'pending') {
          report.stillPending.payments += 1;
          continue;
        }
        const customer = await findCustomerById(db, after.customer_id);
        report.payments.push({
          paymentId: id,
          customerNumber: customer?.customer_number ?? '',
          outcome: after.status === 'captured' ? 'captured' : after.status === 'declined' ? 'declined' : 'failed',
          amountCents: after.amount_cents,
          confirmationNumber: after.confirmation_number,
          message: after.decline_message,
        });
      }
      for (const id of await pendingReversalIds(db)) {
        if (busyReversals.has(id)) {
          report.stillPending.reversals += 1;
          continue;
        }
        const r = await reversalById(db, id);
        if (!r || r.status !== 'pending') continue;
        busyReversals.add(id);
        let settled: ReversalOutcomeDto | null;
        try {
          const age = deps.clock.now().getTime() - Date.parse(r.created_at);
          const p = await paymentById(db, r.payment_id);
          settled =
            p?.kind === 'credit_only'
              ? await completeReversal(id, null, actor, 'recovery')
              : await settleReversal(id, await lookupSafely(r.idempotency_key), actor, 'recovery', age >= staleAfterMs);
        } finally {
          busyReversals.delete(id);
        }
        if (!settled || settled.status === 'pending') {
          report.stillPending.reversals += 1;
          continue;
        }
        report.reversals.push({ reversalId: id, paymentId: r.payment_id, kind: r.kind, outcome: settled.status, amountCents: r.amount_cents });
      }
      return report;
    },

  };
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;
