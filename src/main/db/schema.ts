import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

import type { DepositsTable, DepositItemsTable, AccountNotesTable, PaymentAuthorizationsTable, DayClosesTable, DisputesTable, DisputeInvoicesTable, AutopaySettingsTable, AutopayAttemptsTable, AutopayAttemptInvoicesTable, PaymentMethodExpiryNoticesTable } from './schema.desk';
import type { DunningLevelsTable, DunningPolicyTable, DunningNoticesTable, DunningNoticeInvoicesTable, DunningLateFeesTable, CustomerCollectionsTable } from './schema.dunning';
import type { BillingFrequency, SubscriptionsTable, SubscriptionLinesTable, SubscriptionPeriodsTable, SubscriptionRebillsTable, BillingRunsTable, InvoiceDeliveriesTable, InvoiceDeliveryChoice } from './schema.billing';

export type * from './schema.desk';
export type * from './schema.billing';
export type * from './schema.dunning';

/** Row types of the ledger, one interface per table (the day's and billing's in their own files). 0/1 columns are SQLite booleans. */

export interface StaffUsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: 'clerk' | 'supervisor' | 'admin';
  active: Generated<number>;
  created_at: string;
  /** Added by migration 2026_12_01_0004_staff (sign-in); null until a password is set. */
  password_hash: string | null;
  /** JSON array of the previous passwords' hashes, newest first. */
  password_history: Generated<string>;
  password_changed_at: string | null;
  must_change_password: Generated<number>;
  failed_attempts: Generated<number>;
  locked_until: string | null;
  last_sign_in_at: string | null;
  /** AES-256-GCM encrypted (see staff/totp.ts), never the clear secret. */
  totp_secret: string | null;
  totp_last_step: number | null;
  updated_at: string | null;
}

/** The office's sign-in settings: one row (id 1). */
export interface StaffPolicyTable {
  id: number;
  idle_lock_minutes: Generated<number>;
  require_admin_totp: Generated<number>;
  updated_at: string | null;
  updated_by: string | null;
}

/** The office's settings, shared by its workstations: one row (id 1), the office part as JSON text (migration 2026_12_03_0001). */
export interface OfficeSettingsTable {
  id: number;
  settings: string;
  /** Grows by one with every save; a save made from an older version is refused. */
  version: number;
  updated_at: string;
  updated_by: string;
}

export interface CustomersTable {
  id: Generated<number>;
  customer_number: string;
  legal_name: string;
  name_search: string;
  billing_contact: string | null;
  email: string | null;
  phone: string | null;
  phone_digits: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
  mailing_line1: string | null;
  mailing_line2: string | null;
  mailing_city: string | null;
  mailing_region: string | null;
  mailing_postal_code: string | null;
  mailing_country: string | null;
  terms_days: Generated<number>;
  tax_exempt: Generated<number>;
  status: Generated<'active' | 'cancelled'>;
  notes: string | null;
  created_at: string;
  updated_at: string;
  /** Set when the account is cancelled (billing/account-cancel.ts): the day its service stops, how, why, who, when. */
  cancelled_on: string | null;
  cancel_mode: 'end_of_term' | 'immediate' | null;
  cancel_reason: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
  /** Added by 2026_12_04_0003_invoice_delivery; null: the office's default. */
  invoice_delivery: Generated<InvoiceDeliveryChoice | null>;
}

export interface CustomerNameWordsTable {
  word: string;
  customer_id: number;
  /** The customer's name_search and customer_number: the lookup box's order, read with the word (migration 2026_12_09_0001). */
  name_search: string;
  customer_number: string;
}


export interface InvoicesTable {
  id: Generated<number>;
  invoice_number: string;
  customer_id: number;
  issue_date: string;
  due_date: string;
  period_start: string | null;
  period_end: string | null;
  billing_frequency: BillingFrequency | null;
  tax_rate_bp: Generated<number>;
  subtotal_cents: number;
  tax_cents: number;
  total_cents: number;
  status: Generated<'open' | 'paid' | 'void'>;
  disputed: Generated<number>;
  dispute_reason: string | null;
  void_reason: string | null;
  voided_at: string | null;
  voided_by: string | null;
  created_at: string;
  created_by: string;
}

export interface InvoiceLinesTable {
  id: Generated<number>;
  invoice_id: number;
  line_no: number;
  description: string;
  quantity: number;
  unit_price_cents: number;
  amount_cents: number;
  taxable: Generated<number>;
}

export interface CreditMemosTable {
  id: Generated<number>;
  credit_number: string;
  customer_id: number;
  issue_date: string;
  amount_cents: number;
  reason: Generated<string>;
  created_at: string;
  created_by: string;
}

export interface PaymentMethodsTable {
  id: Generated<number>;
  customer_id: number;
  kind: 'card' | 'bank';
  gateway: string;
  token: string;
  brand: string;
  last4: string;
  exp_month: number | null;
  exp_year: number | null;
  account_type: 'checking' | 'savings' | null;
  nickname: string | null;
  billing_name: string;
  billing_postal_code: string | null;
  billing_address: string | null;
  is_default: Generated<number>;
  removed_at: string | null;
  created_at: string;
  created_by: string;
}

export type PaymentKind = 'card' | 'bank' | 'credit_only' | 'import' | 'check' | 'cash';
export type PaymentStatus = 'pending' | 'captured' | 'declined' | 'failed' | 'voided';

export interface PaymentsTable {
  id: Generated<number>;
  customer_id: number;
  kind: PaymentKind;
  status: PaymentStatus;
  amount_cents: number;
  idempotency_key: string | null;
  confirmation_number: string | null;
  payment_method_id: number | null;
  method_brand: string | null;
  method_last4: string | null;
  gateway: string | null;
  gateway_transaction_id: string | null;
  authorization_code: string | null;
  avs_result: string | null;
  cvc_result: string | null;
  decline_code: string | null;
  decline_message: string | null;
  delivery: Generated<'none' | 'print' | 'email'>;
  received_on: string;
  created_at: string;
  created_by: string;
  settled_at: string | null;
  /** Added by migration 0003: an overpayment kept on account. */
  unapplied_cents: Generated<number>;
  /** Added by migration 0003: where an emailed confirmation goes. */
  receipt_email: string | null;
  /** Added by 2026_12_01_0005: the workstation settling it with the gateway, until the lease ends. */
  claimed_by: string | null;
  claimed_until: string | null;
  /** Added by 2026_12_03_0002: money received outside the gateway, how it came; null for card and gateway bank payments. */
  received_via: ReceivedVia | null;
  check_number: string | null;
  check_bank: string | null;
  /** A wire's or bank transfer's reference. */
  reference: string | null;
}

export type ReceivedVia = 'check' | 'cash' | 'wire' | 'transfer';

export interface PaymentAllocationsTable {
  id: Generated<number>;
  payment_id: number;
  invoice_id: number;
  source: 'card' | 'bank' | 'credit' | 'import' | 'check' | 'cash';
  credit_id: number | null;
  amount_cents: number;
}

export interface ApplicationsTable {
  id: Generated<number>;
  invoice_id: number;
  customer_id: number;
  /** 'write_off' added by 2026_12_03_0003_corrections. */
  source: 'payment' | 'credit' | 'write_off';
  payment_id: number | null;
  credit_id: number | null;
  amount_cents: number;
  reverses_id: number | null;
  applied_on: string;
  reason: string | null;
  created_at: string;
  created_by: string;
  /** Added by 2026_12_03_0003_corrections: the write-off this row posts (source 'write_off'). */
  write_off_id: Generated<number | null>;
}

/** A supervisor's write-off of a small invoice balance (2026_12_03_0003_corrections); its application row moves the balance. */
export interface WriteOffsTable {
  id: Generated<number>;
  invoice_id: number;
  customer_id: number;
  amount_cents: number;
  reason: string;
  written_on: string;
  created_at: string;
  created_by: string;
  approved_by: string | null;
}

export interface PaymentReversalsTable {
  id: Generated<number>;
  payment_id: number;
  kind: 'void' | 'refund';
  status: 'pending' | 'completed' | 'failed';
  amount_cents: number;
  invoice_id: number | null;
  reason: string;
  idempotency_key: string;
  gateway_transaction_id: string | null;
  failure_message: string | null;
  created_at: string;
  created_by: string;
  settled_at: string | null;
  /** Added by 2026_12_01_0005: the workstation settling it with the gateway, until the lease ends. */
  claimed_by: string | null;
  claimed_until: string | null;
  /** Added by 2026_12_03_0005: the business date of the void or refund (the report and the day's close count it on it). */
  posted_on: string | null;
  /** Added by 2026_12_03_0002: how a refund of received money was paid out (our check, or cash). */
  payout_method: 'check' | 'cash' | null;
  payout_check_number: string | null;
  /** 1: the reversal of a check the bank returned. */
  returned: Generated<number>;
}

/** One change to an account's money or details (2026_12_01_0005), written by triggers, read by live updates. */
export interface ChangeLogTable {
  id: Generated<number>;
  at: string;
  entity: string;
  entity_id: number;
  customer_id: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  summary: string;
  /** Added by migration 2026_12_01_0004_staff. */
  actor_id: number | null;
  actor_name: string | null;
  approved_by_id: number | null;
  approved_by: string | null;
  approval_reason: string | null;
  customer_number: string | null;
  outcome: Generated<'success' | 'failure'>;
  error_code: string | null;
  workstation: string | null;
}

export interface CountersTable {
  name: string;
  value: number;
}

/**
 * The columns migration 2026_12_01_0002 adds to print_jobs: where the print system took a job and
 * what it last said about it. (The table's own columns are declared with the documents tables.)
 */
export interface PrintJobTrackingColumns {
  /** The printer this job must go to (CLI --printer); null: the workstation's setting when printed. */
  requested_printer: string | null;
  requested_copies: number | null;
  system: 'cups' | 'windows' | 'dialog' | 'none' | null;
  system_printer: string | null;
  system_job_id: string | null;
  system_state: 'queued' | 'printing' | 'held' | 'completed' | 'aborted' | 'cancelled' | 'unknown' | null;
  system_reason: string | null;
  sent_at: string | null;
  system_checked_at: string | null;
}

export interface DB {
  staff_users: StaffUsersTable;
  staff_policy: StaffPolicyTable;
  office_settings: OfficeSettingsTable;
  customers: CustomersTable;
  customer_name_words: CustomerNameWordsTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  credit_memos: CreditMemosTable;
  payment_methods: PaymentMethodsTable;
  payments: PaymentsTable;
  payment_allocations: PaymentAllocationsTable;
  applications: ApplicationsTable;
  payment_reversals: PaymentReversalsTable;
  write_offs: WriteOffsTable;
  audit_log: AuditLogTable;
  counters: CountersTable;
  change_log: ChangeLogTable;
  subscriptions: SubscriptionsTable;
  subscription_lines: SubscriptionLinesTable;
  subscription_periods: SubscriptionPeriodsTable;
  subscription_rebills: SubscriptionRebillsTable;
  billing_runs: BillingRunsTable;
  invoice_deliveries: InvoiceDeliveriesTable;
  deposits: DepositsTable;
  deposit_items: DepositItemsTable;
  account_notes: AccountNotesTable;
  payment_authorizations: PaymentAuthorizationsTable;
  day_closes: DayClosesTable;
  disputes: DisputesTable;
  dispute_invoices: DisputeInvoicesTable;
  autopay_settings: AutopaySettingsTable;
  autopay_attempts: AutopayAttemptsTable;
  autopay_attempt_invoices: AutopayAttemptInvoicesTable;
  payment_method_expiry_notices: PaymentMethodExpiryNoticesTable;
  dunning_levels: DunningLevelsTable;
  dunning_policy: DunningPolicyTable;
  dunning_notices: DunningNoticesTable;
  dunning_notice_invoices: DunningNoticeInvoicesTable;
  dunning_late_fees: DunningLateFeesTable;
  customer_collections: CustomerCollectionsTable;
}

export type CustomerRow = Selectable<CustomersTable>;
export type NewCustomerRow = Insertable<CustomersTable>;
export type NewCustomerNameWordRow = Insertable<CustomerNameWordsTable>;
export type CustomerUpdate = Updateable<CustomersTable>;
export type InvoiceRow = Selectable<InvoicesTable>;
export type NewInvoiceRow = Insertable<InvoicesTable>;
export type InvoiceLineRow = Selectable<InvoiceLinesTable>;
export type CreditMemoRow = Selectable<CreditMemosTable>;
export type PaymentMethodRow = Selectable<PaymentMethodsTable>;
export type PaymentRow = Selectable<PaymentsTable>;
export type PaymentAllocationRow = Selectable<PaymentAllocationsTable>;
export type ApplicationRow = Selectable<ApplicationsTable>;
export type PaymentReversalRow = Selectable<PaymentReversalsTable>;
export type WriteOffRow = Selectable<WriteOffsTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type StaffUserRow = Selectable<StaffUsersTable>;
