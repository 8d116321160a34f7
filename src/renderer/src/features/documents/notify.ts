import { notifications } from '@mantine/notifications';

/** A message about what became of an email or a print job. */
export function notify(n: { color: string; message: string }): void {
  notifications.show({ ...n, closeButtonProps: { 'aria-label': 'Close message' } });
}
