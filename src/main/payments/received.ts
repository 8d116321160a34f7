import type { PaymentSubmitDto, PaymentSubmitInput } from '../../shared/contract/payments';
import type { DuplicateCheckDto, ReceivedQuoteDto, ReceivedQuoteInput, RecordReceivedInput } from '../../shared/contract/received';
import { AppError } from '../../shared/errors';
import { formatCents } from '../../shared/money';
import type { Db } from '../db/types';
import { lockCustomer, writeTx } from '../db/dialect';
import { refuseOnDamagedLedger } from '../db/ledger-check';
import { requireCustomer } from '../ledger/customers.repo';
import { assertDayOpen } from '../ledger/day-close';
import { postingTime } from '../ledger/posting';
import { appendAudit } from '../staff/audit.repo';
import type { PaymentsContext } from './context';
import { insertAllocations, insertPayment, paymentById, paymentByKey, takeWriteLock } from './payments.repo';
import { acceptedQuoteOrPaidMeanwhile, balancesOf, quoteOn } from './quote';
import { submitResultOf } from './read-models';
import { checkReceivedFields, normalizeCheckNumber, receivedLabel } from './received.rules';
import { newConfirmationNumber, postAllocations, queueConfirmation } from './settle';
import { allocationRows, checkDelivery } from './submit';

/**
 * Money received outside the card gateway: a check, cash, a wire or a bank transfer. The same
 * allocation (quote.ts), confirmation number and idempotency key as a card payment, posted captured
 * in one transaction since there is nobody to ask.
 */

/** An earlier check of this customer with the same number and amount, if any. */
export async function earlierCheck(d: Db, customerId: number, checkNumber: string, amountCents: number): Promise<DuplicateCheckDto | null> {
  const row = await d
    .selectFrom('payments')
    .select(['id', 'confirmation_number', 'received_on', 'check_number', 'amount_cents'])
    .where('customer_id', '=', customerId)
    .where('received_via', '=', 'check')
    .where('check_number', '=', checkNumber)
    .where('amount_cents', '=', amountCents)
    .orderBy('id')
    .executeTakeFirst();
  return row
    ? { paymentId: row.id, confirmationNumber: row.confirmation_number, receivedOn: row.received_on, checkNumber: row.check_number ?? checkNumber, amountCents: row.amount_cents }
    : null;
}

function duplicateMessage(d: DuplicateCheckDto): string {
  return (
    `Check ${d.checkNumber} for ${formatCents(d.amountCents)} was recorded already on ${d.receivedOn}` +
    `${d.confirmationNumber ? ` (confirmation ${d.confirmationNumber})` : ''}; post it anyway only if this is another check`
  );
}

/** The submit-shaped input the shared quote code reads: the check's amount is what is charged. */
function asQuoteInput(input: Pick<RecordReceivedInput, 'customerNumber' | 'invoiceNumbers' | 'creditNumbers' | 'amountCents' | 'idempotencyKey'>): PaymentSubmitInput {
  return {
    customerNumber: input.customerNumber,
    invoiceNumbers: input.invoiceNumbers,
    creditNumbers: input.creditNumbers,
    amountCents: input.amountCents,
    confirmedAmountCents: input.amountCents,
    idempotencyKey: input.idempotencyKey,
  };
}

/** The preview: the allocation under the house rules, and a warning when the check looks recorded already. */
export async function quoteReceived(ctx: PaymentsContext, input: ReceivedQuoteInput): Promise<ReceivedQuoteDto> {
  const customer = await requireCustomer(ctx.db, input.customerNumber);
  const quote = quoteOn(ctx.deps.settings, await balancesOf(ctx.db, customer.id), input, true);
  const number = input.method === 'check' ? normalizeCheckNumber(input.checkNumber) : '';
  const duplicate = number && input.amountCents > 0 ? await earlierCheck(ctx.db, customer.id, number, input.amountCents) : null;
  return { quote, duplicate };
}

export function recordReceived(ctx: PaymentsContext, input: RecordReceivedInput, actor: string): Promise<PaymentSubmitDto> {
  return ctx.locks.submitOnce(input.idempotencyKey, () => recordOnce(ctx, input, actor));
}

async function recordOnce(ctx: PaymentsContext, input: RecordReceivedInput, actor: string): Promise<PaymentSubmitDto> {
  const { deps, db } = ctx;
  await refuseOnDamagedLedger(deps.ledger);
  const customer = await requireCustomer(db, input.customerNumber);
  const repeat = async (p: NonNullable<Awaited<ReturnType<typeof paymentByKey>>>) => {
    if (p.customer_id !== customer.id) {
      throw new AppError('CONFLICT', 'This idempotency key was already used for a payment of another customer; nothing was recorded.');
    }
    return submitResultOf(db, p);
  };
  const earlier = await paymentByKey(db, input.idempotencyKey);
  if (earlier) return repeat(earlier);

  const time = postingTime(deps);
  const fields = checkReceivedFields(input, time.businessDate);
  const { delivery, email } = checkDelivery(input, customer);
  const quoteInput = asQuoteInput(input);
  // Refused before the transaction with the same words it would be refused with inside it.
  await acceptedQuoteOrPaidMeanwhile(db, deps.settings, await balancesOf(db, customer.id), quoteInput, customer.id);

  const done = await writeTx(db, async (trx) => {
    await takeWriteLock(trx);
    await lockCustomer(trx, customer.id);
    const raced = await paymentByKey(trx, input.idempotencyKey);
    if (raced) return { raced };
    // The payment and its applications are posted on the date received, which may be back-dated.
    await assertDayOpen(trx, fields.receivedOn, 'receivedOn');
    const b = await balancesOf(trx, customer.id);
    const q = await acceptedQuoteOrPaidMeanwhile(trx, deps.settings, b, quoteInput, customer.id);
    const duplicate = fields.checkNumber ? await earlierCheck(trx, customer.id, fields.checkNumber, fields.amountCents) : null;
    if (duplicate && input.postAnyway !== true) {
      throw new AppError('CONFLICT', duplicateMessage(duplicate), { code: 'DUPLICATE_CHECK', duplicate, fields: { checkNumber: duplicateMessage(duplicate) } });
    }
    const confirmation = await newConfirmationNumber(trx);
    const paymentId = await insertPayment(trx, {
      customer_id: customer.id,
      kind: fields.kind,
      status: 'captured',
      amount_cents: q.chargeCents,
      idempotency_key: input.idempotencyKey,
      confirmation_number: confirmation,
      payment_method_id: null,
      method_brand: null,
      method_last4: null,
      gateway: null,
      delivery,
      received_on: fields.receivedOn,
      created_at: time.at,
      created_by: actor,
      settled_at: time.at,
      receipt_email: email,
      received_via: fields.via,
      check_number: fields.checkNumber,
      check_bank: fields.checkBank,
      reference: fields.reference,
    });
    await insertAllocations(trx, paymentId, allocationRows(q, b, fields.kind));
    const p = (await paymentById(trx, paymentId))!;
    const posted = await postAllocations(trx, p, actor, time);
    if (duplicate) {
      await appendAudit(trx, {
        actor,
        action: 'payment.duplicate_check_posted',
        entity: 'payment',
        entityId: paymentId,
        summary: { customerNumber: customer.customer_number, checkNumber: fields.checkNumber, amountCents: fields.amountCents, earlier: duplicate },
        at: time.at,
      });
    }
    await appendAudit(trx, {
      actor,
      action: 'payment.record_received',
      entity: 'payment',
      entityId: paymentId,
      summary: {
        confirmationNumber: confirmation,
        customerNumber: customer.customer_number,
        method: receivedLabel({ received_via: fields.via, check_number: fields.checkNumber, check_bank: fields.checkBank, reference: fields.reference }),
        amountCents: q.chargeCents,
        receivedOn: fields.receivedOn,
        creditCents: q.totalCreditCents,
        unappliedCents: posted.unapplied,
        invoices: q.lines.map((l) => l.invoiceNumber),
        credits: q.creditsUsed.map((c) => c.creditNumber),
        idempotencyKey: input.idempotencyKey,
        ...(duplicate ? { postedAnyway: true } : {}),
      },
      at: time.at,
    });
    await queueConfirmation(ctx, trx, p, actor, time);
    return { raced: null, result: await submitResultOf(trx, (await paymentById(trx, paymentId))!) };
  });
  return done.raced ? repeat(done.raced) : done.result;
}
