import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../../src/main/db/schema';
import type { TestGatewayRecord } from '../../../src/main/payments/test-gateway';
import { ledgerProblems } from '../../helpers/payments-fixtures';
import { reconcileByKey } from '../payments/crash-plan';

/**
 * What must hold on an office ledger however many workstations moved its money at once, read
 * with plain SQL over the posted rows and the gateway's own records. Each list names what is wrong;
 * every list empty means the ledger is sound.
 */
export interface OfficeFindings {
  /** Invoices whose standing applications exceed their total (or fall below zero). */
  overpaidInvoices: string[];
  /** Credit memos applied beyond their amount (or below zero). */
  overusedCredits: string[];
  /** Approved gateway charges against captured (or since voided) payments, one to one by key and amount. */
  charges: string[];
  refunds: string[];
  voids: string[];
  /** An idempotency key on more than one payment. */
  repeatedKeys: string[];
  /** A payment whose capture was posted (or audited) more than once. */
  postedTwice: string[];
  /** auditInvariants and the payment workflow's own allocation check. */
  invariants: string[];
  pending: { payments: number; reversals: number };
}

async function rows<T>(db: Kysely<DB>, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

export async function officeFindings(db: Kysely<DB>, records: readonly TestGatewayRecord[]): Promise<OfficeFindings> {
  const overpaid = await rows<{ invoice_number: string; total_cents: number; applied: number; parts: string }>(
    db,
    sql`
      SELECT i.invoice_number, i.total_cents, sum(a.amount_cents) AS applied,
        string_agg(a.source || ' ' || coalesce('payment ' || a.payment_id, '') || coalesce(' credit ' || a.credit_id, '') || ' '
          || a.amount_cents || ' by ' || a.created_by || ' at ' || a.created_at, '; ' ORDER BY a.id) AS parts
      FROM invoices i JOIN applications a ON a.invoice_id = i.id
      GROUP BY i.id, i.invoice_number, i.total_cents
      HAVING sum(a.amount_cents) > i.total_cents OR sum(a.amount_cents) < 0
      ORDER BY i.id`,
  );
  const overused = await rows<{ credit_number: string; amount_cents: number; used: number; parts: string }>(
    db,
    sql`
      SELECT c.credit_number, c.amount_cents, sum(a.amount_cents) AS used,
        string_agg('invoice ' || a.invoice_id || coalesce(' payment ' || a.payment_id, '') || ' ' || a.amount_cents
          || ' by ' || a.created_by || ' at ' || a.created_at, '; ' ORDER BY a.id) AS parts
      FROM credit_memos c JOIN applications a ON a.credit_id = c.id
      GROUP BY c.id, c.credit_number, c.amount_cents
      HAVING sum(a.amount_cents) > c.amount_cents OR sum(a.amount_cents) < 0
      ORDER BY c.id`,
  );
  const approved = (kind: TestGatewayRecord['kind']) =>
    records.filter((r) => r.kind === kind && r.outcome === 'approved').map((r) => ({ key: r.idempotencyKey, amountCents: r.amountCents }));
  const ledgerSide = (query: RawBuilder<{ key: string; amountCents: number }>) => rows(db, query);
  const charges = reconcileByKey(
    'charge',
    approved('charge'),
    await ledgerSide(sql`SELECT idempotency_key AS key, amount_cents AS "amountCents" FROM payments WHERE kind IN ('card', 'bank') AND status IN ('captured', 'voided')`),
  );
  const refunds = reconcileByKey(
    'refund',
    approved('refund'),
    await ledgerSide(sql`SELECT idempotency_key AS key, amount_cents AS "amountCents" FROM payment_reversals WHERE kind = 'refund' AND status = 'completed'`),
  );
  const voids = reconcileByKey(
    'void',
    approved('void'),
    await ledgerSide(sql`
      SELECT r.idempotency_key AS key, r.amount_cents AS "amountCents" FROM payment_reversals r JOIN payments p ON p.id = r.payment_id
      WHERE r.kind = 'void' AND r.status = 'completed' AND p.kind <> 'credit_only'`),
  );
  const repeated = await rows<{ idempotency_key: string; n: number }>(
    db,
    sql`SELECT idempotency_key, count(*) AS n FROM payments WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key HAVING count(*) > 1`,
  );
  // A capture posts each allocation once, with no reason (a partial refund's re-application has one).
  const postedTwice = await rows<{ payment_id: number; invoice_id: number; n: number }>(
    db,
    sql`
      SELECT payment_id, invoice_id, count(*) AS n FROM applications
      WHERE payment_id IS NOT NULL AND amount_cents > 0 AND reason IS NULL
      GROUP BY payment_id, invoice_id, source, credit_id HAVING count(*) > 1`,
  );
  const capturedTwice = await rows<{ entity_id: string; n: number }>(
    db,
    sql`SELECT entity_id, count(*) AS n FROM audit_log WHERE action = 'payment.capture' GROUP BY entity_id HAVING count(*) > 1`,
  );
  const pending = (
    await rows<{ payments: number; reversals: number }>(
      db,
      sql`SELECT (SELECT count(*) FROM payments WHERE status = 'pending') AS payments, (SELECT count(*) FROM payment_reversals WHERE status = 'pending') AS reversals`,
    )
  )[0]!;
  return {
    overpaidInvoices: overpaid.map((r) => `invoice ${r.invoice_number} of ${r.total_cents} cents has ${r.applied} applied: ${r.parts}`),
    overusedCredits: overused.map((r) => `credit ${r.credit_number} of ${r.amount_cents} cents has ${r.used} used: ${r.parts}`),
    charges,
    refunds,
    voids,
    repeatedKeys: repeated.map((r) => `key ${r.idempotency_key} on ${r.n} payments`),
    postedTwice: [
      ...postedTwice.map((r) => `payment ${r.payment_id} posted ${r.n} times to invoice ${r.invoice_id}`),
      ...capturedTwice.map((r) => `payment ${r.entity_id} captured ${r.n} times`),
    ],
    invariants: await ledgerProblems(db),
    pending,
  };
}

/** The ledger's figures after a run, for the log: what the clerks' commands left behind. */
export async function officeFigures(db: Kysely<DB>, records: readonly TestGatewayRecord[]): Promise<Record<string, unknown>> {
  const grouped = async (query: RawBuilder<{ k: string; n: number }>) =>
    Object.fromEntries((await rows(db, query)).map((r) => [r.k, r.n]));
  const gateway: Record<string, number> = {};
  for (const r of records) gateway[`${r.kind}.${r.outcome}`] = (gateway[`${r.kind}.${r.outcome}`] ?? 0) + 1;
  return {
    payments: await grouped(sql`SELECT kind || '.' || status AS k, count(*) AS n FROM payments GROUP BY 1 ORDER BY 1`),
    reversals: await grouped(sql`SELECT kind || '.' || status AS k, count(*) AS n FROM payment_reversals GROUP BY 1 ORDER BY 1`),
    applications: await grouped(
      sql`SELECT source || (CASE WHEN reverses_id IS NULL THEN '' ELSE '.reversal' END) AS k, count(*) AS n FROM applications GROUP BY 1 ORDER BY 1`,
    ),
    // A captured charge the ledger could not apply as quoted (an invoice paid meanwhile by a credit): held on account.
    heldOnAccount: await grouped(sql`SELECT 'payments' AS k, count(*) AS n FROM payments WHERE unapplied_cents > 0 AND kind IN ('card', 'bank')`),
    // A captured payment that posted less than it set aside before the charge: the ledger moved while
    // it was at the gateway (by design a credit application may take what it set aside; see
    // payments/ledger-moves.test.ts), and the charge not applied is held on account.
    capturedShort: await grouped(sql`
      SELECT 'payments' AS k, count(*) AS n FROM payments p
      WHERE p.status = 'captured' AND p.kind IN ('card', 'bank', 'credit_only')
        AND coalesce((SELECT sum(a.amount_cents) FROM applications a WHERE a.payment_id = p.id AND a.amount_cents > 0 AND a.reason IS NULL), 0)
          < (SELECT sum(pa.amount_cents) FROM payment_allocations pa WHERE pa.payment_id = p.id)`),
    invoices: await grouped(sql`SELECT status AS k, count(*) AS n FROM invoices GROUP BY 1 ORDER BY 1`),
    gateway,
  };
}
