import type { CoreDeps } from './deps';
import { createAppService } from './app/app.service';
import { createSettingsService } from './settings/settings.service';
import { createOfficeLedgerService } from './settings/office-ledger.service';
import { createCustomersService } from './ledger/customers.service';
import { createInvoicesService } from './ledger/invoices.service';
import { createCreditsService } from './ledger/credits.service';
import { createImportService } from './ledger/import.service';
import { createDocumentsService } from './documents/documents.service';
import { createPaymentsService } from './payments/payments.service';
import type { ConfirmationQueue } from './payments/ports';
import { createPaymentMethodsService } from './payments/paymentMethods.service';
import { createLookupService } from './ledger/lookup.service';
import { createAgingService } from './ledger/aging.service';
import { createReportsService } from './payments/reports.service';
import { createPrintersService } from './printing/printers.service';
import { createStaffModule } from './staff/staff.module';
import { envTotpKey } from './staff/totp';
import { createChangeFeed } from './ledger/changes';

/** Composes the services. No Electron here: the same core runs in the app, the CLI, the bridge and tests. */
export function createCore(deps: CoreDeps) {
  const app = createAppService(deps);
  // Documents reads payments only through payments.queries; payments reaches documents only through
  // this port, which queues an approval's confirmation inside the approval's transaction.
  const documents = createDocumentsService(deps);
  const confirmations: ConfirmationQueue = {
    enqueue: (trx, request) => documents.enqueuePaymentConfirmation(trx, request),
  };
  return {
    deps,
    documents,
    app,
    settings: createSettingsService(deps),
    officeLedger: createOfficeLedgerService(deps),
    customers: createCustomersService(deps),
    invoices: createInvoicesService(deps),
    credits: createCreditsService(deps),
    imports: createImportService(deps),
    payments: createPaymentsService(deps, { confirmations }),
    paymentMethods: createPaymentMethodsService(deps),
    lookup: createLookupService(deps),
    aging: createAgingService(deps),
    reports: createReportsService(deps),
    printers: createPrintersService(deps),
    /** Live updates: whoever changes the ledger, this process's screens hear of it. Closed by the runtime or the shell. */
    changes: createChangeFeed({ ledger: deps.ledger, log: deps.log }, deps.changes),
    staff: createStaffModule({
      ledger: deps.ledger,
      clock: deps.clock,
      log: deps.log,
      workstation: deps.workstation,
      totpKey: deps.totpKey ?? envTotpKey(),
      timeZone: () => deps.settings.get().timeZone,
    }),
  };
}

export type Core = ReturnType<typeof createCore>;
