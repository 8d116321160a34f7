import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema';

/**
 * What must always hold in the ledger, checked with aggregate queries straight over the posted
 * rows (no cached figure is trusted), so it runs on a million-invoice ledger in seconds.
 * Tests call auditInvariants after every step; an empty list means the ledger is healthy.
 */

export interface InvariantViolation {
  /** Which rule failed, e.g. 'invoice.open_within_total'. */
  check: string;
  entity: 'invoice' | 'credit' | 'payment' | 'application' | 'customer' | 'write_off';
  /** The entity's number (or id for payments and applications). */
  id: string;
  message: string;
}

/** At most this many violations per check: enough to diagnose, bounded when something is badly wrong. */
const LIMIT = 100;

async function rows<T>(db: Kysely<DB>, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

// Kinds of payment that bring money in and must be fully accounted for once captured.
const MONEY_KINDS = sql.raw(`('card', 'bank', 'import', 'check', 'cash')`);

export async function auditInvariants(db: Kysely<DB>): Promise<InvariantViolation[]> {
  const out: InvariantViolation[] = [];
  const add = (v: InvariantViolation) => out.push(v);

  // Invoices: open amount within [0, total], status agrees with it, void ones hold no money,
  // lines add up to the subtotal and subtotal + tax to the total.
  const invoices = await rows(
    db,
    sql<{
      invoice_number: string;
      status: string;
      total_cents: number;
      subtotal_cents: number;
      tax_cents: number;
      applied: number;
      lines_total: number | null;
    }>`
      SELECT * FROM (
        SELECT i.invoice_number, i.status, i.total_cents, i.subtotal_cents, i.tax_cents,
          coalesce((SELECT sum(a.amount_cents) FROM applications a WHERE a.invoice_id = i.id), 0) AS applied,
          -- NULL when the invoice has no lines at all.
          (SELECT sum(l.amount_cents) FROM invoice_lines l WHERE l.invoice_id = i.id) AS lines_total
        FROM invoices i
      ) AS checked
      WHERE applied < 0 OR applied > total_cents
        OR (status = 'paid' AND applied <> total_cents)
        OR (status = 'open' AND applied = total_cents)
        OR (status = 'void' AND applied <> 0)
        OR lines_total IS NULL OR lines_total <> subtotal_cents
        OR total_cents <> subtotal_cents + tax_cents
      LIMIT ${LIMIT * 5}`,
  );
  for (const r of invoices) {
    const open = r.total_cents - r.applied;
    const id = r.invoice_number;
    if (open < 0) add({ check: 'invoice.open_within_total', entity: 'invoice', id, message: `Invoice ${id} is overpaid: open amount ${open} cents is below 0` });
    if (open > r.total_cents) add({ check: 'invoice.open_within_total', entity: 'invoice', id, message: `Invoice ${id} has open amount ${open} cents above its total ${r.total_cents}` });
    if (r.status === 'paid' && open !== 0) add({ check: 'invoice.status_matches_balance', entity: 'invoice', id, message: `Invoice ${id} is marked paid but ${open} cents are open` });
    if (r.status === 'open' && open === 0) add({ check: 'invoice.status_matches_balance', entity: 'invoice', id, message: `Invoice ${id} is marked open but nothing is open` });
    if (r.status === 'void' && r.applied !== 0) add({ check: 'invoice.void_holds_no_money', entity: 'invoice', id, message: `Void invoice ${id} still has ${r.applied} cents applied` });
    if (r.lines_total === null) add({ check: 'invoice.totals_reconcile', entity: 'invoice', id, message: `Invoice ${id} has no lines` });
    else if (r.lines_total !== r.subtotal_cents) add({ check: 'invoice.totals_reconcile', entity: 'invoice', id, message: `Invoice ${id} lines sum to ${r.lines_total} cents but its subtotal is ${r.subtotal_cents}` });
    if (r.total_cents !== r.subtotal_cents + r.tax_cents) add({ check: 'invoice.totals_reconcile', entity: 'invoice', id, message: `Invoice ${id} total ${r.total_cents} is not subtotal ${r.subtotal_cents} + tax ${r.tax_cents}` });
  }

  // Credits: never used beyond their amount, never "un-used" below nothing.
  const credits = await rows(
    db,
    sql<{ credit_number: string; amount_cents: number; used: number }>`
      -- Grouped rather than correlated: the plan must not depend on statistics of credit_id.
      SELECT * FROM (
        SELECT c.credit_number, c.amount_cents, coalesce(u.used, 0) AS used
        FROM credit_memos c
        LEFT JOIN (
          SELECT credit_id, sum(amount_cents) AS used FROM applications WHERE credit_id IS NOT NULL GROUP BY credit_id
        ) u ON u.credit_id = c.id
      ) AS checked
      WHERE used > amount_cents OR used < 0
      LIMIT ${LIMIT}`,
  );
  for (const r of credits) {
    add({
      check: 'credit.used_within_amount',
      entity: 'credit',
      id: r.credit_number,
      message: `Credit ${r.credit_number} of ${r.amount_cents} cents has ${r.used} cents applied (remaining ${r.amount_cents - r.used})`,
    });
  }

  // Payments. Credits used in a payment carry its payment_id too (source 'credit'), but only
  // source 'payment' rows are the payment's own money. A captured payment's money is its
  // standing 'payment' applications + unapplied_cents (an overpayment kept on account) + its
  // completed refunds; a credit-only payment moves none; any other status has nothing standing.
  const payments = await rows(
    db,
    sql<{
      id: number;
      kind: string;
      status: string;
      amount_cents: number;
      unapplied_cents: number;
      paid: number;
      credited: number;
      refunded: number;
    }>`
      SELECT * FROM (
        SELECT p.id, p.kind, p.status, p.amount_cents, p.unapplied_cents,
          coalesce(u.paid, 0) AS paid, coalesce(u.credited, 0) AS credited, coalesce(r.refunded, 0) AS refunded
        FROM payments p
        LEFT JOIN (
          SELECT payment_id,
            sum(CASE WHEN source = 'payment' THEN amount_cents ELSE 0 END) AS paid,
            sum(CASE WHEN source = 'credit' THEN amount_cents ELSE 0 END) AS credited
          FROM applications WHERE payment_id IS NOT NULL GROUP BY payment_id
        ) u ON u.payment_id = p.id
        LEFT JOIN (
          SELECT payment_id, sum(amount_cents) AS refunded FROM payment_reversals
          WHERE kind = 'refund' AND status = 'completed' GROUP BY payment_id
        ) r ON r.payment_id = p.id
      ) AS checked
      WHERE paid > amount_cents OR paid < 0 OR credited < 0
        OR (status = 'captured' AND kind IN ${MONEY_KINDS} AND paid + unapplied_cents + refunded <> amount_cents)
        OR (status = 'captured' AND kind = 'credit_only' AND (paid <> 0 OR amount_cents <> 0))
        OR (status <> 'captured' AND (paid <> 0 OR credited <> 0 OR unapplied_cents <> 0))
      LIMIT ${LIMIT}`,
  );
  for (const r of payments) {
    const id = String(r.id);
    const what = `${r.status} ${r.kind} payment ${id} of ${r.amount_cents} cents`;
    if (r.paid > r.amount_cents || r.paid < 0 || r.credited < 0) {
      add({ check: 'payment.applied_within_amount', entity: 'payment', id, message: `The ${what} has ${r.paid} cents applied and ${r.credited} of credits` });
    } else if (r.status === 'captured' && r.kind === 'credit_only') {
      add({ check: 'payment.credit_only_moves_no_money', entity: 'payment', id, message: `The ${what} applies ${r.paid} cents of money` });
    } else if (r.status === 'captured') {
      add({
        check: 'payment.fully_accounted',
        entity: 'payment',
        id,
        message: `The ${what}: ${r.paid} applied + ${r.unapplied_cents} unapplied + ${r.refunded} refunded does not make its amount`,
      });
    } else {
      add({
        check: 'payment.nothing_standing',
        entity: 'payment',
        id,
        message: `The ${what} has ${r.paid} cents applied, ${r.credited} of credits and ${r.unapplied_cents} unapplied`,
      });
    }
  }
  const overAllocated = await rows(
    db,
    sql<{ id: number; amount_cents: number; allocated: number }>`
      SELECT p.id, p.amount_cents, a.allocated
      FROM (
        SELECT payment_id, sum(amount_cents) AS allocated FROM payment_allocations
        WHERE source <> 'credit' GROUP BY payment_id
      ) a JOIN payments p ON p.id = a.payment_id
      WHERE a.allocated > p.amount_cents
      LIMIT ${LIMIT}`,
  );
  for (const r of overAllocated) {
    add({
      check: 'payment.allocated_within_amount',
      entity: 'payment',
      id: String(r.id),
      message: `Payment ${r.id} of ${r.amount_cents} cents sets aside ${r.allocated} cents for invoices`,
    });
  }

  // Applications: only to invoices of the customer the payment or credit belongs to.
  const crossed = await rows(
    db,
    sql<{ id: number; invoice_number: string }>`
      SELECT a.id, i.invoice_number
      FROM applications a
      JOIN invoices i ON i.id = a.invoice_id
      LEFT JOIN payments p ON p.id = a.payment_id
      LEFT JOIN credit_memos c ON c.id = a.credit_id
      WHERE a.customer_id <> i.customer_id
        OR (a.payment_id IS NOT NULL AND (p.id IS NULL OR p.customer_id <> i.customer_id))
        OR (a.credit_id IS NOT NULL AND (c.id IS NULL OR c.customer_id <> i.customer_id))
      LIMIT ${LIMIT}`,
  );
  for (const r of crossed) {
    add({
      check: 'application.same_customer',
      entity: 'application',
      id: String(r.id),
      message: `Application ${r.id} puts another customer's money on invoice ${r.invoice_number}`,
    });
  }

  // Reversals: each negates exactly one original row of the same invoice and source, once.
  const badReversals = await rows(
    db,
    sql<{ id: number; reverses_id: number }>`
      SELECT a.id, a.reverses_id
      FROM applications a
      LEFT JOIN applications r ON r.id = a.reverses_id
      WHERE a.reverses_id IS NOT NULL AND (
        r.id IS NULL OR r.reverses_id IS NOT NULL OR r.amount_cents <= 0
        OR a.amount_cents <> -r.amount_cents
        OR r.invoice_id <> a.invoice_id OR r.customer_id <> a.customer_id OR r.source <> a.source
        OR r.payment_id IS DISTINCT FROM a.payment_id OR r.credit_id IS DISTINCT FROM a.credit_id)
      LIMIT ${LIMIT}`,
  );
  for (const r of badReversals) {
    add({
      check: 'application.reversal_matches',
      entity: 'application',
      id: String(r.id),
      message: `Reversal ${r.id} does not exactly negate application ${r.reverses_id} of the same invoice and source`,
    });
  }
  const twice = await rows(
    db,
    sql<{ reverses_id: number; n: number }>`
      SELECT reverses_id, count(*) AS n FROM applications
      WHERE reverses_id IS NOT NULL GROUP BY reverses_id HAVING count(*) > 1
      LIMIT ${LIMIT}`,
  );
  for (const r of twice) {
    add({
      check: 'application.reversed_once',
      entity: 'application',
      id: String(r.reverses_id),
      message: `Application ${r.reverses_id} is reversed ${r.n} times`,
    });
  }

  // Write-offs: each is posted by exactly one application row of its amount, on its invoice.
  const badWriteOffs = await rows(
    db,
    sql<{ id: number }>`
      SELECT w.id FROM write_offs w
      WHERE (SELECT count(*) FROM applications a WHERE a.write_off_id = w.id) <> 1
        OR NOT EXISTS (SELECT 1 FROM applications a WHERE a.write_off_id = w.id AND a.source = 'write_off'
          AND a.amount_cents = w.amount_cents AND a.invoice_id = w.invoice_id AND a.customer_id = w.customer_id)
      LIMIT ${LIMIT}`,
  );
  for (const r of badWriteOffs) {
    add({
      check: 'write_off.posted_once',
      entity: 'write_off',
      id: String(r.id),
      message: `Write-off ${r.id} is not posted by exactly one application of its amount on its invoice`,
    });
  }

  // Customers: the balance (sum of open amounts of non-void invoices) equals invoiced less the
  // net applications filed under the customer. Subtracting the invoice totals from both sides,
  // that is: money on the customer's non-void invoices = money filed under the customer, which
  // one pass over the applications checks without re-deriving a million open amounts.
  const customers = await rows(
    db,
    sql<{ customer_number: string; on_invoices: number; filed: number }>`
      SELECT c.customer_number, d.on_invoices, d.filed
      FROM (
        SELECT customer_id, sum(on_invoices) AS on_invoices, sum(filed) AS filed FROM (
          SELECT a.customer_id, 0 AS on_invoices, a.amount_cents AS filed FROM applications a
          UNION ALL
          SELECT i.customer_id, a.amount_cents, 0 FROM applications a JOIN invoices i ON i.id = a.invoice_id
          WHERE i.status <> 'void'
        ) AS moves GROUP BY customer_id HAVING sum(on_invoices) <> sum(filed)
      ) d JOIN customers c ON c.id = d.customer_id
      LIMIT ${LIMIT}`,
  );
  for (const r of customers) {
    add({
      check: 'customer.balance_reconciles',
      entity: 'customer',
      id: r.customer_number,
      message: `Customer ${r.customer_number}: its balance is off by ${r.filed - r.on_invoices} cents (invoiced less ${r.filed} cents applied under the customer, but ${r.on_invoices} stand on its open and paid invoices)`,
    });
  }

  return out;
}

/** Throws listing every violation; for tests and for a check after maintenance jobs. */
export async function assertInvariants(db: Kysely<DB>): Promise<void> {
  const violations = await auditInvariants(db);
  if (violations.length > 0) {
    throw new Error(`Ledger invariants broken (${violations.length}):\n${violations.map((v) => `- [${v.check}] ${v.message}`).join('\n')}`);
  }
}
