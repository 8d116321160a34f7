import { sql } from 'kysely';
import { dialectOf } from '../db/dialect';
import { busyLedgerError } from '../db/write-failure';
import type { Db, Tx } from '../db/types';
import { knownOver, overlay } from './settings.file';
import { DEFAULT_SETTINGS, OFFICE_SETTINGS_KEYS, settingsSchema, type OfficeSettings } from '../../shared/settings';

/**
 * The office's settings record in the ledger (migration 2026_12_03_0001_office_settings): one row,
 * the office part of the settings as JSON text, with a version that grows with every save.
 */

export interface OfficeRecord {
  settings: OfficeSettings;
  version: number;
  updatedAt: string;
  updatedBy: string;
  /** The stored JSON as it was read (keys a newer version added stay on the next save); null when it was not JSON. */
  stored: Record<string, unknown> | null;
}

type Json = Record<string, unknown>;
const isPlainObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The office settings a stored JSON text holds: each setting that is missing or that this version
 * cannot read is `fallback`'s, key by key, as mergeSettings does for config.json. Text that is not a JSON
 * object gives `fallback` whole.
 */
export function officeSettingsFromText(text: string, fallback: OfficeSettings): { settings: OfficeSettings; stored: Json | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { settings: structuredClone(fallback), stored: null };
  }
  if (!isPlainObject(parsed)) return { settings: structuredClone(fallback), stored: null };
  const shape = settingsSchema.shape;
  const out: Json = {};
  for (const k of OFFICE_SETTINGS_KEYS) {
    // Missing nested keys (a record an older version wrote) take the defaults; a newer version's are left out here.
    const candidate = k in parsed ? knownOver(DEFAULT_SETTINGS[k], parsed[k]) : undefined;
    const read = candidate === undefined ? null : shape[k].safeParse(candidate);
    out[k] = read?.success ? read.data : structuredClone(fallback[k]);
  }
  return { settings: out as OfficeSettings, stored: parsed };
}

/** The text saved for `next`: the stored JSON with this version's settings written over it, so a newer version's keys stay. */
export function officeSettingsText(stored: Json | null, next: OfficeSettings): string {
  return JSON.stringify(overlay(stored ?? {}, next));
}

/**
 * Takes SQLite's write lock as the save's first statement, so the record read after it is the
 * latest and a save at another workstation waits its turn instead of failing halfway (SQLITE_BUSY).
 * On PostgreSQL the record's row lock (readOfficeRecord with lock) does this.
 */
export async function takeOfficeWriteLock(trx: Tx): Promise<void> {
  if (dialectOf(trx) === 'postgres') return;
  try {
    await sql`INSERT INTO counters (name, value) VALUES ('office_settings.writes', 1)
              ON CONFLICT (name) DO UPDATE SET value = value + 1`.execute(trx);
  } catch (e) {
    throw (await busyLedgerError(trx, e)) ?? e;
  }
}

/** The record, or undefined before the first workstation made it; on PostgreSQL, in a transaction, locked until commit. */
export async function readOfficeRecord(db: Db | Tx, fallback: OfficeSettings, opts: { lock?: boolean } = {}): Promise<OfficeRecord | undefined> {
  let query = db.selectFrom('office_settings').select(['settings', 'version', 'updated_at', 'updated_by']).where('id', '=', 1);
  if (opts.lock && dialectOf(db) === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const { settings, stored } = officeSettingsFromText(row.settings, fallback);
  return { settings, stored, version: Number(row.version), updatedAt: row.updated_at, updatedBy: row.updated_by };
}

/**
 * Makes the record from `seed` when there is none. Workstations starting at once each try; the
 * first one's row stays and the others' inserts do nothing, so all of them then read the same.
 */
export async function seedOfficeRecord(db: Db | Tx, seed: OfficeSettings, at: string, by: string): Promise<void> {
  await db
    .insertInto('office_settings')
    .values({ id: 1, settings: JSON.stringify(seed), version: 1, updated_at: at, updated_by: by })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Writes `next` over version `fromVersion`; false when the record is no longer at that version. */
export async function saveOfficeRecord(trx: Tx, from: OfficeRecord, next: OfficeSettings, at: string, by: string): Promise<boolean> {
  const result = await trx
    .updateTable('office_settings')
    .set({ settings: officeSettingsText(from.stored, next), version: from.version + 1, updated_at: at, updated_by: by })
    .where('id', '=', 1)
    .where('version', '=', from.version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
