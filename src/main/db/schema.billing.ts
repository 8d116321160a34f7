import type { Generated } from 'kysely';

/** Row types of recurring billing (src/main/billing). */

export type BillingFrequency = 'monthly' | 'quarterly' | 'semiannual' | 'annual';

/** Added by 2026_12_03_0007_subscriptions (src/main/billing). */
export interface SubscriptionsTable {
  id: Generated<number>;
  customer_id: number;
  period: BillingFrequency;
  start_date: string;
  end_date: string | null;
  anchor_day: number;
  status: Generated<'active' | 'cancelled' | 'ended'>;
  /** Set when the billing run will not catch up on its own; cleared by someone who looked. */
  held_reason: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  cancelled_at: string | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  cancel_mode: 'end_of_term' | 'immediate' | null;
}

export interface SubscriptionLinesTable {
  id: Generated<number>;
  subscription_id: number;
  /** The first period start this version of the lines bills. */
  effective_from: string;
  line_no: number;
  description: string;
  unit_price_cents: number;
  quantity: number;
  taxable: Generated<number>;
  created_at: string;
  created_by: string;
}

export interface SubscriptionPeriodsTable {
  id: Generated<number>;
  subscription_id: number;
  period_start: string;
  period_end: string;
  invoice_id: number;
  amount_cents: number;
  created_at: string;
}

/** The days of a billed period billed again at a new price by a change made now (migration 2026_12_05_0004). */
export interface SubscriptionRebillsTable {
  id: Generated<number>;
  subscription_id: number;
  period_start: string;
  from_date: string;
  to_date: string;
  invoice_id: number;
  amount_cents: number;
  created_at: string;
}

export interface BillingRunsTable {
  id: Generated<number>;
  as_of: string;
  status: Generated<'running' | 'finished' | 'failed'>;
  started_at: string;
  lease_until: string;
  finished_at: string | null;
  actor: string;
  workstation: string | null;
  invoices_created: Generated<number>;
  periods_billed: Generated<number>;
  held: Generated<number>;
  total_cents: Generated<number>;
  message: string | null;
  /** Invoices written of those planned, after each batch (migration 2026_12_04_0002). */
  progress_done: Generated<number>;
  progress_total: Generated<number>;
}

/** How a customer gets its invoices; null in customers.invoice_delivery follows the office's default. */
export type InvoiceDeliveryChoice = 'email' | 'paper' | 'both';

/** Added by 2026_12_04_0003_invoice_delivery: an invoice delivered by one channel, once. */
export interface InvoiceDeliveriesTable {
  id: Generated<number>;
  invoice_id: number;
  channel: 'email' | 'paper';
  billing_run_id: number | null;
  outbox_id: number | null;
  print_job_id: number | null;
  created_at: string;
  created_by: string;
}
