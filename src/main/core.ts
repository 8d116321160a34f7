import type { CoreDeps } from './deps';
import { createAppService } from './app/app.service';
import { createSettingsService } from './settings/settings.service';
import { createOfficeLedgerService } from './settings/office-ledger.service';
import { createCustomersService } from './ledger/customers.service';
import { createNotesService } from './ledger/notes.service';
import { createDisputesService } from './ledger/disputes.service';
import { createImportJobs } from './ledger/import-jobs.service';
import { createInvoicesService } from './ledger/invoices.service';
import { createCreditsService } from './ledger/credits.service';
import { createCorrectionsService } from './ledger/corrections.service';
import { createImportService } from './ledger/import.service';
import { createDocumentsService } from './documents/documents.service';
import { createStatementBatchService } from './documents/statement-batch.service';
import { createPaymentsService } from './payments/payments.service';
import { createDepositsService } from './payments/deposits.service';
import type { ConfirmationQueue } from './payments/ports';
import { createPaymentMethodsService } from './payments/paymentMethods.service';
import { createLookupService } from './ledger/lookup.service';
import { createAgingService } from './ledger/aging.service';
import { createReportsService } from './payments/reports.service';
import { createPrintersService } from './printing/printers.service';
import { createStaffModule } from './staff/staff.module';
import { envTotpKey } from './staff/totp';
import { createChangeFeed } from './ledger/changes';
import { createOfficeSettings } from './settings/office-settings.store';
import { createSubscriptionsService } from './billing/subscriptions.service';
import { createBillingRun } from './billing/billing.run';
import { createAutopayStep } from './billing/autopay.run';
import { createAutopayService } from './billing/autopay.service';
import { createDunningService } from './billing/dunning.service';
import { createCollectionsService } from './collections/collections.service';

/** Composes the services. No Electron here: the same core runs in the app, the CLI, the bridge and tests. */
export function createCore(given: CoreDeps) {
  // The office's settings come from the ledger's record, this workstation's from its own store:
  // every service reads the two merged through deps.settings. Load the record before use (start()).
  const office = createOfficeSettings(given);
  const deps: CoreDeps = { ...given, settings: office.store };
  const changes = createChangeFeed({ ledger: deps.ledger, log: deps.log }, deps.changes);
  // Another workstation saved the office settings: read them before this one's screens ask again.
  changes.observe((batch) => (batch.entities.includes('office_settings') ? office.reload() : undefined));
  const aging = createAgingService(deps);
  // The aging screen's kept rows are patched for the customers a change names (its position check is the first line; this the second).
  changes.observe((batch) => aging.noteChanges(batch));
  const app = createAppService(deps);
  const imports = createImportService(deps);
  // Documents reads payments only through payments.queries; payments reaches documents only through
  // this port, which queues an approval's confirmation inside the approval's transaction.
  const documents = createDocumentsService(deps);
  const confirmations: ConfirmationQueue = {
    enqueue: (trx, request) => documents.enqueuePaymentConfirmation(trx, request),
  };
  const payments = createPaymentsService(deps, { confirmations });
  return {
    deps,
    documents,
    /** Batches of statements written to files, with progress and cancel (the Documents screen). */
    statementBatches: createStatementBatchService(deps),
    app,
    settings: createSettingsService({ ...deps, office }),
    /** The office settings record; read it (made from this workstation's settings when missing) before serving. */
    office,
    /** Reads what the core needs from the ledger before it serves: the office settings. */
    start: () => office.load(),
    officeLedger: createOfficeLedgerService(deps),
    customers: createCustomersService(deps),
    notes: createNotesService(deps),
    disputes: createDisputesService(deps),
    invoices: createInvoicesService(deps),
    credits: createCreditsService(deps),
    corrections: createCorrectionsService(deps),
    imports,
    /** CSV files sent from the screen and imported with progress (the Import screen). */
    importJobs: createImportJobs(deps, imports),
    payments,
    paymentMethods: createPaymentMethodsService(deps),
    deposits: createDepositsService(deps),
    lookup: createLookupService(deps),
    aging,
    subscriptions: createSubscriptionsService(deps),
    autopay: createAutopayService(deps),
    // Autopay charges through the payments workflow, which billing reaches only through this port.
    billing: createBillingRun(deps, { autopay: createAutopayStep(deps, payments) }),
    dunning: createDunningService(deps),
    collections: createCollectionsService(deps),
    reports: createReportsService(deps),
    printers: createPrintersService(deps),
    /** Live updates: whoever changes the ledger, this process's screens hear of it. Closed by the runtime or the shell. */
    changes,
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
