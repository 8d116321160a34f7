/**
 * Autopay on an account: reading it with its attempts, and turning it on or off. Turning it on is a
 * supervisor's decision or the customer's recorded consent (a clerk says `consent: 'customer'`);
 * either way who, when and how is kept on the setting and in the audit row. Saving the setting
 * again also starts a new series after a hard decline or the last retry.
 */
import type { AutopayDto, AutopaySetInput } from '../../shared/contract/autopay';
import type { StaffRole } from '../../shared/contract/auth';
import { AppError, validationError } from '../../shared/errors';
import type { CoreDeps } from '../deps';
import type { Tx } from '../db/types';
import type { AutopayConsentVia } from '../db/schema';
import { lockCustomer, writeTx } from '../db/dialect';
import { requireCustomer } from '../ledger/customers.repo';
import { postingTime } from '../ledger/posting';
import { appendAudit } from '../staff/audit.repo';
import { methodLabel } from '../payments/paymentMethods.rules';
import { takeWriteLock } from '../payments/payments.repo';
import { attemptInvoices, attemptsOf, autopayMethod, settingOf } from './autopay.repo';

export interface AutopayService {
  get(customerNumber: string): Promise<AutopayDto>;
  /** `role` null: an in-process caller (the CLI), trusted as a supervisor. */
  set(input: AutopaySetInput, actor: string, role: StaffRole | null): Promise<AutopayDto>;
}

/** Writes a customer's autopay setting (insert or change) and its audit row, inside the caller's transaction. */
export async function saveAutopaySetting(
  trx: Tx,
  customer: { id: number; customer_number: string },
  s: { enabled: boolean; paymentMethodId: number | null; consentVia: AutopayConsentVia | null },
  actor: string,
  at: string,
): Promise<void> {
  const before = await settingOf(trx, customer.id);
  const consent = s.enabled ? { consent_via: s.consentVia, consent_by: actor, consent_at: at } : { consent_via: before?.consent_via ?? null, consent_by: before?.consent_by ?? null, consent_at: before?.consent_at ?? null };
  const values = { enabled: s.enabled ? 1 : 0, payment_method_id: s.paymentMethodId, ...consent, updated_at: at, updated_by: actor };
  if (before) await trx.updateTable('autopay_settings').set(values).where('customer_id', '=', customer.id).execute();
  else await trx.insertInto('autopay_settings').values({ customer_id: customer.id, ...values }).execute();
  await appendAudit(trx, {
    actor,
    action: s.enabled ? 'autopay.on' : 'autopay.off',
    entity: 'customer',
    entityId: customer.customer_number,
    customerNumber: customer.customer_number,
    summary: {
      customerNumber: customer.customer_number,
      enabled: s.enabled,
      paymentMethodId: s.paymentMethodId,
      ...(s.enabled ? { consent: s.consentVia } : {}),
      before: before ? { enabled: before.enabled === 1, paymentMethodId: before.payment_method_id } : null,
    },
    at,
  });
}

export function createAutopayService(deps: Pick<CoreDeps, 'ledger' | 'clock' | 'settings'>): AutopayService {
  const db = deps.ledger.db;

  async function get(customerNumber: string): Promise<AutopayDto> {
    const c = await requireCustomer(db, customerNumber);
    const s = await settingOf(db, c.id);
    const method = await autopayMethod(db, c.id, s?.payment_method_id ?? null);
    const attempts = await attemptsOf(db, c.id);
    const invoices = await attemptInvoices(db, attempts.map((a) => a.id));
    const paymentIds = attempts.flatMap((a) => (a.payment_id === null ? [] : [a.payment_id]));
    const confirmations = new Map(
      paymentIds.length === 0
        ? []
        : (await db.selectFrom('payments').select(['id', 'confirmation_number']).where('id', 'in', paymentIds).execute()).map((p) => [p.id, p.confirmation_number] as const),
    );
    const methods = new Map<number, string>();
    for (const a of attempts) {
      if (!methods.has(a.payment_method_id)) {
        const m = await db.selectFrom('payment_methods').selectAll().where('id', '=', a.payment_method_id).executeTakeFirst();
        methods.set(a.payment_method_id, m ? methodLabel(m) : '');
      }
    }
    return {
      customerNumber: c.customer_number,
      enabled: s?.enabled === 1,
      paymentMethodId: s?.payment_method_id ?? null,
      methodLabel: method && method.removed_at === null ? methodLabel(method) : null,
      consentVia: s?.consent_via ?? null,
      consentBy: s?.consent_by ?? null,
      consentAt: s?.consent_at ?? null,
      updatedAt: s?.updated_at ?? null,
      updatedBy: s?.updated_by ?? null,
      attempts: attempts.map((a) => ({
        attemptId: a.id,
        attemptDate: a.attempt_date,
        attemptNumber: a.attempt_number,
        amountCents: a.amount_cents,
        invoices: invoices.get(a.id) ?? [],
        outcome: a.outcome,
        declineCode: a.decline_code,
        declineMessage: a.decline_message,
        paymentId: a.payment_id,
        confirmationNumber: a.payment_id === null ? null : (confirmations.get(a.payment_id) ?? null),
        method: methods.get(a.payment_method_id) ?? '',
        nextRetryDate: a.next_retry_date,
      })),
    };
  }

  return {
    get,
    async set(input, actor, role) {
      const c = await requireCustomer(db, input.customerNumber);
      const supervisor = role === null || role === 'supervisor' || role === 'admin';
      if (input.enabled && !supervisor && input.consent !== 'customer') {
        throw new AppError('FORBIDDEN', "Turning autopay on needs a supervisor, or the customer's consent recorded (consent: customer)", { needs: 'supervisor' });
      }
      const methodId = input.paymentMethodId ?? null;
      const time = postingTime(deps);
      await writeTx(db, async (trx) => {
        await takeWriteLock(trx);
        await lockCustomer(trx, c.id);
        if (methodId !== null) {
          const m = await trx.selectFrom('payment_methods').select(['id', 'customer_id', 'removed_at']).where('id', '=', methodId).executeTakeFirst();
          if (!m || m.customer_id !== c.id || m.removed_at !== null) throw validationError('paymentMethodId', `is not a payment method on file for ${c.customer_number}`);
        } else if (input.enabled) {
          const d = await autopayMethod(trx, c.id, null);
          if (!d) throw validationError('paymentMethodId', `${c.customer_number} has no default payment method on file: save a card or bank account first, or choose one`);
        }
        const consentVia: AutopayConsentVia | null = input.enabled ? (input.consent === 'customer' ? 'customer_consent' : 'supervisor') : null;
        await saveAutopaySetting(trx, c, { enabled: input.enabled, paymentMethodId: methodId, consentVia }, actor, time.at);
      });
      return get(c.customer_number);
    },
  };
}
