import { isoDateIn, type Clock } from '../clock';
import type { SettingsStore } from '../settings/settings.store';

/** When a write happens: the instant (ISO-8601 UTC, for created_at and the audit log) and the business date. */
export interface PostingTime {
  at: string;
  /** YYYY-MM-DD in the office's time zone: what applied_on and default issue dates use. */
  businessDate: string;
}

export function postingTime(deps: { clock: Clock; settings: SettingsStore }): PostingTime {
  const now = deps.clock.now();
  return { at: now.toISOString(), businessDate: isoDateIn(now, deps.settings.get().timeZone) };
}
