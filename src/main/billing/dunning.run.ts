/**
 * The follow-up step of the daily billing run, after the invoices (and autopay) are done: for each
 * past-due customer, the levels reached and not yet sent (dunning.rules.ts), each sent once with
 * its action, the late fees due billed as their own invoices, and the office's "suspend at level N".
 *
 * Exactly once rests on the database: the customers of a batch are locked first (PostgreSQL) and
 * their notices read again after the locks; a notice's invoices are keyed (invoice, level), so the
 * same level is never sent twice for an invoice, and a notice's late fee is keyed by the notice.
 * One transaction per batch of customers, with its audit rows.
 *
 * Actions: an email is an outbox message from the office's follow-up templates with the statement
 * as of the run's date attached (drawn when sent); a letter is that statement queued on this
 * workstation's print queue; a call is the notice itself, a task in the collections worklist until
 * a call is logged on the account.
 */
import type { DocumentRef } from '../../shared/contract/documents';
import type { DunningRunResult } from '../../shared/contract/dunning';
import { addDays } from '../../shared/dates';
import { DEFAULT_SETTINGS, type AppSettings } from '../../shared/settings';
import type { CoreDeps } from '../deps';
import { lockCustomers, writeTx } from '../db/dialect';
import type { Tx } from '../db/types';
import { withDocumentTables } from '../documents/documents.tables';
import { fillTemplate, formatMoney } from '../documents/format.rules';
import { newMessageId, recipientProblem } from '../documents/queue.repo';
import { refToJson } from '../documents/render';
import { nextDocumentNumber } from '../ledger/counters.repo';
import { postingTime } from '../ledger/posting';
import { takeWriteLock } from '../payments/payments.repo';
import { appendAuditRows, type AuditEntry } from '../staff/audit.repo';
import { queueInvoiceDeliveries } from './billing.delivery';
import { followUpCandidates, followUpFacts, loadFollowUpSettings, upsertCollections, type CustomerFollowUpRow, type FollowUpSettings } from './dunning.repo';
import { invoiceKey, planCustomerFollowUp, type CustomerFollowUpPlan } from './dunning.rules';

export interface FollowUpRunOptions {
  asOf: string;
  dryRun: boolean;
  /** The billing run this step belongs to (null in a dry run). */
  runId: number | null;
  batchSize?: number;
}

type Deps = Pick<CoreDeps, 'ledger' | 'clock' | 'settings' | 'workstation'>;

export function emptyFollowUpResult(): DunningRunResult {
  return { notices: [], lateFees: [], suspended: [] };
}

function followUpEmail(c: CustomerFollowUpRow, plan: CustomerFollowUpPlan, level: number, settings: AppSettings): { subject: string; body: string } {
  const t = { ...DEFAULT_SETTINGS.email.templates, ...settings.email.templates };
  const values = {
    customerName: c.legalName,
    customerNumber: c.customerNumber,
    pastDue: formatMoney(plan.pastDueCents, settings.numberFormat),
    invoiceNumbers: c.pastDue.map((i) => i.invoiceNumber).join(', '),
    daysPastDue: String(plan.daysPastDue),
    level: String(level),
    companyName: settings.company.name,
    companyPhone: settings.company.phone,
    companyEmail: settings.company.email,
  };
  return { subject: fillTemplate(t.followUpSubject, values), body: fillTemplate(t.followUpBody, values) };
}

export async function runFollowUp(deps: Deps, options: FollowUpRunOptions, actor: string): Promise<DunningRunResult> {
  const db = deps.ledger.db;
  const result = emptyFollowUpResult();
  const config = await loadFollowUpSettings(db);
  const candidates = await followUpCandidates(db, options.asOf);
  const size = Math.max(1, options.batchSize ?? 200);
  for (let i = 0; i < candidates.length; i += size) {
    const batch = candidates.slice(i, i + size);
    const done = await writeTx(db, async (trx) => {
      const out = emptyFollowUpResult();
      if (!options.dryRun) await takeWriteLock(trx);
      if (!options.dryRun) await lockCustomers(trx, batch);
      const facts = await followUpFacts(trx, batch, options.asOf);
      for (const c of facts) {
        const plan = c.followedUp || c.pastDue.length === 0
          ? planCustomerFollowUp({ asOf: options.asOf, levels: config.levels, suspendAtLevel: config.suspendAtLevel, pastDue: c.pastDue, sentLevel: c.sentLevel, unbilled: c.unbilled, suspended: c.suspended })
          : null;
        if (!plan) continue;
        await followUpCustomer(trx, deps, c, plan, config, options, actor, out);
      }
      // A dry run writes nothing: its transaction is rolled back by throwing its answer out.
      if (options.dryRun) throw new DryRunDone(out);
      return out;
    }).catch((e: unknown) => {
      if (e instanceof DryRunDone) return e.result;
      throw e;
    });
    result.notices.push(...done.notices);
    result.lateFees.push(...done.lateFees);
    result.suspended.push(...done.suspended);
  }
  return result;
}

class DryRunDone extends Error {
  constructor(readonly result: DunningRunResult) {
    super('dry run');
  }
}

async function followUpCustomer(
  trx: Tx,
  deps: Deps,
  c: CustomerFollowUpRow,
  plan: CustomerFollowUpPlan,
  config: FollowUpSettings,
  options: FollowUpRunOptions,
  actor: string,
  out: DunningRunResult,
): Promise<void> {
  const at = postingTime(deps).at;
  const settings = deps.settings.get();
  const d = withDocumentTables(trx);
  const audit: AuditEntry[] = [];
  const invoiceNumbers = c.pastDue.map((i) => i.invoiceNumber);
  const ids = c.pastDue.map((i) => i.id);
  const noticeIds: number[] = [];
  const statement: DocumentRef = { kind: 'statement', customerNumber: c.customerNumber, asOf: options.asOf };

  for (const n of plan.notices) {
    out.notices.push({ customerNumber: c.customerNumber, level: n.level.level, action: n.level.action, invoiceNumbers, pastDueCents: plan.pastDueCents, daysPastDue: plan.daysPastDue, reachedOn: n.reachedOn });
    if (options.dryRun) continue;
    let outboxId: number | null = null;
    let printJobId: number | null = null;
    if (n.level.action === 'email') {
      const problem = recipientProblem(c.email);
      const text = followUpEmail(c, plan, n.level.level, settings);
      const row = await d
        .insertInto('outbox')
        .values({
          message_id: newMessageId(settings.email.from), to_address: c.email, ...text,
          attachment_kind: 'statement', attachment_ref: refToJson(statement), attachment_name: `Statement ${c.customerNumber} ${options.asOf}.pdf`, attachment_pdf: null,
          customer_id: c.customerId, payment_id: null, status: problem ? 'failed' : 'queued', last_error: problem,
          next_attempt_at: at, created_at: at, created_by: actor, updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      outboxId = row.id;
      audit.push({ at, actor, action: 'email.queue', entity: 'outbox', entityId: row.id, customerNumber: c.customerNumber, summary: { to: c.email, subject: text.subject, document: statement, followUpLevel: n.level.level, ...(problem ? { held: problem } : {}) } });
    } else if (n.level.action === 'letter') {
      const title = `Past-due letter (follow-up level ${n.level.level}): statement ${c.customerNumber} as of ${options.asOf}`;
      const row = await d
        .insertInto('print_jobs')
        .values({ document_kind: 'statement', document_ref: refToJson(statement), title, customer_id: c.customerId, payment_id: null, status: 'queued', workstation: deps.workstation, created_at: at, created_by: actor, updated_at: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      printJobId = row.id;
      audit.push({ at, actor, action: 'print.queue', entity: 'print_job', entityId: row.id, customerNumber: c.customerNumber, summary: { document: statement, title, followUpLevel: n.level.level } });
    }
    const notice = await trx
      .insertInto('dunning_notices')
      .values({ customer_id: c.customerId, level: n.level.level, action: n.level.action, invoice_key: invoiceKey(ids), reached_on: n.reachedOn, sent_on: options.asOf, past_due_cents: plan.pastDueCents, outbox_id: outboxId, print_job_id: printJobId, created_at: at, created_by: actor })
      .returning('id')
      .executeTakeFirstOrThrow();
    noticeIds.push(notice.id);
    await trx.insertInto('dunning_notice_invoices').values(ids.map((id) => ({ notice_id: notice.id, invoice_id: id, level: n.level.level }))).execute();
    audit.push({
      at, actor, action: 'dunning.notice', entity: 'dunning_notice', entityId: notice.id, customerNumber: c.customerNumber,
      summary: { customerNumber: c.customerNumber, level: n.level.level, action: n.level.action, invoices: invoiceNumbers, pastDueCents: plan.pastDueCents, daysPastDue: plan.daysPastDue, reachedOn: n.reachedOn, billingRun: options.runId },
    });
  }

  const feeBase = c.pastDue.filter((i) => !i.lateFee).map((i) => i.invoiceNumber);
  for (const fee of plan.fees) {
    if (options.dryRun) {
      out.lateFees.push({ customerNumber: c.customerNumber, level: fee.level, invoiceNumber: null, invoiceNumbers: feeBase, baseCents: fee.baseCents, feeCents: fee.feeCents });
      continue;
    }
    const noticeId = 'noticeId' in fee.notice ? fee.notice.noticeId : noticeIds[fee.notice.planned]!;
    const number = await nextDocumentNumber(trx, 'invoice');
    const dueDate = addDays(options.asOf, c.termsDays);
    const inv = await trx
      .insertInto('invoices')
      .values({ invoice_number: number, customer_id: c.customerId, issue_date: options.asOf, due_date: dueDate, period_start: null, period_end: null, billing_frequency: null, tax_rate_bp: 0, subtotal_cents: fee.feeCents, tax_cents: 0, total_cents: fee.feeCents, status: 'open', created_at: at, created_by: actor })
      .returning('id')
      .executeTakeFirstOrThrow();
    const description = `Late fee: follow-up level ${fee.level}, ${formatMoney(fee.baseCents, settings.numberFormat)} past due (${feeBase.join(', ')})`.slice(0, 200);
    await trx.insertInto('invoice_lines').values({ invoice_id: inv.id, line_no: 1, description, quantity: 1, unit_price_cents: fee.feeCents, amount_cents: fee.feeCents, taxable: 0 }).execute();
    await trx.insertInto('dunning_late_fees').values({ notice_id: noticeId, invoice_id: inv.id, base_cents: fee.baseCents, fee_cents: fee.feeCents, created_at: at }).execute();
    if (options.runId !== null) {
      await queueInvoiceDeliveries(trx, [{ invoiceId: inv.id, invoiceNumber: number, customerId: c.customerId, totalCents: fee.feeCents, dueDate }], { settings, actor, at, runId: options.runId, workstation: deps.workstation });
    }
    audit.push({
      at, actor, action: 'invoice.create', entity: 'invoice', entityId: number, customerNumber: c.customerNumber,
      summary: { customerNumber: c.customerNumber, lateFee: { level: fee.level, notice: noticeId, baseCents: fee.baseCents, invoices: feeBase }, subtotalCents: fee.feeCents, taxCents: 0, totalCents: fee.feeCents, billingRun: options.runId },
    });
    out.lateFees.push({ customerNumber: c.customerNumber, level: fee.level, invoiceNumber: number, invoiceNumbers: feeBase, baseCents: fee.baseCents, feeCents: fee.feeCents });
  }

  if (plan.suspendAt !== null || plan.lift) {
    const change = plan.lift ? ('lifted' as const) : ('suspended' as const);
    const level = plan.lift ? 0 : plan.suspendAt!;
    out.suspended.push({ customerNumber: c.customerNumber, level: plan.lift ? (c.suspendedLevel ?? 0) : level, change, invoiceNumbers, pastDueCents: plan.pastDueCents });
    if (!options.dryRun) {
      const values = plan.lift ? { suspended_on: null, suspended_level: null } : { suspended_on: options.asOf, suspended_level: level };
      await upsertCollections(trx, c.customerId, { ...values, updated_at: at, updated_by: actor });
      audit.push({
        at, actor, action: plan.lift ? 'account.unsuspend' : 'account.suspend', entity: 'customer', entityId: c.customerNumber, customerNumber: c.customerNumber,
        summary: { customerNumber: c.customerNumber, ...(plan.lift ? { reason: 'paid current' } : { level, suspendAtLevel: config.suspendAtLevel, invoices: invoiceNumbers, pastDueCents: plan.pastDueCents }), billingRun: options.runId },
      });
    }
  }
  await appendAuditRows(trx, audit);
}
