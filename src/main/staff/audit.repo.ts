import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';

export interface AuditEntry {
  actor: string;
  action: string;
  entity: string;
  entityId: string | number;
  /** What changed, as a small object; stored as JSON. Never card numbers or security codes. */
  summary: Record<string, unknown>;
  at: string;
}

/** Appends one audit row. Call it inside the same transaction as the write it records. */
export async function appendAudit(db: Kysely<DB> | Transaction<DB>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entity_id: String(entry.entityId),
      summary: JSON.stringify(entry.summary),
    })
    .execute();
}
