import { onAccountFor } from './corrections.repo';
import { paymentMethodLabel } from '../payments/payments.rules';
import type {
  CustomerAccountDto,
  CustomerChangesInput,
  CustomerCreateInput,
  CustomerDto,
} from '../../shared/contract/customers';
import { daysBetween } from '../../shared/dates';
import { AppError } from '../../shared/errors';
import { fieldsError, isEmailAddress } from '../../shared/validation';
import type { InvoiceDelivery } from '../../shared/settings';
import type { CoreDeps } from '../deps';
import type { Db } from '../db/types';
import { appendAudit } from '../staff/audit.repo';
import { sortCreditsOldestFirst, sortOldestFirst } from './ordering.rules';
import { creditsFor, openInvoicesFor } from './balances.repo';
import {
  applyCustomerChanges,
  changedCustomerFields,
  customerColumns,
  customerNameWordRows,
  customerProblems,
  draftFromCreateInput,
  draftFromRow,
  toCustomerDto,
} from './customers.rules';
import { findCustomerByNumber, insertCustomer, replaceNameWords, requireCustomer, updateCustomer } from './customers.repo';
import { postingTime } from './posting';
import { writeTx } from '../db/dialect';

const sendsByEmail = (d: InvoiceDelivery | null): boolean => d === 'email' || d === 'both';

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function createCustomersService(deps: CoreDeps) {
  const db = deps.ledger.db;

  return {
    async get(customerNumber: string): Promise<CustomerDto> {
      return toCustomerDto(await requireCustomer(db, customerNumber));
    },

    async create(input: CustomerCreateInput, actor: string): Promise<CustomerDto> {
      const draft = draftFromCreateInput(input);
      const problems = customerProblems(draft);
      if (Object.keys(problems).length > 0) throw fieldsError(problems);
      const time = postingTime(deps);
      try {
        return await writeTx(db, async (trx) => {
          if (await findCustomerByNumber(trx, draft.customerNumber)) {
            throw duplicateNumber(draft.customerNumber);
          }
          const id = await insertCustomer(trx, customerColumns(draft), time.at);
          await replaceNameWords(trx, id, customerNameWordRows(id, draft));
          await appendAudit(trx, {
            actor,
            action: 'customer.create',
            entity: 'customer',
            entityId: draft.customerNumber,
            summary: { legalName: draft.legalName, termsDays: draft.termsDays, taxExempt: draft.taxExempt, status: draft.status },
            at: time.at,
          });
          return toCustomerDto(await requireCustomer(trx, draft.customerNumber));
        });
      } catch (e) {
        // Another writer may have taken the number between our check and the insert.
        if (isUniqueViolation(e)) throw duplicateNumber(draft.customerNumber);
        throw e;
      }
    },

    async update(customerNumber: string, changes: CustomerChangesInput, actor: string): Promise<CustomerDto> {
      const time = postingTime(deps);
      return writeTx(db, async (trx) => {
        const row = await requireCustomer(trx, customerNumber);
        const before = draftFromRow(row);
        const after = applyCustomerChanges(before, changes);
        const problems = customerProblems(after);
        // Cancelling is a supervisor's action that also ends the subscriptions: customers.cancelAccount.
        if (before.status !== 'cancelled' && after.status === 'cancelled') problems.status = 'use Cancel account… on the Subscriptions tab to cancel an account';
        if (Object.keys(problems).length > 0) throw fieldsError(problems);
        if (sendsByEmail(row.invoice_delivery) && !isEmailAddress(after.email ?? '')) {
          throw fieldsError({ email: 'this customer gets its invoices by email: keep an email address, or change the invoice delivery first' });
        }
        const changed = changedCustomerFields(before, after);
        if (Object.keys(changed).length === 0) return toCustomerDto(row);
        await updateCustomer(trx, row.id, customerColumns(after), time.at);
        if (changed.legalName || changed.billingContact || changed.email) await replaceNameWords(trx, row.id, customerNameWordRows(row.id, after));
        await appendAudit(trx, {
          actor,
          action: 'customer.update',
          entity: 'customer',
          entityId: row.customer_number,
          summary: { changed },
          at: time.at,
        });
        return toCustomerDto(await requireCustomer(trx, row.customer_number));
      });
    },

    /** How the billing run delivers the customer's invoices (null: the office's default); email needs an email address on file. */
    async setInvoiceDelivery(customerNumber: string, delivery: InvoiceDelivery | null, actor: string): Promise<CustomerDto> {
      const time = postingTime(deps);
      return writeTx(db, async (trx) => {
        const row = await requireCustomer(trx, customerNumber);
        if (sendsByEmail(delivery) && !isEmailAddress((row.email ?? '').trim())) {
          throw fieldsError({ delivery: `${row.customer_number} has no email address on file: enter the billing email first, or deliver on paper` });
        }
        if (row.invoice_delivery === delivery) return toCustomerDto(row);
        await trx.updateTable('customers').set({ invoice_delivery: delivery, updated_at: time.at }).where('id', '=', row.id).execute();
        await appendAudit(trx, {
          actor,
          action: 'customer.invoice_delivery',
          entity: 'customer',
          entityId: row.customer_number,
          summary: { from: row.invoice_delivery, to: delivery },
          at: time.at,
        });
        return toCustomerDto(await requireCustomer(trx, row.customer_number));
      });
    },

    /** Everything the account screen shows, read in one transaction so the figures agree with each other. */
    async account(customerNumber: string): Promise<CustomerAccountDto> {
      const asOf = postingTime(deps).businessDate;
      return writeTx(db, async (trx) => {
        const row = await requireCustomer(trx, customerNumber);
        const invoices = sortOldestFirst(await openInvoicesFor(trx, row.id));
        const credits = sortCreditsOldestFirst(await creditsFor(trx, row.id));
        const onAccount = (await onAccountFor(trx, row.id)).map((p) => ({
          paymentId: p.paymentId,
          confirmationNumber: p.confirmationNumber,
          receivedOn: p.receivedOn,
          methodLabel: paymentMethodLabel(p.kind, p.methodBrand, p.methodLast4),
          amountCents: p.amountCents,
          onAccountCents: p.onAccountCents,
        }));
        let openCents = 0;
        let pastDueCents = 0;
        const openInvoices = invoices.map((inv) => {
          const daysPastDue = Math.max(0, daysBetween(inv.dueDate, asOf));
          openCents += inv.openCents;
          if (daysPastDue > 0) pastDueCents += inv.openCents;
          return {
            invoiceNumber: inv.invoiceNumber,
            issueDate: inv.issueDate,
            dueDate: inv.dueDate,
            totalCents: inv.totalCents,
            openCents: inv.openCents,
            daysPastDue,
            disputed: inv.disputed,
            disputeReason: inv.disputeReason,
          };
        });
        const accountCredits = credits.map((c) => ({
          creditNumber: c.creditNumber,
          issueDate: c.issueDate,
          amountCents: c.amountCents,
          remainingCents: c.remainingCents,
          reason: c.reason,
        }));
        return {
          customer: toCustomerDto(row),
          asOf,
          balance: {
            openCents,
            pastDueCents,
            unappliedCreditCents: accountCredits.reduce((sum, c) => sum + c.remainingCents, 0),
            onAccountCents: onAccount.reduce((sum, p) => sum + p.onAccountCents, 0),
          },
          openInvoices,
          credits: accountCredits,
          onAccount,
          ...(await followUpStateOf(trx, row.id)),
        };
      });
    },
  };
}

function duplicateNumber(customerNumber: string): AppError {
  return new AppError('CONFLICT', `Customer number ${customerNumber} is already in use`, {
    fields: { customerNumber: `${customerNumber} is already in use` },
  });
}

export type CustomersService = ReturnType<typeof createCustomersService>;

/** The account's past-due follow-up marks, present only when set (suspended, no follow-up, assigned). */
async function followUpStateOf(db: Db, customerId: number): Promise<Pick<CustomerAccountDto, 'followUp'>> {
  const c = await db.selectFrom('customer_collections').select(['suspended_on', 'suspended_level', 'no_follow_up', 'assigned_to']).where('customer_id', '=', customerId).executeTakeFirst();
  if (!c || (c.suspended_on === null && c.no_follow_up === 0 && c.assigned_to === null)) return {};
  return { followUp: { suspendedOn: c.suspended_on, suspendedLevel: c.suspended_level, noFollowUp: c.no_follow_up === 1, assignedTo: c.assigned_to } };
}
