import type { PaymentSubmitInput } from '../../shared/contract/payments';
import { validationError } from '../../shared/errors';
import { phoneDebitWording } from '../../shared/phoneDebit';
import type { Db, Tx } from '../db/types';
import type { SettingsStore } from '../settings/settings.store';

/**
 * A bank debit taken over the phone needs the customer's spoken authorization (NACHA
 * telephone-initiated entries): the clerk reads the wording and ticks that the customer agreed.
 * Main refuses a bank payment without it, before anything is tokenized, written or charged, and
 * keeps the wording read, who took it and when with the payment; the confirmation prints it as
 * the customer's written notice.
 */

const NOT_AUTHORIZED = 'The customer must authorize this bank debit on the phone: read the authorization to them and tick the box';

/** Refuses a new bank account without the authorization before anything else happens (no token is made for it). */
export function refuseUnauthorizedNewBankDebit(input: PaymentSubmitInput): void {
  if (input.method?.type === 'bank' && input.phoneDebitAuthorized !== true) throw validationError('phoneDebitAuthorized', NOT_AUTHORIZED);
}

/**
 * The wording to keep with a bank payment (null for a card), or a refusal: not authorized, or the
 * screen read other terms than these (the amount, the date or the account changed meanwhile).
 */
export function authorizedDebitWording(
  input: PaymentSubmitInput,
  debit: { kind: 'card' | 'bank'; customerName: string; amountCents: number; debitDate: string; last4: string },
  settings: SettingsStore,
): string | null {
  if (debit.kind !== 'bank') return null;
  if (input.phoneDebitAuthorized !== true) throw validationError('phoneDebitAuthorized', NOT_AUTHORIZED);
  const company = settings.get().company;
  const wording = phoneDebitWording({
    customerName: debit.customerName,
    amountCents: debit.amountCents,
    debitDate: debit.debitDate,
    last4: debit.last4,
    companyName: company.name,
    companyPhone: company.phone,
  });
  if (input.phoneDebitWording !== undefined && input.phoneDebitWording !== wording) {
    throw validationError(
      'phoneDebitWording',
      'The debit’s terms changed after the authorization was read (amount, date, account or the office’s details): read it to the customer again',
    );
  }
  return wording;
}

export async function recordPhoneDebitAuthorization(trx: Tx, paymentId: number, wording: string, by: string, at: string): Promise<void> {
  await trx.insertInto('payment_authorizations').values({ payment_id: paymentId, kind: 'phone_debit', wording, authorized_at: at, authorized_by: by }).execute();
}

/** The authorization kept with a payment, if any (the confirmation prints it). */
export async function phoneDebitAuthorizationOf(db: Db, paymentId: number) {
  return db
    .selectFrom('payment_authorizations')
    .select(['wording', 'authorized_at as authorizedAt', 'authorized_by as authorizedBy'])
    .where('payment_id', '=', paymentId)
    .where('kind', '=', 'phone_debit')
    .executeTakeFirst();
}
