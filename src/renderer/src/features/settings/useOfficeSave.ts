import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { OfficeSettingsChanges, SettingsView } from '../../../../shared/contract/settings';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { SETTINGS_READS, useWrite } from '../../lib/queries';

export interface OfficeSave {
  /** Field messages from main, keyed by the field's path in the changes ("email.smtpPort"). */
  errors: Record<string, string>;
  /** A failure that belongs to no field, in words. */
  problem: string | null;
  saving: boolean;
  setErrors(errors: Record<string, string>): void;
  /** Sends the changes; answers the new view, or null when main refused them. */
  save(changes: OfficeSettingsChanges, notice: { title: string; message: string }): Promise<SettingsView | null>;
}

/** Saving one section of the office settings: field errors land on the section's fields, success shows a notice. */
export function useOfficeSave(): OfficeSave {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const update = useWrite('settings.updateOffice', { invalidates: SETTINGS_READS });

  const save: OfficeSave['save'] = async (changes, notice) => {
    setProblem(null);
    try {
      const view = await update.mutateAsync({ changes });
      setErrors({});
      notifications.show({ color: 'teal', title: notice.title, message: notice.message });
      return view;
    } catch (e) {
      const fields = fieldErrorsOf(e, 'changes.');
      setErrors(fields);
      if (Object.keys(fields).length === 0) setProblem(toAppError(e).message);
      return null;
    }
  };

  return { errors, problem, saving: update.isPending, setErrors, save };
}
