import type { Generated, Selectable } from 'kysely';

/** Row types of the clerk's day outside the money rows: deposits, account notes, phone authorizations, closed days. */

/** A batch of received checks and cash taken to the bank (2026_12_03_0002); frozen once closed. */
export interface DepositsTable {
  id: Generated<number>;
  deposit_date: string;
  status: Generated<'open' | 'closed'>;
  created_at: string;
  created_by: string;
  closed_at: string | null;
  closed_by: string | null;
}

/** A payment in a deposit, or (negative, with its reversal) a correction of one deposited before. */
export interface DepositItemsTable {
  id: Generated<number>;
  deposit_id: number;
  payment_id: number;
  reversal_id: number | null;
  amount_cents: number;
  added_at: string;
  added_by: string;
}

/** The account's log of notes and promises to pay (2026_12_03_0004); append-only. */
export interface AccountNotesTable {
  id: Generated<number>;
  customer_id: number;
  kind: 'call' | 'general' | 'promise';
  body: string;
  /** A promise's date and amount; null for other notes. */
  promised_on: string | null;
  promised_cents: number | null;
  /** The business date it was written on. */
  created_on: string;
  created_at: string;
  created_by: string;
}

/** A customer's spoken authorization of a bank debit over the phone (2026_12_03_0004); never changed. */
export interface PaymentAuthorizationsTable {
  id: Generated<number>;
  payment_id: number;
  kind: 'phone_debit';
  /** Exactly what the clerk read to the customer. */
  wording: string;
  authorized_at: string;
  authorized_by: string;
}

/** One closed business date (2026_12_03_0005_day_close), append-only: nothing is posted on or before it. */
export interface DayClosesTable {
  id: Generated<number>;
  business_date: string;
  closed_at: string;
  closed_by: string;
  approved_by: string | null;
  captured_cents: number;
  refunded_cents: number;
  voided_cents: number;
  net_cents: number;
  card_net_cents: number;
  gateway_card_net_cents: number;
  difference_count: number;
  /** JSON: the day's card totals by brand, AR Desk's and the gateway's. */
  totals: string;
  /** JSON: every difference found against the gateway's settlement report. */
  differences: string;
}

/** Billing disputes (migration 2026_12_05_0005). */
export interface DisputesTable {
  id: Generated<number>;
  customer_id: number;
  status: Generated<'open' | 'resolved'>;
  reason: string;
  opened_at: string;
  opened_by: string;
  outcome: 'customer' | 'against' | null;
  resolution_reason: string | null;
  credit_id: number | null;
  resolved_at: string | null;
  resolved_by: string | null;
}

export interface DisputeInvoicesTable {
  dispute_id: number;
  invoice_id: number;
}

export type DepositRow = Selectable<DepositsTable>;
export type DepositItemRow = Selectable<DepositItemsTable>;
export type AccountNoteRow = Selectable<AccountNotesTable>;
export type DayCloseRow = Selectable<DayClosesTable>;

/** Autopay (migration 2026_12_06_0001). */
export type AutopayConsentVia = 'supervisor' | 'customer_consent' | 'import';
export type AutopayOutcome = 'pending' | 'approved' | 'declined' | 'hard_declined' | 'unknown' | 'not_charged';

export interface AutopaySettingsTable {
  id: Generated<number>;
  customer_id: number;
  enabled: number;
  /** null: the customer's default method on file. */
  payment_method_id: number | null;
  consent_via: AutopayConsentVia | null;
  consent_by: string | null;
  consent_at: string | null;
  updated_at: string;
  updated_by: string;
}

export interface AutopayAttemptsTable {
  id: Generated<number>;
  customer_id: number;
  attempt_date: string;
  attempt_number: number;
  idempotency_key: string;
  amount_cents: number;
  payment_method_id: number;
  outcome: Generated<AutopayOutcome>;
  decline_code: string | null;
  decline_message: string | null;
  payment_id: number | null;
  first_declined_on: string | null;
  next_retry_date: string | null;
  notice_outbox_id: number | null;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export interface AutopayAttemptInvoicesTable {
  attempt_id: number;
  invoice_id: number;
  amount_cents: number;
}

export interface PaymentMethodExpiryNoticesTable {
  id: Generated<number>;
  payment_method_id: number;
  customer_id: number;
  sent_on: string;
  outbox_id: number | null;
  created_at: string;
}
