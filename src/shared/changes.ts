/**
 * What main tells every open screen after the ledger changed, here or at another workstation:
 * only which change it has read up to and which accounts and kinds of rows were touched, never
 * names or amounts. A screen asks again for what it shows.
 */
export interface LedgerChangeBatch {
  /** The newest change-log id read. */
  lastId: number;
  /** The customers whose money or details changed (ids, not numbers); empty for an import. */
  customerIds: number[];
  /** The kinds of rows written: 'payments', 'applications', 'customers', 'import'… */
  entities: string[];
}

/** Electron's event to the windows (webContents.send) and the bridge's server-sent event name. */
export const LEDGER_CHANGED = 'ledger:changed';
