import type { Ledger } from './db/connection';
import type { Clock } from './clock';
import type { PaymentGateway } from './payments/gateway';
import type { Mailer, Printer, SecretStore } from './documents/ports';
import type { SettingsStore } from './settings/settings.store';
import type { Logger } from './log';
import { createAppService } from './app/app.service';
import { createSettingsService } from './settings/settings.service';
import { createCustomersService } from './ledger/customers.service';
import { createInvoicesService } from './ledger/invoices.service';
import { createCreditsService } from './ledger/credits.service';
import { createImportService } from './ledger/import.service';
import { createDocumentsService } from './documents/documents.service';
import { createPaymentsService } from './payments/payments.service';
import { createPaymentMethodsService } from './payments/paymentMethods.service';
import { createLookupService } from './ledger/lookup.service';
import { createAgingService } from './ledger/aging.service';
import { createStaffModule } from './staff/staff.module';
import { envTotpKey } from './staff/totp';
import type { TotpKeySource } from './staff/ports';

/** Everything from outside the core. Tests pass a real SQLite ledger and fakes of the rest. */
export interface CoreDeps {
  ledger: Ledger;
  clock: Clock;
  gateway: PaymentGateway;
  mailer: Mailer;
  printer: Printer;
  settings: SettingsStore;
  /** Secrets kept out of settings (the SMTP password): the OS keychain in the app. */
  secrets: SecretStore;
  log: Logger;
  version: string;
  /** This installation's stable id (workstation.json), on every audit row and in app.info. */
  workstation: string;
  /** The key TOTP secrets are encrypted with: the OS keychain in the app; AR_DESK_TOTP_KEY when left out. */
  totpKey?: TotpKeySource;
}

/** Composes the services. No Electron here: the same core runs in the app, the CLI, the bridge and tests. */
export function createCore(deps: CoreDeps) {
  const app = createAppService(deps);
  return {
    deps,
    documents: createDocumentsService(deps),
    app,
    settings: createSettingsService(deps),
    customers: createCustomersService(deps),
    invoices: createInvoicesService(deps),
    credits: createCreditsService(deps),
    imports: createImportService(deps),
    payments: createPaymentsService(deps),
    paymentMethods: createPaymentMethodsService(deps),
    lookup: createLookupService(deps),
    aging: createAgingService(deps),
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
