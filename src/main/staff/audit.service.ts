import { sql } from 'kysely';
import { AUDIT_DEFAULT_LIMIT, type AuditEntryDto, type AuditListInput, type AuditPageDto } from '../../shared/contract/audit';
import { isIsoDate } from '../../shared/dates';
import { validationError } from '../../shared/errors';
import type { AuditLogRow } from '../db/schema';
import { decodeCursor, encodeCursor, nextDay, startOfDayIn } from './audit.rules';
import type { StaffDeps } from './ports';

function details(summary: string): Record<string, unknown> {
  try {
    const v = JSON.parse(summary) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { text: summary };
  }
}

function toEntry(r: AuditLogRow, names: ReadonlyMap<number, string>): AuditEntryDto {
  return {
    id: r.id,
    at: r.at,
    actor: { id: r.actor_id, username: r.actor, name: r.actor_name },
    approvedBy: r.approved_by
      ? { id: r.approved_by_id, username: r.approved_by, name: r.approved_by_id === null ? null : (names.get(r.approved_by_id) ?? null) }
      : null,
    approvalReason: r.approval_reason,
    action: r.action,
    target: { type: r.entity, id: r.entity_id, customerNumber: r.customer_number },
    outcome: { result: r.outcome, errorCode: r.error_code },
    workstation: r.workstation,
    details: details(r.summary),
  };
}

/**
 * Reads the audit trail newest first, a page at a time, by a keyset cursor (at, id): each filter
 * walks its own index backwards (at; actor, at; action, at; customer, at), so a page costs the same
 * on the millionth row as on the first.
 */
export function createAuditService(deps: StaffDeps) {
  const db = deps.ledger.db;
  return {
    async list(input: AuditListInput): Promise<AuditPageDto> {
      const limit = input.limit ?? AUDIT_DEFAULT_LIMIT;
      const zone = deps.timeZone();
      const from = input.from === undefined ? undefined : isIsoDate(input.from) ? startOfDayIn(input.from, zone) : new Date(input.from).toISOString();
      // A day "to" runs to the start of the next day (exclusive); an instant "to" is inclusive.
      const toExclusive = input.to !== undefined && isIsoDate(input.to) ? startOfDayIn(nextDay(input.to), zone) : undefined;
      const toInclusive = input.to !== undefined && !isIsoDate(input.to) ? new Date(input.to).toISOString() : undefined;
      const cursor = input.cursor === undefined ? null : decodeCursor(input.cursor);
      if (input.cursor !== undefined && !cursor) throw validationError('cursor', 'is not a cursor this list handed out');

      let q = db.selectFrom('audit_log').selectAll();
      if (input.actor !== undefined) q = q.where('actor', '=', input.actor);
      if (input.action !== undefined) q = q.where('action', '=', input.action);
      if (input.customerNumber !== undefined) q = q.where('customer_number', '=', input.customerNumber);
      if (from !== undefined) q = q.where('at', '>=', from);
      if (toExclusive !== undefined) q = q.where('at', '<', toExclusive);
      if (toInclusive !== undefined) q = q.where('at', '<=', toInclusive);
      if (cursor) q = q.where(sql<boolean>`(at, id) < (${cursor.at}, ${cursor.id})`);
      const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      // The approver's display name, from the staff table (the row keeps the id and username).
      const approverIds = [...new Set(page.flatMap((r) => (r.approved_by_id === null ? [] : [r.approved_by_id])))];
      const names = new Map<number, string>();
      if (approverIds.length > 0) {
        for (const u of await db.selectFrom('staff_users').select(['id', 'display_name']).where('id', 'in', approverIds).execute()) names.set(u.id, u.display_name);
      }
      return { entries: page.map((r) => toEntry(r, names)), nextCursor: rows.length > limit && last ? encodeCursor({ at: last.at, id: last.id }) : null };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
