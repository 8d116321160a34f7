/**
 * The rights of the role the workstations connect with to the office ledger (`server prepare`
 * grants them; server-prepare.ts). It reads every ledger table and adds rows to it; it changes only
 * the columns below, which the code moves as a row's state changes. It deletes nothing: the few rows
 * a workstation removes (none money or history) go through the owner's functions below (db/removals.ts). It never truncates, never changes the schema, and owns nothing, so posted money (the
 * append-only tables, whose triggers refuse edits even to their owner) cannot be removed or
 * rewritten from a workstation.
 *
 * Keep these lists in step with the code: a new `.updateTable(` (or raw UPDATE) in src/main needs
 * its columns here, a delete belongs in db/removals.ts with its owner's function listed below, and test/unit/app-role.test.ts fails until it has
 * them. A migration that adds a table or a column needs `server prepare` run again.
 */

export interface ColumnRights {
  readonly columns: readonly string[];
  /** Which code changes them, and why. */
  readonly why: string;
}

/** UPDATE, column by column. A table absent here is never updated (applications, audit_log, …). */
export const APP_ROLE_UPDATES: Readonly<Record<string, ColumnRights>> = {
  customers: {
    // Never id, customer_number or created_at: a customer keeps its number for life.
    columns: [
      'legal_name', 'name_search', 'billing_contact', 'email', 'phone', 'phone_digits',
      'address_line1', 'address_line2', 'city', 'region', 'postal_code', 'country',
      'mailing_line1', 'mailing_line2', 'mailing_city', 'mailing_region', 'mailing_postal_code', 'mailing_country',
      'terms_days', 'tax_exempt', 'status', 'notes', 'updated_at', 'invoice_delivery',
      'cancelled_on', 'cancel_mode', 'cancel_reason', 'cancelled_at', 'cancelled_by',
    ],
    why: 'editing a customer (customers.repo updateCustomer), how it gets its invoices (customers.service setInvoiceDelivery), cancelling the account (billing/account-cancel.ts); also the row lock (SELECT … FOR UPDATE) of every money command',
  },
  invoices: {
    columns: ['status', 'void_reason', 'voided_at', 'voided_by', 'disputed', 'dispute_reason'],
    why: 'the cached status re-derived from the applications (balances.repo), voiding and disputes (invoices.service)',
  },
  payments: {
    // Never amount_cents, customer_id, kind or idempotency_key (a trigger refuses them as well).
    columns: [
      'status', 'gateway_transaction_id', 'authorization_code', 'avs_result', 'cvc_result', 'decline_code', 'decline_message',
      'settled_at', 'confirmation_number', 'unapplied_cents', 'claimed_by', 'claimed_until',
    ],
    why: 'settling a pending payment with the gateway’s answer, its confirmation number, money held on account, voiding (payments.repo); the recovery claim (migration 2026_12_01_0005)',
  },
  payment_reversals: {
    columns: ['status', 'gateway_transaction_id', 'failure_message', 'settled_at', 'claimed_by', 'claimed_until'],
    why: 'settling a void or refund with the gateway’s answer (reversals.ts); the recovery claim (migration 2026_12_01_0005)',
  },
  disputes: {
    columns: ['status', 'outcome', 'resolution_reason', 'credit_id', 'resolved_at', 'resolved_by'],
    why: 'resolving a dispute (ledger/disputes.service.ts); a trigger refuses any change once it is resolved (migration 2026_12_05_0005)',
  },
  autopay_settings: {
    columns: ['enabled', 'payment_method_id', 'consent_via', 'consent_by', 'consent_at', 'updated_at', 'updated_by'],
    why: 'turning autopay on or off and choosing its method (billing/autopay.service.ts, import customers); every change audited (migration 2026_12_06_0001)',
  },
  autopay_attempts: {
    columns: ['outcome', 'decline_code', 'decline_message', 'payment_id', 'first_declined_on', 'next_retry_date', 'notice_outbox_id', 'updated_at'],
    why: 'an autopay attempt settled with its payment’s outcome (billing/autopay.attempts.ts); a trigger refuses any change once it is settled (migration 2026_12_06_0001)',
  },
  customer_collections: {
    columns: ['no_follow_up', 'suspended_on', 'suspended_level', 'assigned_to', 'updated_at', 'updated_by'],
    why: 'the account’s "no follow-up" flag and assigned clerk (collections/collections.service.ts), suspension at a follow-up level and its lifting (billing/dunning.run.ts)',
  },
  dunning_levels: {
    columns: ['days_past_due', 'action', 'fee_fixed_cents', 'fee_percent_bp', 'fee_minimum_cents', 'grace_days', 'updated_at', 'updated_by'],
    why: 'an admin saving the follow-up levels (billing/dunning.service.ts)',
  },
  dunning_policy: {
    columns: ['suspend_at_level', 'updated_at', 'updated_by'],
    why: 'an admin saving the follow-up levels’ "suspend at level N" (billing/dunning.service.ts)',
  },
  deposits: {
    columns: ['status', 'closed_at', 'closed_by'],
    why: 'closing a deposit batch (deposits.repo); a trigger refuses any change once it is closed (migration 2026_12_03_0002)',
  },
  payment_methods: {
    columns: ['is_default', 'removed_at'],
    why: 'choosing the default stored method and removing one (paymentMethods.repo); the token and card details never change',
  },
  counters: {
    columns: ['value'],
    why: 'document numbers and the SQLite write lock move the counter (INSERT … ON CONFLICT DO UPDATE, counters.repo, payments.repo); the import’s busy announcement (write-failure.ts)',
  },
  staff_users: {
    columns: [
      'display_name', 'role', 'active', 'password_hash', 'password_history', 'password_changed_at', 'must_change_password',
      'failed_attempts', 'locked_until', 'last_sign_in_at', 'totp_secret', 'totp_last_step', 'updated_at',
    ],
    why: 'sign-in failures and lockout, sign-ins, password changes, TOTP enrolment and steps (staff.repo, auth.service), an administrator’s edits (staff.service)',
  },
  staff_policy: {
    columns: ['idle_lock_minutes', 'require_admin_totp', 'updated_at', 'updated_by'],
    why: 'the office’s sign-in policy (staff.service setPolicy)',
  },
  office_settings: {
    columns: ['settings', 'version', 'updated_at', 'updated_by'],
    why: 'an administrator saves the office’s settings: house rules, letterhead, tax rate, time zone, outgoing mail (settings/office-settings.repo)',
  },
  subscriptions: {
    // Never customer_id, period, start_date or anchor_day: a different schedule is a new subscription.
    columns: ['status', 'end_date', 'held_reason', 'updated_at', 'updated_by', 'cancelled_at', 'cancelled_by', 'cancel_reason', 'cancel_mode'],
    why: 'holding a subscription for review (billing.run) and cancelling it (subscriptions.service); its lines and billed periods are never updated',
  },
  billing_runs: {
    columns: ['status', 'lease_until', 'finished_at', 'invoices_created', 'periods_billed', 'held', 'total_cents', 'message', 'progress_done', 'progress_total'],
    why: 'a billing run renewing its lease, noting its progress and recording how it ended (billing.run)',
  },
  print_jobs: {
    columns: [
      'status', 'attempts', 'last_error', 'last_attempt_at', 'printed_at', 'discarded_at', 'discarded_by', 'updated_at',
      'requested_printer', 'requested_copies', 'system', 'system_printer', 'system_job_id', 'system_state', 'system_reason',
      'sent_at', 'system_checked_at',
    ],
    why: 'the print queue: a job printed, held, failed, discarded, sent to the print system and followed there (queue.repo, print-jobs.repo)',
  },
  outbox: {
    columns: [
      'status', 'attempts', 'next_attempt_at', 'last_error', 'smtp_response', 'sent_at', 'cancelled_at', 'cancelled_by',
      'to_address', 'updated_at', 'claimed_by',
    ],
    why: 'the email outbox: sending, retries, cancelling, a corrected address (queue.repo); the sending workstation (migration 2026_12_01_0005)',
  },
};

/**
 * The owner's functions the role may call, by signature, with the table each removes rows from and
 * why (migrations/postgres/2026_12_07_0002_owner_removals.ts). No posted money is among them.
 */
export const APP_ROLE_FUNCTIONS: Readonly<Record<string, { readonly table: string; readonly why: string }>> = {
  'ar_desk_clear_name_words(bigint)': {
    table: 'customer_name_words',
    why: 'a customer’s lookup words are rewritten when the name, contact or email changes (customers.repo replaceNameWords)',
  },
  'ar_desk_prune_changes(integer)': { table: 'change_log', why: 'the change log of live updates is not posted money: old rows are pruned (ledger/changes.ts)' },
  'ar_desk_clear_dunning_levels()': {
    table: 'dunning_levels',
    why: 'an admin’s new set of follow-up levels is written whole (billing/dunning.service.ts); notices keep their level number and action',
  },
  'ar_desk_remove_deposit_item(bigint, bigint)': {
    table: 'deposit_items',
    why: 'a check or cash taken out of a deposit batch while it is open (deposits.repo); a trigger refuses it once closed',
  },
};

/**
 * Rows deleted on SQLite only (db/removals.ts), which on PostgreSQL are changed instead, within the
 * role's UPDATE rights: no function is needed for them.
 */
export const SQLITE_ONLY_DELETES: Readonly<Record<string, string>> = {
  counters: 'an import’s busy announcement taken away when the import ends; on PostgreSQL its time is set back to 0 (UPDATE of counters.value)',
};

/** Read, never written, by the workstations: the migrator's bookkeeping. */
export const APP_ROLE_READ_ONLY: readonly string[] = ['kysely_migration', 'kysely_migration_lock'];

/**
 * The built-in test gateway's own schema (payments/test-gateway) on the office's server. The
 * workstations' role may create the gateway's tables there (CREATE on this schema only, never on
 * public) and read and write the ones the owner made: it holds test charges, not the ledger.
 */
export const TEST_GATEWAY_SCHEMA = 'ar_desk_test_gateway';
