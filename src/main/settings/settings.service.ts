import { EDITABLE_SETTINGS, type SettingsView } from '../../shared/contract/settings';
import { validationError } from '../../shared/errors';
import type { WorkstationSettingsUpdate } from '../../shared/settings';
import { isoDateIn } from '../clock';
import type { CoreDeps } from '../core';
import { appendAudit } from '../staff/audit.repo';

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

export function createSettingsService(deps: Pick<CoreDeps, 'settings' | 'clock' | 'ledger'>) {
  const view = (): SettingsView => {
    const settings = deps.settings.get();
    return {
      settings,
      editable: [...EDITABLE_SETTINGS],
      today: isoDateIn(deps.clock.now(), settings.timeZone),
    };
  };

  return {
    get: view,

    /** Changes this workstation's display settings; the house rules cannot be changed through here. */
    async update(changes: WorkstationSettingsUpdate, actor: string): Promise<SettingsView> {
      if (changes.timeZone !== undefined && !isKnownTimeZone(changes.timeZone)) {
        throw validationError('timeZone', `"${changes.timeZone}" is not a time zone this computer knows (e.g. America/New_York)`);
      }
      if (changes.numberFormat !== undefined && !isKnownLocale(changes.numberFormat)) {
        throw validationError('numberFormat', `"${changes.numberFormat}" is not a number format this computer knows (e.g. en-US)`);
      }
      const before = deps.settings.get();
      const changed = Object.fromEntries(
        Object.entries(changes).filter(([k, v]) => v !== undefined && before[k as keyof typeof before] !== v),
      );
      if (Object.keys(changed).length === 0) return view();
      deps.settings.set({ ...before, ...changed });
      await appendAudit(deps.ledger.db, {
        at: deps.clock.now().toISOString(),
        actor,
        action: 'settings.update',
        entity: 'settings',
        entityId: 'workstation',
        summary: {
          changes: Object.fromEntries(
            Object.entries(changed).map(([k, v]) => [k, { from: before[k as keyof typeof before], to: v }]),
          ),
        },
      });
      return view();
    },
  };
}
