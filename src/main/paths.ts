import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'AR Desk';

/** The same folder Electron's app.getPath('userData') gives the app, for tools that run without Electron. */
export function defaultUserDataDir(): string {
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
    default:
      return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
  }
}

/** Ledger file: an explicit path (CLI --db), else AR_DESK_DB, else ledger.db in the user-data folder. */
export function resolveLedgerPath(explicit?: string, userDataDir = defaultUserDataDir()): string {
  const chosen = explicit ?? process.env.AR_DESK_DB;
  return path.resolve(chosen && chosen.length > 0 ? chosen : path.join(userDataDir, 'ledger.db'));
}

/**
 * The office ledger's PostgreSQL address: the explicit one (--database-url), else AR_DESK_DATABASE_URL;
 * none means the SQLite file.
 */
export function resolveDatabaseUrl(explicit?: string): string | undefined {
  const chosen = explicit ?? process.env.AR_DESK_DATABASE_URL;
  return chosen && chosen.trim().length > 0 ? chosen.trim() : undefined;
}

/** Files that live beside the ledger: the test gateway's own database, settings for Node tools. */
export function besideLedger(ledgerPath: string, name: string): string {
  return path.join(path.dirname(ledgerPath), name);
}
