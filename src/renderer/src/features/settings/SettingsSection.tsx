import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** One part of the settings with its own Save: what it is, its fields, and its buttons. */
export function SettingsSection({
  id,
  title,
  description,
  problem,
  children,
  dirty,
  saving,
  saveLabel,
  onSave,
  onUndo,
  extra,
}: {
  id: string;
  title: string;
  description: ReactNode;
  problem: string | null;
  children: ReactNode;
  dirty: boolean;
  saving: boolean;
  saveLabel: string;
  onSave(): void;
  onUndo(): void;
  /** Controls that act at once rather than with Save (e.g. the password), shown below the fields. */
  extra?: ReactNode;
}) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={id}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (dirty && !saving) onSave();
        }}
      >
        <Stack gap="md">
          <div>
            <Title order={4} size="h5" id={id}>
              {title}
            </Title>
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          </div>
          {problem && (
            <Alert color="red" variant="light" role="alert">
              {problem}
            </Alert>
          )}
          {children}
          <Group justify="flex-end">
            <Button variant="default" disabled={!dirty || saving} onClick={onUndo}>
              Undo changes
            </Button>
            <Button type="submit" disabled={!dirty} loading={saving}>
              {saveLabel}
            </Button>
          </Group>
        </Stack>
      </form>
      {extra}
    </Paper>
  );
}
