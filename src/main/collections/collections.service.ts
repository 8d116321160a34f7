/**
 * The collections worklist and the account's collections settings: who works it, and whether it
 * is followed up at all. A call is logged with notes.add (kind 'call'): a call task of the worklist
 * is done once a call is logged on or after the day its notice was sent.
 */
import type { WorklistDto, WorklistRowDto } from '../../shared/contract/dunning';
import { AppError } from '../../shared/errors';
import { addDays } from '../../shared/dates';
import type { CoreDeps } from '../deps';
import { writeTx } from '../db/dialect';
import { loadFollowUpSettings, upsertCollections } from '../billing/dunning.repo';
import { requireCustomer } from '../ledger/customers.repo';
import { paymentsReceivedSince } from '../ledger/notes.repo';
import { promiseStanding } from '../ledger/notes.rules';
import { postingTime } from '../ledger/posting';
import { appendAudit } from '../staff/audit.repo';
import { staffByUsername } from '../staff/staff.repo';
import { contactsOf, latestNoticesOf, worklistWindow } from './worklist.repo';

export interface WorklistQuery {
  assignedTo?: string | undefined;
  level?: number | undefined;
  minCents?: number | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface CollectionsService {
  worklist(query: WorklistQuery): Promise<WorklistDto>;
  assign(input: { customerNumber: string; assignedTo: string | null }, actor: string): Promise<{ customerNumber: string; assignedTo: string | null }>;
  setNoFollowUp(input: { customerNumber: string; noFollowUp: boolean }, actor: string): Promise<{ customerNumber: string; noFollowUp: boolean }>;
}

export function createCollectionsService(deps: Pick<CoreDeps, 'ledger' | 'clock' | 'settings'>): CollectionsService {
  const db = deps.ledger.db;
  return {
    async worklist(query) {
      const asOf = postingTime(deps).businessDate;
      const limit = query.limit ?? 100;
      const offset = query.offset ?? 0;
      const { total, rows } = await worklistWindow(db, { asOf, assignedTo: query.assignedTo, level: query.level, minCents: query.minCents }, { limit, offset });
      const ids = rows.map((r) => r.customer_id);
      const { levels } = await loadFollowUpSettings(db);
      const contacts = await contactsOf(db, ids, asOf);
      const notices = await latestNoticesOf(db, ids);
      const out: WorklistRowDto[] = [];
      for (const r of rows) {
        const last = contacts.latest.get(r.customer_id);
        let openPromise: WorklistRowDto['openPromise'] = null;
        const promises = contacts.promises.filter((p) => p.customer_id === r.customer_id).sort((a, b) => (a.promised_on! < b.promised_on! ? -1 : 1));
        if (promises.length > 0) {
          const paid = await paymentsReceivedSince(db, r.customer_id, promises.reduce((m, p) => (p.created_at < m ? p.created_at : m), promises[0]!.created_at));
          const open = promises.find((p) => promiseStanding({ createdAt: p.created_at, promisedOn: p.promised_on!, promisedCents: p.promised_cents! }, paid, asOf).state === 'open');
          if (open) openPromise = { promisedOn: open.promised_on!, promisedCents: open.promised_cents! };
        }
        const notice = notices.find((n) => n.customer_id === r.customer_id && n.level === r.level);
        const called = notice && contacts.calls.some((c) => c.customer_id === r.customer_id && c.created_on >= notice.sent_on);
        const next = levels.find((l) => l.level > r.level);
        const nextAction: WorklistRowDto['nextAction'] =
          notice && notice.action === 'call' && !called
            ? { kind: 'call-task', since: notice.sent_on }
            : next
              ? { kind: 'level', level: next.level, action: next.action, on: addDays(r.oldest_due, next.daysPastDue) }
              : null;
        out.push({
          customerNumber: r.customer_number,
          legalName: r.legal_name,
          phone: r.phone,
          oldestDueDate: r.oldest_due,
          daysPastDue: Math.round((Date.parse(asOf) - Date.parse(r.oldest_due)) / 86_400_000),
          pastDueCents: r.past_due_cents,
          pastDueInvoices: r.invoices,
          level: r.level,
          lastContact: last ? { at: last.created_at, kind: last.kind, by: last.created_by, text: last.body } : null,
          openPromise,
          nextAction,
          assignedTo: r.assigned_to,
          noFollowUp: Number(r.no_follow_up ?? 0) === 1,
          suspendedOn: r.suspended_on,
        });
      }
      return { asOf, total, offset, rows: out };
    },

    async assign(input, actor) {
      const assignedTo = input.assignedTo === null || input.assignedTo.trim() === '' ? null : input.assignedTo.trim();
      const at = postingTime(deps).at;
      return writeTx(db, async (trx) => {
        const customer = await requireCustomer(trx, input.customerNumber);
        if (assignedTo !== null) {
          const staff = await staffByUsername(trx, assignedTo);
          if (!staff || staff.active !== 1) throw new AppError('VALIDATION', `assignedTo: ${assignedTo} is not an active staff member`, { fields: { assignedTo: 'is not an active staff member' } });
        }
        await upsertCollections(trx, customer.id, { assigned_to: assignedTo, updated_at: at, updated_by: actor });
        await appendAudit(trx, { actor, action: 'collections.assign', entity: 'customer', entityId: customer.customer_number, customerNumber: customer.customer_number, summary: { customerNumber: customer.customer_number, assignedTo }, at });
        return { customerNumber: customer.customer_number, assignedTo };
      });
    },

    async setNoFollowUp(input, actor) {
      const at = postingTime(deps).at;
      return writeTx(db, async (trx) => {
        const customer = await requireCustomer(trx, input.customerNumber);
        await upsertCollections(trx, customer.id, { no_follow_up: input.noFollowUp ? 1 : 0, updated_at: at, updated_by: actor });
        await appendAudit(trx, { actor, action: 'collections.noFollowUp', entity: 'customer', entityId: customer.customer_number, customerNumber: customer.customer_number, summary: { customerNumber: customer.customer_number, noFollowUp: input.noFollowUp }, at });
        return { customerNumber: customer.customer_number, noFollowUp: input.noFollowUp };
      });
    },
  };
}
