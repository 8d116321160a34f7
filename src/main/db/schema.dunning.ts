import type { Generated, Selectable } from 'kysely';

/** Past-due follow-up and the collections worklist (migration 2026_12_06_0002). */

export type DunningAction = 'email' | 'letter' | 'call';

export interface DunningLevelsTable {
  level: number;
  days_past_due: number;
  action: DunningAction;
  fee_fixed_cents: Generated<number>;
  fee_percent_bp: Generated<number>;
  fee_minimum_cents: Generated<number>;
  grace_days: Generated<number>;
  updated_at: string;
  updated_by: string;
}

/** One row (id 1). */
export interface DunningPolicyTable {
  id: number;
  suspend_at_level: number | null;
  updated_at: string;
  updated_by: string;
}

export interface DunningNoticesTable {
  id: Generated<number>;
  customer_id: number;
  level: number;
  action: DunningAction;
  /** The past-due invoices' ids, ascending, comma-separated: part of the UNIQUE key. */
  invoice_key: string;
  /** The day the level was reached (oldest past-due invoice's due date plus the level's days). */
  reached_on: string;
  /** The run's as-of date. */
  sent_on: string;
  past_due_cents: number;
  outbox_id: number | null;
  print_job_id: number | null;
  created_at: string;
  created_by: string;
}

export interface DunningNoticeInvoicesTable {
  notice_id: number;
  invoice_id: number;
  level: number;
}

export interface DunningLateFeesTable {
  notice_id: number;
  invoice_id: number;
  base_cents: number;
  fee_cents: number;
  created_at: string;
}

export interface CustomerCollectionsTable {
  id: Generated<number>;
  customer_id: number;
  no_follow_up: Generated<number>;
  suspended_on: string | null;
  suspended_level: number | null;
  assigned_to: string | null;
  updated_at: string;
  updated_by: string;
}

export type DunningLevelRow = Selectable<DunningLevelsTable>;
export type DunningNoticeRow = Selectable<DunningNoticesTable>;
export type CustomerCollectionsRow = Selectable<CustomerCollectionsTable>;
