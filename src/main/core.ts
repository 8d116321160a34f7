import type { Ledger } from './db/connection';
import type { Clock } from './clock';
import type { PaymentGateway } from './payments/gateway';
import type { Mailer, Printer } from './documents/ports';
import type { SettingsStore } from './settings/settings.store';
import type { Logger } from './log';
import { createAppService } from './app/app.service';

/** Everything from outside the core. Tests pass a real SQLite ledger and fakes of the rest. */
export interface CoreDeps {
  ledger: Ledger;
  clock: Clock;
  gateway: PaymentGateway;
  mailer: Mailer;
  printer: Printer;
  settings: SettingsStore;
  log: Logger;
  version: string;
}

/** Composes the services. No Electron here: the same core runs in the app, the CLI, the bridge and tests. */
export function createCore(deps: CoreDeps) {
  const app = createAppService(deps);
  return {
    deps,
    app,
  };
}

export type Core = ReturnType<typeof createCore>;
