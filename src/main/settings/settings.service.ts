import {
  EDITABLE_SETTINGS,
  type OfficeSettingsChanges,
  type SettingsView,
  type TestEmailResult,
} from '../../shared/contract/settings';
import { AppError, validationError } from '../../shared/errors';
import { officePartOf, type AppSettings, type WorkstationChanges } from '../../shared/settings';
import { isoDateIn } from '../clock';
import type { CoreDeps } from '../deps';
import { SMTP_PASSWORD_SECRET } from '../documents/ports';
import { appendAudit } from '../staff/audit.repo';
import { isEmailAddress, percentTextFromBasisPoints } from './settings.rules';
import { applyPrintingChanges } from './printing.settings';
import { currentOfficeLedgerView } from './office-ledger.view';
import { timeZoneFromAddress } from './timezone.rules';
import { writeTx } from '../db/dialect';
import type { Tx } from '../db/types';
import { applyOfficeChanges, officeDifferences, throwIfProblems, type FieldProblems } from './office-changes.rules';
import type { OfficeSettingsSource } from './office-settings.store';
import { officeSettingsText, readOfficeRecord, saveOfficeRecord, seedOfficeRecord, takeOfficeWriteLock, type OfficeRecord } from './office-settings.repo';

/** True when the runtime's Intl knows the IANA zone (a typo would silently fall back to UTC elsewhere). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** True for a well-formed BCP 47 tag that Intl can format numbers for. */
export function isKnownLocale(tag: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false;
  }
}

/** Why a save made from an older version of the office settings is refused. */
function changedMeanwhile(current: OfficeRecord): AppError {
  return new AppError(
    'CONFLICT',
    `The office settings were changed meanwhile (by ${current.updatedBy} at ${current.updatedAt}). Reload them and make your change again.`,
    { officeVersion: current.version },
  );
}

/** What one save of the office settings changes, worked out from the record as it is in the transaction. */
interface OfficeEdit {
  next: AppSettings;
  problems?: FieldProblems;
  /** The audit row's differences; by default every office setting that differs. */
  differences?: Record<string, { from: unknown; to: unknown }>;
  /** The audit row's entity id: 'office' unless the change came through this workstation's settings (settings.update). */
  entityId?: string;
  /** More for the audit row's summary. */
  extra?: Record<string, unknown>;
  /** Written in the same transaction, after the record (this workstation's own part of the same change). */
  alsoInTx?: () => void;
}

type SettingsServiceDeps = Pick<CoreDeps, 'settings' | 'clock' | 'ledger' | 'secrets' | 'mailer' | 'printer' | 'ledgerOrigin' | 'workstation'> & {
  office: OfficeSettingsSource;
};

export function createSettingsService(deps: SettingsServiceDeps) {
  const passwordSet = (): boolean => deps.secrets.has(SMTP_PASSWORD_SECRET);

  /** The record in the transaction, locked on PostgreSQL; made from this workstation's values if it is still missing. */
  const officeRecordIn = async (trx: Tx): Promise<OfficeRecord> => {
    await takeOfficeWriteLock(trx);
    const fallback = deps.office.fallback();
    const found = await readOfficeRecord(trx, fallback, { lock: true });
    if (found) return found;
    await seedOfficeRecord(trx, fallback, deps.clock.now().toISOString(), `workstation ${deps.workstation}`);
    const made = await readOfficeRecord(trx, fallback, { lock: true });
    if (!made) throw new AppError('INTERNAL', 'The office settings record could not be made in the ledger.');
    return made;
  };

  /**
   * Saves the office settings in the ledger with their audit row, in one transaction: the record is
   * read there (locked), the edit made on it, and the record written only if no other save came in
   * between (and, when `officeVersion` is given, only if the change was made from that version).
   */
  const saveOffice = async (action: string, actor: string, officeVersion: number | undefined, edit: (before: AppSettings) => OfficeEdit): Promise<void> => {
    const saved = await writeTx(deps.ledger.db, async (trx) => {
      const record = await officeRecordIn(trx);
      if (officeVersion !== undefined && record.version !== officeVersion) throw changedMeanwhile(record);
      const before: AppSettings = { ...deps.settings.get(), ...structuredClone(record.settings) };
      const change = edit(before);
      throwIfProblems(change.problems ?? {});
      const differences = change.differences ?? officeDifferences(before, change.next);
      if (Object.keys(differences).length === 0) return record;
      const at = deps.clock.now().toISOString();
      const settings = officePartOf(change.next);
      if (!(await saveOfficeRecord(trx, record, settings, at, actor))) {
        throw changedMeanwhile((await readOfficeRecord(trx, record.settings)) ?? record);
      }
      await appendAudit(trx, {
        at,
        actor,
        action,
        entity: 'settings',
        entityId: change.entityId ?? 'office',
        summary: { changes: differences, ...change.extra },
      });
      change.alsoInTx?.();
      const written: OfficeRecord = {
        settings,
        stored: JSON.parse(officeSettingsText(record.stored, settings)) as Record<string, unknown>,
        version: record.version + 1,
        updatedAt: at,
        updatedBy: actor,
      };
      return written;
    });
    deps.office.accept(saved);
  };

  const view = (): SettingsView => {
    const settings = deps.settings.get();
    const suggested = settings.timeZoneConfirmed ? null : timeZoneFromAddress(settings.company.addressLines);
    return {
      settings,
      editable: [...EDITABLE_SETTINGS],
      today: isoDateIn(deps.clock.now(), settings.timeZone),
      smtpPasswordSet: passwordSet(),
      defaultTaxRatePercent: percentTextFromBasisPoints(settings.defaultTaxRateBp),
      timeZoneSetup: settings.timeZoneConfirmed
        ? { confirmed: true }
        : { confirmed: false, suggested: suggested && isKnownTimeZone(suggested.timeZone) ? suggested : null },
      officeLedger: currentOfficeLedgerView(deps),
      office: (() => {
        const record = deps.office.record();
        return record ? { version: record.version, updatedAt: record.updatedAt, updatedBy: record.updatedBy } : null;
      })(),
    };
  };

  return {
    get: view,

    /** Changes this workstation's display settings and printing; the house rules cannot be changed through here. */
    async update(changes: WorkstationChanges, actor: string): Promise<SettingsView> {
      if (changes.timeZone !== undefined && !isKnownTimeZone(changes.timeZone)) {
        throw validationError('timeZone', `"${changes.timeZone}" is not a time zone this computer knows (e.g. America/New_York)`);
      }
      if (changes.numberFormat !== undefined && !isKnownLocale(changes.numberFormat)) {
        throw validationError('numberFormat', `"${changes.numberFormat}" is not a number format this computer knows (e.g. en-US)`);
      }
      const before = deps.settings.get();
      const { printing, ...display } = changes;
      const changed: Record<string, unknown> = Object.fromEntries(
        Object.entries(display).filter(([k, v]) => v !== undefined && before[k as keyof typeof before] !== v),
      );
      // Choosing another zone is the admin's answer to the first-run question.
      if (changed.timeZone !== undefined && !before.timeZoneConfirmed) changed.timeZoneConfirmed = true;
      const printingChange = printing ? await applyPrintingChanges(before.printing, printing, deps.printer) : null;
      const differences = {
        ...Object.fromEntries(Object.entries(changed).map(([k, v]) => [k, { from: before[k as keyof typeof before], to: v }])),
        ...printingChange?.differences,
      };
      if (Object.keys(differences).length === 0) return view();
      const next: AppSettings = { ...before, ...changed, ...(printingChange ? { printing: printingChange.next } : {}) };
      if (changed.timeZone !== undefined) {
        // The time zone is the office's: saved in the ledger's record, with this workstation's part in the same transaction.
        await saveOffice('settings.update', actor, undefined, (current) => ({
          next: { ...current, timeZone: next.timeZone, timeZoneConfirmed: true },
          differences,
          entityId: 'workstation',
          alsoInTx: () => deps.settings.set(next),
        }));
        return view();
      }
      deps.settings.set(next);
      await appendAudit(deps.ledger.db, {
        at: deps.clock.now().toISOString(),
        actor,
        action: 'settings.update',
        entity: 'settings',
        entityId: 'workstation',
        summary: { changes: differences },
      });
      return view();
    },

    /** The admin confirms the office's time zone: the one the letterhead suggests, or another they chose. */
    async confirmTimeZone(timeZone: string, actor: string, officeVersion?: number): Promise<SettingsView> {
      const zone = timeZone.trim();
      if (!isKnownTimeZone(zone)) throw validationError('timeZone', `"${zone}" is not a time zone this computer knows (e.g. America/New_York)`);
      await saveOffice('settings.confirmTimeZone', actor, officeVersion, (before): OfficeEdit => {
        if (before.timeZoneConfirmed && before.timeZone === zone) return { next: before, differences: {} };
        const suggested = timeZoneFromAddress(before.company.addressLines);
        return {
          next: { ...before, timeZone: zone, timeZoneConfirmed: true },
          differences: { timeZone: { from: before.timeZone, to: zone } },
          extra: { suggested: suggested?.timeZone ?? null },
        };
      });
      return view();
    },

    /**
     * Changes the office's letterhead, outgoing mail, default tax rate and house rules, in the
     * ledger's record every workstation reads. All or nothing: one bad field refuses the whole
     * change, with every problem named by its field. `officeVersion`: the version the change was
     * made from; another save since refuses it.
     */
    async updateOffice(changes: OfficeSettingsChanges, actor: string, officeVersion?: number): Promise<SettingsView> {
      // Checked first on the copy in memory, so a bad field is told even when the record moved on meanwhile.
      throwIfProblems(applyOfficeChanges(deps.settings.get(), changes).problems);
      await saveOffice('settings.updateOffice', actor, officeVersion, (before) => applyOfficeChanges(before, changes));
      return view();
    },

    /** Saves the SMTP password in the secret store (an empty one clears it). Only whether one is set is ever told or audited. */
    async setSmtpPassword(password: string, actor: string): Promise<{ smtpPasswordSet: boolean }> {
      const current = (await deps.secrets.get(SMTP_PASSWORD_SECRET)) ?? '';
      if (current === password) return { smtpPasswordSet: passwordSet() };
      await writeTx(deps.ledger.db, async (trx) => {
        await appendAudit(trx, {
          at: deps.clock.now().toISOString(),
          actor,
          action: password === '' ? 'settings.clearSmtpPassword' : 'settings.setSmtpPassword',
          entity: 'settings',
          entityId: 'office',
          summary: { smtpPasswordSet: password !== '', wasSet: current !== '' },
        });
        try {
          await deps.secrets.set(SMTP_PASSWORD_SECRET, password);
        } catch (e) {
          throw new AppError('UNAVAILABLE', `The password could not be saved: ${e instanceof Error ? e.message : String(e)}`);
        }
      });
      return { smtpPasswordSet: passwordSet() };
    },

    /** Sends one plain message now with the saved email settings and tells what the server answered. */
    async testEmail(to: string, actor: string): Promise<TestEmailResult> {
      const address = to.trim();
      if (!isEmailAddress(address)) throw validationError('to', address ? `"${address}" is not an email address` : 'enter the address to send the test message to');
      const settings = deps.settings.get();
      const server = settings.email.smtpHost ? `${settings.email.smtpHost}:${settings.email.smtpPort}` : 'no server';
      let result: TestEmailResult;
      try {
        const sent = await deps.mailer.send({
          to: address,
          subject: `Test message from ${settings.company.name}`,
          text:
            `This is a test message from AR Desk, sent by ${actor} through ${server} to check the office's email settings.\n\n` +
            'If it arrived, payment confirmations and statements can be emailed from this office.',
          attachments: [],
        });
        result = { sent: true, serverAnswer: sent.response ?? `Accepted as ${sent.messageId}` };
      } catch (e) {
        result = { sent: false, reason: e instanceof Error ? e.message : String(e) };
      }
      await appendAudit(deps.ledger.db, {
        at: deps.clock.now().toISOString(),
        actor,
        action: 'settings.testEmail',
        entity: 'settings',
        entityId: 'office',
        summary: { to: address, server, ...(result.sent ? { sent: true } : { sent: false, reason: result.reason }) },
      });
      return result;
    },
  };
}
