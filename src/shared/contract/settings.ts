import { z } from 'zod';
import { channel } from './define';
import { workstationSettingsSchema, type AppSettings } from '../settings';

/** The settings a workstation may change; the house rules and company details are the office's. */
export const EDITABLE_SETTINGS = ['timeZone', 'numberFormat', 'dateFormat', 'exportFormat'] as const;
export type EditableSetting = (typeof EDITABLE_SETTINGS)[number];

export interface SettingsView {
  settings: AppSettings;
  editable: EditableSetting[];
  /** The business date now, in the settings' time zone (what "today" means for aging and expiry). */
  today: string;
}

export const settingsChannels = {
  'settings.get': channel<SettingsView>()(z.strictObject({})),
  'settings.update': channel<SettingsView>()(z.strictObject({ changes: workstationSettingsSchema })),
};
