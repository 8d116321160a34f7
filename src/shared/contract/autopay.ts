import { z } from 'zod';
import { channel } from './define';

/**
 * Autopay: the daily billing run charges a customer's due invoices with the method on file. On or
 * off per customer, with the method (null: the default on file) and the consent recorded.
 */

export interface AutopayChargedDto {
  customerNumber: string;
  invoiceNumbers: string[];
  amountCents: number;
  attemptNumber: number;
  /** null in a dry run. */
  paymentId: number | null;
  confirmationNumber: string | null;
}

export interface AutopayDeclinedDto {
  customerNumber: string;
  invoiceNumbers: string[];
  amountCents: number;
  attemptNumber: number;
  paymentId: number;
  code: string;
  message: string;
  /** A hard decline (lost or stolen card, closed account, invalid number): never retried. */
  hard: boolean;
  /** null: no retry (a hard decline, or the schedule's last retry). */
  nextRetryDate: string | null;
}

export interface AutopaySkippedDto {
  customerNumber: string;
  invoiceNumbers: string[];
  amountCents: number;
  reason: string;
}

/** The autopay part of a billing run's result. */
export interface AutopayRunDto {
  charged: AutopayChargedDto[];
  declined: AutopayDeclinedDto[];
  /**
   * Customers with invoices due that were not charged for a reason the office must act on (no
   * usable method, a charge awaiting recovery, a hard decline or no retry left, a cancelled
   * account), each with that reason. Customers with nothing due are not listed.
   */
  skipped: AutopaySkippedDto[];
  /** Customers with invoices due merely waiting for the next scheduled retry of a declined charge. */
  waitingRetry: number;
  /** "Your card expires next month" notices queued by this run. */
  expiryNotices: number;
}

export type AutopayOutcomeDto = 'pending' | 'approved' | 'declined' | 'hard_declined' | 'unknown' | 'not_charged';

export interface AutopayAttemptDto {
  attemptId: number;
  attemptDate: string;
  attemptNumber: number;
  amountCents: number;
  invoices: { invoiceNumber: string; amountCents: number }[];
  outcome: AutopayOutcomeDto;
  declineCode: string | null;
  declineMessage: string | null;
  paymentId: number | null;
  /** The payment's confirmation number once the gateway approved it; null otherwise. */
  confirmationNumber: string | null;
  method: string;
  /** The next try after a decline; null when none is scheduled. */
  nextRetryDate: string | null;
}

export interface AutopayDto {
  customerNumber: string;
  enabled: boolean;
  /** The method chosen; null: the customer's default method on file. */
  paymentMethodId: number | null;
  /** The method the next charge would use, as read ("Visa ending 4242"); null when none is on file. */
  methodLabel: string | null;
  consentVia: 'supervisor' | 'customer_consent' | 'import' | null;
  consentBy: string | null;
  consentAt: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
  /** Newest first. */
  attempts: AutopayAttemptDto[];
}

const customerNumber = z.string().max(20);

export const autopaySetInput = z.strictObject({
  customerNumber,
  enabled: z.boolean(),
  /** A method on file of the customer; left out or null: the default method on file. */
  paymentMethodId: z.number().int().positive().nullable().optional(),
  /**
   * 'customer': a clerk records that the customer consented (on the phone, in writing). A
   * supervisor needs none; a clerk turning autopay on without it is refused.
   */
  consent: z.enum(['customer']).optional(),
});
export type AutopaySetInput = z.infer<typeof autopaySetInput>;

export const autopayChannels = {
  'autopay.get': channel<AutopayDto>()(z.strictObject({ customerNumber })),
  'autopay.set': channel<AutopayDto>()(autopaySetInput),
};
