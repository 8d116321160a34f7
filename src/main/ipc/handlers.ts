import type { Core } from '../core';
import type { Dispatcher, Handlers } from './dispatch';
import { appHandlers } from '../app/app.handlers';
import { settingsHandlers } from '../settings/settings.handlers';
import { customersHandlers } from '../ledger/customers.handlers';
import { notesHandlers } from '../ledger/notes.handlers';
import { disputesHandlers } from '../ledger/disputes.handlers';
import { importsHandlers } from '../ledger/import-jobs.handlers';
import { autopayHandlers } from '../billing/autopay.handlers';
import { dunningHandlers } from '../billing/dunning.handlers';
import { collectionsHandlers } from '../collections/collections.handlers';
import { invoicesHandlers } from '../ledger/invoices.handlers';
import { creditsHandlers } from '../ledger/credits.handlers';
import { correctionsHandlers } from '../ledger/corrections.handlers';
import { documentsHandlers } from '../documents/documents.handlers';
import { paymentsHandlers } from '../payments/payments.handlers';
import { depositsHandlers } from '../payments/deposits.handlers';
import { paymentMethodsHandlers } from '../payments/paymentMethods.handlers';
import { lookupHandlers } from '../ledger/lookup.handlers';
import { agingHandlers } from '../ledger/aging.handlers';
import { printersHandlers } from '../printing/printers.handlers';
import { authHandlers } from '../staff/auth.handlers';
import { auditHandlers, staffHandlers } from '../staff/staff.handlers';
import { billingHandlers, subscriptionsHandlers } from '../billing/billing.handlers';
import { reportsHandlers } from '../payments/reports.handlers';

/** Every channel's handler, gathered from the domains. The type makes a missing one a compile error. */
export function buildHandlers(core: Core): Handlers {
  return {
    ...appHandlers(core),
    ...documentsHandlers(core),
    ...settingsHandlers(core),
    ...customersHandlers(core),
    ...invoicesHandlers(core),
    ...creditsHandlers(core),
    ...correctionsHandlers(core),
    ...paymentsHandlers(core),
    ...depositsHandlers(core),
    ...paymentMethodsHandlers(core),
    ...lookupHandlers(core),
    ...agingHandlers(core),
    ...printersHandlers(core),
    ...authHandlers(core),
    ...staffHandlers(core),
    ...auditHandlers(core),
    ...subscriptionsHandlers(core),
    ...billingHandlers(core),
    ...notesHandlers(core),
    ...disputesHandlers(core),
    ...importsHandlers(core),
    ...autopayHandlers(core),
    ...dunningHandlers(core),
    ...collectionsHandlers(core),
    ...reportsHandlers(core),
  };
}

/** The handlers with the staff gate of the same core: what Electron IPC, the bridge and tests dispatch through. */
export function createDispatcher(core: Core): Dispatcher {
  return { handlers: buildHandlers(core), gate: core.staff.gate, log: core.deps.log, workstation: core.deps.workstation };
}
