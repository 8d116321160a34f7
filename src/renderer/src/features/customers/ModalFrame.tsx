import { Button, Group, Modal } from '@mantine/core';
import type { ReactNode } from 'react';

/** The account's correction and dispute modals: a modal that cannot be closed while its write is on its way. */
export function Frame({ title, busy, onClose, children }: { title: string; busy: boolean; onClose(): void; children: ReactNode }) {
  return (
    <Modal
      opened
      onClose={() => !busy && onClose()}
      title={title}
      centered
      size="lg"
      closeOnClickOutside={!busy}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {children}
    </Modal>
  );
}

/** Cancel and the submit button, right-aligned. */
export function Buttons({ busy, label, onClose, testId }: { busy: boolean; label: string; onClose(): void; testId: string }) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onClose} disabled={busy}>
        Cancel
      </Button>
      <Button type="submit" loading={busy} data-testid={testId}>
        {label}
      </Button>
    </Group>
  );
}
