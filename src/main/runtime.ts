import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from './core';
import { openLedgerAt, type Ledger } from './db/connection';
import { systemClock, type Clock } from './clock';
import { consoleLogger, type Logger } from './log';
import { jsonFileSettingsStore, type SettingsStore } from './settings/settings.store';
import { settingsFilePath } from './settings/settings.file';
import { besideLedger } from './paths';
import { envSecretStore, noMailer, noPrinter, type Mailer, type Printer, type SecretStore } from './documents/ports';
import type { PaymentGateway } from './payments/gateway';
import { createDefaultGateway } from './payments/default-gateway';
import { workstationIdFile } from './staff/workstation';
import type { TotpKeySource } from './staff/ports';
import type { ChangeFeedOptions } from './ledger/changes';
import type { LedgerOrigin } from '../shared/contract/settings';

export interface NodeRuntimeOptions {
  /**
   * The SQLite ledger file; with `databaseUrl` the ledger is on the office's PostgreSQL server and
   * this file's folder keeps only what belongs to this workstation (its settings and its id).
   */
  ledgerPath: string;
  /** postgres://USER[:PASSWORD]@HOST:PORT/DB: the office ledger instead of the SQLite file. */
  databaseUrl?: string | undefined;
  clock?: Clock;
  log?: Logger;
  settings?: SettingsStore;
  /** Where the SMTP password is kept; by default AR_DESK_SMTP_PASSWORD, then memory for this run. */
  secrets?: SecretStore;
  gateway?: PaymentGateway;
  mailer?: Mailer;
  printer?: Printer;
  /** This installation's id; by default kept in workstation.json beside the ledger. */
  workstation?: string;
  /** Where batches of statements go; by default a statements folder beside the ledger (or the workstation's folder). */
  statementsDir?: string;
  /** Where files sent from the screen wait to be imported; by default an imports folder beside the ledger. */
  importsDir?: string;
  /** By default AR_DESK_TOTP_KEY. */
  totpKey?: TotpKeySource;
  /** The live-updates feed's polling and reconnect timings. */
  changes?: ChangeFeedOptions;
  /** Why this ledger was opened, as the Settings screen tells it; by default from the engine (CoreDeps.ledgerOrigin). */
  ledgerOrigin?: LedgerOrigin;
}

export interface NodeRuntime {
  core: Core;
  ledger: Ledger;
  close(): Promise<void>;
}

export function packageVersion(): string {
  try {
    const here = path.dirname(fileURLToPath(import.meta.url));
    for (const up of ['../..', '..', '.']) {
      const file = path.join(here, up, 'package.json');
      if (fs.existsSync(file)) {
        const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'ar-desk' && pkg.version) return pkg.version;
      }
    }
  } catch {
    // fall through
  }
  return '0.0.0';
}

/** The core outside Electron: CLI, HTTP bridge, tests and benchmarks. */
export async function openNodeRuntime(options: NodeRuntimeOptions): Promise<NodeRuntime> {
  const ledger = await openLedgerAt({ file: options.ledgerPath, databaseUrl: options.databaseUrl });
  const local = ledger.dialect === 'sqlite' ? ledger.path : options.ledgerPath;
  const gateway = options.gateway ?? createDefaultGateway({ ledgerPath: local, databaseUrl: options.databaseUrl });
  const core = createCore({
    ledger,
    clock: options.clock ?? systemClock,
    gateway,
    mailer: options.mailer ?? noMailer,
    printer: options.printer ?? noPrinter,
    settings: options.settings ?? jsonFileSettingsStore(settingsFilePath(local)),
    secrets: options.secrets ?? envSecretStore(),
    log: options.log ?? consoleLogger,
    version: packageVersion(),
    workstation:
      options.workstation ?? (local === ':memory:' ? 'ws-memory' : workstationIdFile(besideLedger(local, 'workstation.json'))),
    statementsDir: options.statementsDir ?? (local === ':memory:' ? undefined : besideLedger(local, 'statements')),
    importsDir: options.importsDir ?? (local === ':memory:' ? undefined : besideLedger(local, 'imports')),
    ...(options.totpKey ? { totpKey: options.totpKey } : {}),
    ...(options.changes ? { changes: options.changes } : {}),
    ...(options.ledgerOrigin ? { ledgerOrigin: options.ledgerOrigin } : {}),
  });
  try {
    await core.start();
  } catch (e) {
    await core.changes.close();
    if (!options.gateway) gateway.close?.();
    await ledger.close();
    throw e;
  }
  return {
    core,
    ledger,
    close: async () => {
      await core.changes.close();
      if (!options.gateway) gateway.close?.();
      await ledger.close();
    },
  };
}
