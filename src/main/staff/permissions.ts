import type { ChannelName } from '../../shared/contract';
import type { StaffRole } from '../../shared/contract/auth';

/**
 * Who may call each channel, checked in main for every call (hiding a button is not a permission).
 *
 * - `needs`: 'nobody' answers without a session; 'first-run' only while no staff account exists;
 *   'signed-in' is any signed-in person acting on their own session; otherwise the lowest role.
 * - `approval`: a clerk may still call it with a supervisor's approval in the input.
 * - `audit`: a 'write' channel's service appends the row of what it changed inside its own
 *   transaction (none when nothing changed); dispatch adds the row of a refused or failed write. An
 *   'export' gets a row from dispatch whatever its outcome. A 'read' gets one only when it is refused
 *   for its role.
 *
 * A test calls every channel as clerk, supervisor and admin and checks the answer against this table,
 * and fails when a channel of the contract is missing here.
 */
export type Needs = 'nobody' | 'first-run' | 'signed-in' | StaffRole;
export interface Permission {
  needs: Needs;
  approval?: true;
  audit: 'read' | 'write' | 'export';
}

const read = (needs: Needs): Permission => ({ needs, audit: 'read' });
const write = (needs: Needs): Permission => ({ needs, audit: 'write' });
const exports = (needs: Needs): Permission => ({ needs, audit: 'export' });
/** A supervisor's action, which a clerk may run with a supervisor's approval. */
const approvable = (p: Permission): Permission => ({ ...p, approval: true });

export const PERMISSIONS: Record<ChannelName, Permission> = {
  // Before anyone signs in
  'app.info': read('nobody'),
  'auth.status': read('nobody'),
  'auth.signIn': write('nobody'),
  'auth.setupFirstAdmin': write('first-run'),

  // Every signed-in person, about their own session and password
  'auth.signOut': write('signed-in'),
  'auth.lock': write('signed-in'),
  'auth.unlock': write('signed-in'),
  'auth.changePassword': write('signed-in'),
  'auth.totpSetup': write('signed-in'),
  'auth.totpEnable': write('signed-in'),

  // Clerk: look up, view accounts and aging
  'lookup.search': read('clerk'),
  'customers.get': read('clerk'),
  'customers.account': read('clerk'),
  'invoices.get': read('clerk'),
  'aging.report': read('clerk'),
  'aging.window': read('clerk'),
  'aging.customer': read('clerk'),
  'settings.get': read('clerk'),
  // Clerk: take payments (with the customer's credits)
  'payments.quote': read('clerk'),
  'payments.submit': write('clerk'),
  'payments.list': read('clerk'),
  'payments.recent': read('clerk'),
  'payments.search': read('clerk'),
  'payments.get': read('clerk'),
  'payments.recover': write('clerk'),
  'credits.apply': write('clerk'),
  // Clerk: apply money held on account to an invoice, as a credit is applied; see the account's corrections
  'corrections.applyOnAccount': write('clerk'),
  'corrections.history': read('clerk'),
  // Clerk: record checks, cash, wires and transfers received, and build deposits. Closing a deposit is
  // the clerk's too: it freezes the count of what goes in the bank bag and moves no customer's money
  // (every close is audited, and a mistake is corrected by a reversal in a new batch).
  'payments.quoteReceived': read('clerk'),
  'payments.recordReceived': write('clerk'),
  'deposits.list': read('clerk'),
  'deposits.get': read('clerk'),
  'deposits.undeposited': read('clerk'),
  'deposits.open': write('clerk'),
  'deposits.addItems': write('clerk'),
  'deposits.removeItem': write('clerk'),
  'deposits.close': write('clerk'),
  'deposits.slip': exports('clerk'),
  // Clerk: save and remove payment methods
  'paymentMethods.list': read('clerk'),
  'paymentMethods.add': write('clerk'),
  'paymentMethods.remove': write('clerk'),
  'paymentMethods.setDefault': write('clerk'),
  // Clerk: subscriptions on the account, and a preview of the billing run
  'subscriptions.list': read('clerk'),
  'subscriptions.create': write('clerk'),
  'billing.preview': read('clerk'),
  'billing.runs': read('clerk'),
  // Clerk: print and email documents
  'printers.list': read('clerk'),
  'documents.printJobs': read('clerk'),
  'documents.print': write('clerk'),
  'documents.printAgain': write('clerk'),
  'documents.printQueued': write('clerk'),
  'documents.discardPrintJob': write('clerk'),
  'documents.pdf': exports('clerk'),
  // A batch of statements written to files: an export, audited when it starts; cancelling is a write of its own.
  'documents.startStatementBatch': exports('clerk'),
  'documents.statementBatch': read('clerk'),
  'documents.cancelStatementBatch': write('clerk'),
  'documents.outbox': read('clerk'),
  'documents.retryEmail': write('clerk'),
  'documents.cancelEmail': write('clerk'),
  'documents.setEmailRecipient': write('clerk'),
  'documents.emailStatement': write('clerk'),
  'documents.emailConfirmation': write('clerk'),
  'documents.emailInvoice': write('clerk'),
  // Clerk: edit contact details
  'customers.update': write('clerk'),
  'customers.setInvoiceDelivery': write('clerk'),
  // Clerk: the account's notes and promises to pay (a log: added to, never edited)
  'notes.list': read('clerk'),
  'notes.add': write('clerk'),
  // Clerk: opening a billing dispute with the customer's words; a supervisor resolves it
  'disputes.list': read('clerk'),
  'disputes.open': write('clerk'),
  // Clerk: see autopay and its attempts; turning it on needs a supervisor, or a clerk recording the
  // customer's consent (consent: 'customer', checked by billing/autopay.service.ts and audited with it)
  'autopay.get': read('clerk'),
  'autopay.set': write('clerk'),
  // Clerk: the collections worklist (a call is logged with notes.add); the follow-up levels in force
  'collections.worklist': read('clerk'),
  'dunning.levels': read('clerk'),
  // Clerk: billing a customer by hand (a credit memo stays a supervisor's, below)
  'invoices.preview': read('clerk'),
  'invoices.create': write('clerk'),

  // Supervisor (or a clerk with a supervisor's approval): voids, refunds, credit memos, disputes, write-offs
  'payments.void': approvable(write('supervisor')),
  'payments.refund': approvable(write('supervisor')),
  'payments.returnCheck': approvable(write('supervisor')),
  'invoices.void': approvable(write('supervisor')),
  'credits.create': approvable(write('supervisor')),
  'credits.unapply': approvable(write('supervisor')),
  'invoices.setDisputed': approvable(write('supervisor')),
  'subscriptions.change': approvable(write('supervisor')),
  'subscriptions.cancel': approvable(write('supervisor')),
  'customers.cancelAccount': approvable(write('supervisor')),
  'billing.run': approvable(write('supervisor')),
  'corrections.reapply': approvable(write('supervisor')),
  'corrections.writeOff': approvable(write('supervisor')),
  'disputes.resolve': approvable(write('supervisor')),
  // Supervisor: importing a CSV file from the screen (the import itself is audited when it is written)
  'imports.begin': write('supervisor'),
  'imports.append': write('supervisor'),
  'imports.start': write('supervisor'),
  'imports.get': read('supervisor'),
  // Supervisor: who works a past-due account, and whether it is followed up at all
  'collections.assign': approvable(write('supervisor')),
  'collections.setNoFollowUp': approvable(write('supervisor')),
  // Supervisor: the audit log (viewing it is itself audited)
  'audit.list': approvable(exports('supervisor')),

  // Clerk: the payments report; a supervisor (or a clerk with a supervisor's approval) closes the day
  'reports.payments': read('clerk'),
  'reports.paymentsPdf': exports('clerk'),
  'reports.closePreview': read('clerk'),
  'reports.closedDays': read('clerk'),
  'reports.closeDay': approvable(write('supervisor')),

  // Admin: staff accounts and the sign-in policy
  'staff.list': read('admin'),
  'staff.create': write('admin'),
  'staff.update': write('admin'),
  'staff.resetPassword': write('admin'),
  'staff.unlock': write('admin'),
  'staff.clearTotp': write('admin'),
  'staff.policy': read('admin'),
  'staff.setPolicy': write('admin'),
  // Admin: office settings, the house rules among them (edited in Settings, read by everyone)
  'settings.update': write('admin'),
  'settings.confirmTimeZone': write('admin'),
  'dunning.setLevels': write('admin'),
  'settings.updateOffice': write('admin'),
  'settings.setSmtpPassword': write('admin'),
  'settings.testEmail': write('admin'),
  // Admin: which ledger this workstation opens (the office's server, or its own file)
  'settings.setOfficeLedger': write('admin'),
  // Admin: customers entered by hand, as imports do
  'customers.create': write('admin'),
};

const RANK: Record<StaffRole, number> = { clerk: 1, supervisor: 2, admin: 3 };

/** True when `role` is at least `needed`. */
export function roleAtLeast(role: StaffRole, needed: StaffRole): boolean {
  return RANK[role] >= RANK[needed];
}

/** The channels a clerk may call with a supervisor's approval. */
export function approvableChannels(): ChannelName[] {
  return (Object.keys(PERMISSIONS) as ChannelName[]).filter((c) => PERMISSIONS[c].approval === true);
}
