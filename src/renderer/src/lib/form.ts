import type { GetInputPropsOptions, UseFormReturnType } from '@mantine/form';
import { fieldMessage } from './fieldErrors';

/**
 * Helpers for the Mantine forms. A form's field messages come from main (fieldErrorsOf, put in with
 * setErrors) or from the form's own checks; they stay until the next save, as the clerk expects of
 * a message that says what main refused.
 */

/** An input's props from the form, its message worded for the field's label ("Email is required" for main's "is required"). */
export function labelledField<V>(form: UseFormReturnType<V>, path: string, label: string, options?: GetInputPropsOptions) {
  const props = form.getInputProps(path, options);
  return { ...props, error: fieldMessage(typeof props.error === 'string' ? props.error : undefined, label) };
}

/** After a save, what main now holds is the form's starting point: nothing is dirty, and Undo comes back here. */
export function startFrom<V>(form: UseFormReturnType<V>, values: V): void {
  form.setValues(values);
  form.resetDirty(values);
  form.clearErrors();
}
