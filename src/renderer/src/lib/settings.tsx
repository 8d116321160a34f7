import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { DEFAULT_SETTINGS, type AppSettings } from '../../../shared/settings';
import type { SettingsView } from '../../../shared/contract/settings';
import { useChannel } from './queries';
import { formatIsoDate, formatMoney, formatTimestamp, isoDateInZone } from './format';

export interface Formatters {
  money(cents: number): string;
  date(iso: string | null | undefined): string;
  timestamp(instant: string): string;
}

interface SettingsContextValue {
  settings: AppSettings;
  /** Today in the settings' time zone, as the main process sees it (its clock, not this window's). */
  today: string | undefined;
  loaded: boolean;
  view: SettingsView | undefined;
  format: Formatters;
}

function formattersFor(settings: AppSettings): Formatters {
  return {
    money: (cents) => formatMoney(cents, settings.numberFormat),
    date: (iso) => formatIsoDate(iso, settings.dateFormat),
    timestamp: (instant) => formatTimestamp(instant, settings),
  };
}

const SettingsContext = createContext<SettingsContextValue>({
  settings: DEFAULT_SETTINGS,
  today: undefined,
  loaded: false,
  view: undefined,
  format: formattersFor(DEFAULT_SETTINGS),
});

export function SettingsProvider({ children }: { children: ReactNode }) {
  const { data } = useChannel('settings.get', {});
  const value = useMemo<SettingsContextValue>(() => {
    const settings = data?.settings ?? DEFAULT_SETTINGS;
    return { settings, today: data?.today, loaded: data !== undefined, view: data, format: formattersFor(settings) };
  }, [data]);
  return <SettingsContext.Provider value={value}>{children}</SettingsContext.Provider>;
}

export function useSettings(): SettingsContextValue {
  return useContext(SettingsContext);
}

/** Money and date formatting per this workstation's settings. */
export function useFormat(): Formatters {
  return useContext(SettingsContext).format;
}

/** The business date from main, else today in the workstation's zone by this computer's clock, for expiry checks as the clerk types. */
export function useToday(): string {
  const { today, settings } = useSettings();
  return today ?? isoDateInZone(new Date(), settings.timeZone);
}
