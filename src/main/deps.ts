import type { Ledger } from './db/connection';
import type { Clock } from './clock';
import type { PaymentGateway } from './payments/gateway';
import type { Mailer, Printer, SecretStore } from './documents/ports';
import type { SettingsStore } from './settings/settings.store';
import type { Logger } from './log';
import type { TotpKeySource } from './staff/ports';
import type { ChangeFeedOptions } from './ledger/changes';
import type { LedgerOrigin } from '../shared/contract/settings';

/**
 * Everything from outside the core, which createCore (core.ts) hands to the services. Services
 * import this type from here, never core.ts. Tests pass a real SQLite ledger and fakes of the rest.
 */
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
  /** Where the screen's batches of statements are written (a folder per batch); a temp folder when left out. */
  statementsDir?: string;
  /** Where files sent from the screen wait to be imported (removed once imported); a temp folder when left out. */
  importsDir?: string;
  /** The key TOTP secrets are encrypted with: the OS keychain in the app; AR_DESK_TOTP_KEY when left out. */
  totpKey?: TotpKeySource;
  /** How the live-updates feed polls and reconnects; its defaults otherwise. */
  changes?: ChangeFeedOptions;
  /**
   * Why this ledger was opened (the Electron shell knows: settings/office-ledger.rules.ts). Left out:
   * a PostgreSQL ledger came from --database-url or AR_DESK_DATABASE_URL, a SQLite one is the local file.
   */
  ledgerOrigin?: LedgerOrigin;
}
