import type {
  CreditApplicationDto,
  CreditApplyInput,
  CreditCreateInput,
  CreditDto,
  CreditUnapplyDto,
  CreditUnapplyInput,
} from '../../shared/contract/credits';
import { isIsoDate } from '../../shared/dates';
import { AppError } from '../../shared/errors';
import { MAX_CENTS } from '../../shared/money';
import { MAX_REASON_LENGTH, documentNumberProblem, fieldsError, type FieldProblems } from '../../shared/validation';
import type { CoreDeps } from '../deps';
import type { CreditMemoRow } from '../db/schema';
import type { Db } from '../db/types';
import { appendAudit } from '../staff/audit.repo';
import { computeCreditApplication } from './allocation.rules';
import { insertApplications, reverseApplications, standingApplications } from './applications.repo';
import { creditsFor, invoiceOpenCents, openInvoicesFor, refreshInvoiceStatus } from './balances.repo';
import { nextDocumentNumber } from './counters.repo';
import { creditRemainingCents, findCreditByNumber, insertCredit, requireCredit } from './credits.repo';
import { findCustomerById, requireCustomer } from './customers.repo';
import { requireInvoice } from './invoices.repo';
import { postingTime } from './posting';
import { writeTx } from '../db/dialect';
import { lockCustomer } from '../db/dialect';
import { assertDayOpen } from './day-close';

async function loadCreditDto(db: Db, row: CreditMemoRow): Promise<CreditDto> {
  const customer = await findCustomerById(db, row.customer_id);
  if (!customer) throw new Error(`credit ${row.credit_number} has no customer ${row.customer_id}`);
  return {
    creditNumber: row.credit_number,
    customerNumber: customer.customer_number,
    issueDate: row.issue_date,
    amountCents: row.amount_cents,
    remainingCents: await creditRemainingCents(db, row.id),
    reason: row.reason,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

export function createCreditsService(deps: CoreDeps) {
  const db = deps.ledger.db;

  return {
    async get(creditNumber: string): Promise<CreditDto> {
      return loadCreditDto(db, await requireCredit(db, creditNumber));
    },

    async create(input: CreditCreateInput, actor: string): Promise<CreditDto> {
      const time = postingTime(deps);
      const problems: FieldProblems = {};
      if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0 || input.amountCents > MAX_CENTS) {
        problems.amountCents = `must be a positive whole number of cents, got ${input.amountCents}`;
      }
      const reason = input.reason.trim();
      if (reason.length === 0) problems.reason = 'is required';
      else if (reason.length > MAX_REASON_LENGTH) problems.reason = `is too long (at most ${MAX_REASON_LENGTH} characters)`;
      const issueDate = input.issueDate?.trim() || time.businessDate;
      if (!isIsoDate(issueDate)) problems.issueDate = `"${issueDate}" is not a calendar date as YYYY-MM-DD`;
      const given = input.creditNumber?.trim() || null;
      if (input.creditNumber !== undefined && given === null) problems.creditNumber = 'is blank; leave it out to have one generated';
      else if (given !== null) {
        const p = documentNumberProblem(given);
        if (p) problems.creditNumber = p;
      }
      if (Object.keys(problems).length > 0) throw fieldsError(problems);

      return writeTx(db, async (trx) => {
        const customer = await requireCustomer(trx, input.customerNumber);
        await lockCustomer(trx, customer.id);
        // A credit lowers what the customer owes from its issue date on, which may be back-dated.
        await assertDayOpen(trx, issueDate, input.issueDate?.trim() ? 'issueDate' : undefined);
        let creditNumber = given;
        if (creditNumber === null) creditNumber = await nextDocumentNumber(trx, 'credit');
        else if (await findCreditByNumber(trx, creditNumber)) {
          throw new AppError('CONFLICT', `Credit number ${creditNumber} is already in use`, {
            fields: { creditNumber: `${creditNumber} is already in use` },
          });
        }
        await insertCredit(
          trx,
          { creditNumber, customerId: customer.id, issueDate, amountCents: input.amountCents, reason },
          actor,
          time.at,
        );
        await appendAudit(trx, {
          actor,
          action: 'credit.create',
          entity: 'credit',
          entityId: creditNumber,
          summary: { customerNumber: customer.customer_number, amountCents: input.amountCents, issueDate, reason },
          at: time.at,
        });
        return loadCreditDto(trx, await requireCredit(trx, creditNumber));
      });
    },

    /**
     * Applies credits to invoices with no card payment, under the house rules
     * (computeCreditApplication with the office's policy). Balances are read inside the writing
     * transaction, so what is posted matches what was checked.
     */
    async apply(input: CreditApplyInput, actor: string): Promise<CreditApplicationDto> {
      const time = postingTime(deps);
      const policy = deps.settings.get().policy;
      return writeTx(db, async (trx) => {
        const customer = await requireCustomer(trx, input.customerNumber);
        await lockCustomer(trx, customer.id);
        await assertDayOpen(trx, time.businessDate);
        const invoices = await openInvoicesFor(trx, customer.id);
        const credits = await creditsFor(trx, customer.id);
        const result = computeCreditApplication({
          openInvoices: invoices.map((i) => ({
            invoiceNumber: i.invoiceNumber,
            issueDate: i.issueDate,
            dueDate: i.dueDate,
            openCents: i.openCents,
            disputed: i.disputed,
          })),
          selection: input.invoiceNumbers === 'all' ? 'all' : input.invoiceNumbers.map((n) => n.trim()),
          credits: credits.map((c) => ({ creditNumber: c.creditNumber, issueDate: c.issueDate, remainingCents: c.remainingCents })),
          selectedCredits: input.creditNumbers.map((n) => n.trim()),
          policy,
        });
        if (!result.ok) {
          const { ok: _ok, message, ...details } = result;
          throw new AppError('VALIDATION', message, details);
        }
        const invoiceIds = new Map(invoices.map((i) => [i.invoiceNumber, i.invoiceId]));
        const creditIds = new Map(credits.map((c) => [c.creditNumber, c.creditId]));
        const posted = result.lines.flatMap((line) =>
          line.creditParts.map((part) => ({
            invoiceId: invoiceIds.get(line.invoiceNumber)!,
            customerId: customer.id,
            source: 'credit' as const,
            paymentId: null,
            creditId: creditIds.get(part.creditNumber)!,
            amountCents: part.amountCents,
            appliedOn: time.businessDate,
          })),
        );
        await insertApplications(trx, posted, actor, time.at);
        for (const line of result.lines) await refreshInvoiceStatus(trx, invoiceIds.get(line.invoiceNumber)!);
        await appendAudit(trx, {
          actor,
          action: 'credit.apply',
          entity: 'customer',
          entityId: customer.customer_number,
          summary: {
            appliedOn: time.businessDate,
            totalCreditCents: result.totalCreditCents,
            applications: result.lines.flatMap((l) =>
              l.creditParts.map((p) => ({ invoice: l.invoiceNumber, credit: p.creditNumber, cents: p.amountCents })),
            ),
          },
          at: time.at,
        });
        return {
          customerNumber: customer.customer_number,
          appliedOn: time.businessDate,
          lines: result.lines.map((l) => ({
            invoiceNumber: l.invoiceNumber,
            openCents: l.openCents,
            creditCents: l.creditCents,
            remainingCents: l.remainingCents,
            creditParts: l.creditParts,
          })),
          totalCreditCents: result.totalCreditCents,
          creditsUsed: result.creditsUsed,
          creditsLeft: result.creditsLeft,
        };
      });
    },

    /** Takes a credit back off an invoice: reverses every standing application of that credit to it. */
    async unapply(input: CreditUnapplyInput, actor: string): Promise<CreditUnapplyDto> {
      const time = postingTime(deps);
      return writeTx(db, async (trx) => {
        const credit = await requireCredit(trx, input.creditNumber);
        await lockCustomer(trx, credit.customer_id);
        await assertDayOpen(trx, time.businessDate);
        const invoice = await requireInvoice(trx, input.invoiceNumber);
        const standing = await standingApplications(trx, { creditId: credit.id, invoiceId: invoice.id });
        if (standing.length === 0) {
          throw new AppError(
            'CONFLICT',
            `Credit ${credit.credit_number} has nothing applied to invoice ${invoice.invoice_number}`,
            { creditNumber: credit.credit_number, invoiceNumber: invoice.invoice_number },
          );
        }
        const reversals = await reverseApplications(
          trx,
          standing.map((a) => a.id),
          input.reason,
          actor,
          time,
        );
        const reversedCents = -reversals.reduce((sum, r) => sum + r.amountCents, 0);
        await appendAudit(trx, {
          actor,
          action: 'credit.unapply',
          entity: 'credit',
          entityId: credit.credit_number,
          summary: {
            invoice: invoice.invoice_number,
            reversedCents,
            reason: input.reason.trim(),
            reversedApplications: reversals.map((r) => r.reversesId),
          },
          at: time.at,
        });
        return {
          creditNumber: credit.credit_number,
          invoiceNumber: invoice.invoice_number,
          reversedCents,
          creditRemainingCents: await creditRemainingCents(trx, credit.id),
          invoiceOpenCents: await invoiceOpenCents(trx, invoice.id),
        };
      });
    },
  };
}

export type CreditsService = ReturnType<typeof createCreditsService>;

