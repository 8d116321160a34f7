import type { Clock } from '../clock';
import type { Ledger } from '../db/connection';
import type { Logger } from '../log';
import { officePartOf, workstationPartOf, type AppSettings, type OfficeSettings } from '../../shared/settings';
import { readOfficeRecord, seedOfficeRecord, type OfficeRecord } from './office-settings.repo';
import type { SettingsStore } from './settings.store';

/**
 * The settings as every service reads them: this workstation's part from its own store
 * (config.json), the office's part from the ledger's office_settings record, kept in memory so
 * `get()` stays synchronous. The record is read when the core starts, again after this
 * workstation saves it, and when the change feed says another workstation did.
 */
export interface OfficeSettingsSource {
  /** The merged settings; `set` writes only this workstation's part (the office's is saved through the ledger). */
  store: OfficeAwareSettingsStore;
  /** The record as last read; null until the first read. */
  record(): OfficeRecord | null;
  /** Reads the record, making it from this workstation's own office values first when the ledger has none. */
  load(): Promise<void>;
  /** Reads the record again (another workstation saved it); a failure is logged and the copy in memory kept. */
  reload(): Promise<void>;
  /** Takes a record this workstation has just saved; an older one than the copy in memory is ignored. */
  accept(record: OfficeRecord): void;
  /** What a record's unreadable values fall back to: this workstation's own office values. */
  fallback(): OfficeSettings;
}

export interface OfficeAwareSettingsStore extends SettingsStore {
  /** The store of this workstation's own settings underneath. */
  readonly workstationStore: SettingsStore;
}

export function createOfficeSettings(deps: { ledger: Ledger; settings: SettingsStore; clock: Clock; log: Logger; workstation: string }): OfficeSettingsSource {
  // A store that already merges the office record (a core made from another core's deps) is unwrapped.
  const own = (deps.settings as Partial<OfficeAwareSettingsStore>).workstationStore ?? deps.settings;
  let current: OfficeRecord | null = null;

  const fallback = () => officePartOf(own.get());
  const accept = (record: OfficeRecord) => {
    if (!current || record.version >= current.version) current = record;
  };

  const store: OfficeAwareSettingsStore = {
    workstationStore: own,
    get: (): AppSettings => {
      const mine = own.get();
      return current ? { ...mine, ...structuredClone(current.settings) } : mine;
    },
    set: (next) => {
      own.set({ ...own.get(), ...workstationPartOf(next) });
    },
  };

  return {
    store,
    record: () => current,
    accept,
    fallback,
    async load() {
      const seed = fallback();
      let record = await readOfficeRecord(deps.ledger.db, seed);
      if (!record) {
        await seedOfficeRecord(deps.ledger.db, seed, deps.clock.now().toISOString(), `workstation ${deps.workstation}`);
        record = await readOfficeRecord(deps.ledger.db, seed);
        if (record) deps.log.info('The office settings record was made from this workstation’s settings', { version: record.version });
      }
      if (record) accept(record);
    },
    async reload() {
      try {
        const record = await readOfficeRecord(deps.ledger.db, fallback());
        if (record) accept(record);
      } catch (e) {
        deps.log.warn('The office settings could not be read again; the last ones read stay in use', { error: e instanceof Error ? e.message : String(e) });
      }
    },
  };
}
