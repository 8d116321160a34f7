import { Badge, Group, Text } from '@mantine/core';
import { useChannel } from '../lib/queries';

const ROLE_NAMES = { clerk: 'Clerk', supervisor: 'Supervisor', admin: 'Administrator' } as const;

/** Real data from app.info: version, ledger file, schema, and Test mode while the test gateway is in use. */
export function Footer() {
  const { data, error } = useChannel('app.info', {});
  const person = useChannel('auth.status', {}).data?.session?.user;
  if (error) {
    return (
      <Text size="xs" c="red" role="alert">
        Could not read the ledger: {error.message}
      </Text>
    );
  }
  if (!data) return <Text size="xs" c="dimmed">Loading…</Text>;
  return (
    <Group gap="lg" wrap="nowrap" data-testid="footer">
      {data.testMode && (
        <Badge color="yellow.5" autoContrast variant="filled" data-testid="test-mode">
          Test mode
        </Badge>
      )}
      <Text size="xs" c="dimmed">
        AR Desk {data.version}
      </Text>
      <Text size="xs" c="dimmed" data-testid="ledger-path" truncate="start" maw={520} title={data.ledgerPath}>
        Ledger: {data.ledgerPath}
      </Text>
      <Text size="xs" c="dimmed" data-testid="schema-version">
        Schema {data.schemaVersion}
      </Text>
      {person && (
        <Text size="xs" c="dimmed" data-testid="signed-in">
          Signed in: {person.name} · {ROLE_NAMES[person.role]}
        </Text>
      )}
    </Group>
  );
}
