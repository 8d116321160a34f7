import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { currentAuditScope, type AuditPerson } from './audit.scope';

export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId: string | number;
  /** What changed, as a small object; stored as JSON. Never card numbers, security codes or passwords. */
  summary: Record<string, unknown>;
  at: string;
  /** Defaults to success; a failure names its error code. */
  outcome?: 'success' | 'failure';
  errorCode?: string | null;
  /** Found from the target when left out (customer, invoice, credit, payment, method, print job, message). */
  customerNumber?: string | null;
  /** Who, when the call's scope does not say (sign-in, the CLI). */
  actorPerson?: AuditPerson;
  /** When the call's scope does not say (the CLI). */
  workstation?: string;
  /** When the call's scope does not say (dispatch's own rows, written outside the scope). */
  approval?: { by: AuditPerson; reason: string | null } | null;
}

type Db = Kysely<DB> | Transaction<DB>;

/** The customer a target belongs to, for filtering the log by customer. */
async function customerOf(db: Db, entity: string, entityId: string): Promise<string | null> {
  const q = {
    customer: sql<string>`SELECT customer_number AS n FROM customers WHERE customer_number = ${entityId}`,
    invoice: sql<string>`SELECT c.customer_number AS n FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.invoice_number = ${entityId}`,
    credit: sql<string>`SELECT c.customer_number AS n FROM credit_memos m JOIN customers c ON c.id = m.customer_id WHERE m.credit_number = ${entityId}`,
    payment: sql<string>`SELECT c.customer_number AS n FROM payments p JOIN customers c ON c.id = p.customer_id WHERE p.id = ${Number(entityId) || 0}`,
    payment_method: sql<string>`SELECT c.customer_number AS n FROM payment_methods m JOIN customers c ON c.id = m.customer_id WHERE m.id = ${Number(entityId) || 0}`,
    print_job: sql<string>`SELECT c.customer_number AS n FROM print_jobs j JOIN customers c ON c.id = j.customer_id WHERE j.id = ${Number(entityId) || 0}`,
    outbox: sql<string>`SELECT c.customer_number AS n FROM outbox o JOIN customers c ON c.id = o.customer_id WHERE o.id = ${Number(entityId) || 0}`,
  }[entity];
  if (!q) return null;
  const row = (await q.execute(db)).rows[0] as { n?: string } | undefined;
  return row?.n ?? null;
}

function customerFromSummary(summary: Record<string, unknown>): string | null {
  const n = summary.customerNumber;
  return typeof n === 'string' && n.length <= 12 ? n : null;
}

/**
 * Appends one audit row. Call it inside the same transaction as the write it records. Inside a
 * call, the call's scope supplies the person's id and name, the approval and the workstation.
 */
async function auditRow(db: Db, entry: AuditEntry) {
  const scope = currentAuditScope();
  const entityId = String(entry.entityId);
  const person = entry.actorPerson ?? (scope && scope.actor.username === entry.actor ? scope.actor : null);
  const approval = entry.approval !== undefined ? entry.approval : scope?.approvedBy ? { by: scope.approvedBy, reason: scope.approvalReason } : null;
  const customerNumber =
    entry.customerNumber !== undefined
      ? entry.customerNumber
      : (customerFromSummary(entry.summary) ?? (await customerOf(db, entry.entity, entityId)));
  return {
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    entity: entry.entity,
    entity_id: entityId,
    summary: JSON.stringify(entry.summary),
    actor_id: person?.id ?? null,
    actor_name: person?.name ?? null,
    approved_by_id: approval?.by.id ?? null,
    approved_by: approval?.by.username ?? null,
    approval_reason: approval?.reason ?? null,
    customer_number: customerNumber,
    outcome: entry.outcome ?? 'success',
    error_code: entry.errorCode ?? null,
    workstation: scope?.workstation ?? entry.workstation ?? null,
  };
}

export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  await appendAuditRows(db, [entry]);
}

/** Several rows in as few statements as the engine allows (a billing run audits each invoice it makes). */
export async function appendAuditRows(db: Db, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = [];
  for (const e of entries) rows.push(await auditRow(db, e));
  // 15 columns a row: 1,000 rows stay under SQLite's and PostgreSQL's limits on bound values.
  for (let i = 0; i < rows.length; i += 1000) await db.insertInto('audit_log').values(rows.slice(i, i + 1000)).execute();
  const scope = currentAuditScope();
  if (scope) scope.rows += entries.length;
}
