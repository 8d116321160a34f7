import { useForm, type FormValidateInput } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { OfficeSettingsChanges, SettingsView } from '../../../../shared/contract/settings';
import type { WorkstationChanges } from '../../../../shared/settings';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { startFrom } from '../../lib/form';
import { SETTINGS_READS, useWrite } from '../../lib/queries';

/** What one section of the settings edits, and how its form maps to main's settings. */
export interface SectionFormSpec<V, C> {
  valuesOf(view: SettingsView): V;
  /** The changes to send: only what the clerk changed, so an untouched field is never overwritten by a stale copy. */
  changesOf(values: V, changed: (field: keyof V & string) => boolean): C;
  /** Where main's field messages land: the field's path in the changes ("company.name") to the form's field. */
  fields: Record<string, keyof V & string>;
  /** Checks made before asking main. */
  validate?: FormValidateInput<V>;
  notice: { title: string; message: string };
}

/** The write a section saves through: settings.update (this workstation) or settings.updateOffice. */
interface SettingsWrite<C> {
  mutateAsync(input: { changes: C; officeVersion?: number }): Promise<SettingsView>;
  isPending: boolean;
}

/**
 * One section of the settings as a Mantine form with its own Save: field messages from main land
 * on the section's fields, a failure that belongs to no field is said above them, success shows a
 * notice and the saved values become the section's new starting point.
 */
function useSectionForm<V extends Record<string, unknown>, C>(
  view: SettingsView,
  spec: SectionFormSpec<V, C>,
  update: SettingsWrite<C>,
  /** Office settings: the version the form was started from goes with the change, so a save made meanwhile elsewhere is not overwritten. */
  versioned = false,
) {
  const form = useForm<V>({ initialValues: spec.valuesOf(view), validate: spec.validate, clearInputErrorOnChange: false });
  const [problem, setProblem] = useState<string | null>(null);
  const [startVersion, setStartVersion] = useState(view.office?.version);

  const save = async () => {
    if (form.validate().hasErrors) return;
    setProblem(null);
    try {
      const changes = spec.changesOf(form.getValues(), (field) => form.isDirty(field));
      const next = await update.mutateAsync(versioned && startVersion !== undefined ? { changes, officeVersion: startVersion } : { changes });
      startFrom(form, spec.valuesOf(next));
      setStartVersion(next.office?.version);
      notifications.show({
        color: 'teal',
        title: spec.notice.title,
        message: spec.notice.message,
        closeButtonProps: { 'aria-label': 'Close message' },
        // Mantine greys a titled message's text below 4.5:1.
        styles: { description: { color: 'var(--mantine-color-text)' } },
      });
    } catch (e) {
      const fields = fieldErrorsOf(e, 'changes.');
      const onForm = Object.entries(fields).flatMap(([path, message]) => (spec.fields[path] ? [[spec.fields[path], message] as const] : []));
      form.setErrors(Object.fromEntries(onForm));
      if (onForm.length === 0) setProblem(toAppError(e).message);
    }
  };

  return {
    form,
    /** What SettingsSection needs: its problem, whether Save and Undo apply, and what they do. */
    section: {
      problem,
      dirty: form.isDirty(),
      saving: update.isPending,
      onSave: () => void save(),
      // Undo also starts again from what the office holds now (after "changed meanwhile", the way to reload).
      onUndo: () => {
        startFrom(form, spec.valuesOf(view));
        setStartVersion(view.office?.version);
        setProblem(null);
      },
    },
  };
}

/** A section of the office's settings (letterhead, email, tax), saved through settings.updateOffice. */
export function useOfficeForm<V extends Record<string, unknown>>(view: SettingsView, spec: SectionFormSpec<V, OfficeSettingsChanges>) {
  return useSectionForm(view, spec, useWrite('settings.updateOffice', { invalidates: SETTINGS_READS }), true);
}

/** A section of this workstation's settings (formats, printing), saved through settings.update. */
export function useWorkstationForm<V extends Record<string, unknown>>(view: SettingsView, spec: SectionFormSpec<V, WorkstationChanges>) {
  return useSectionForm(view, spec, useWrite('settings.update', { invalidates: SETTINGS_READS }));
}
