import { AppShell, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { navigate, useRoute } from '../lib/router';
import { Footer } from './Footer';
import { ComingScreen } from '../components/ComingScreen';

const SECTIONS = [
  { key: 'customers', label: 'Customers' },
  { key: 'aging', label: 'Aging' },
  { key: 'payments', label: 'Payments' },
  { key: 'settings', label: 'Settings' },
] as const;

function Screen({ route }: { route: string[] }) {
  const section = route[0] ?? 'customers';
  const label = SECTIONS.find((s) => s.key === section)?.label ?? 'Customers';
  return <ComingScreen title={label} />;
}

export function App() {
  const route = useRoute();
  const section = route[0] ?? 'customers';
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 200, breakpoint: 0 }} footer={{ height: 36 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={1} size="h4">
            AR Desk
          </Title>
          <Text size="sm" c="dimmed">
            Accounts receivable
          </Text>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <Stack gap={2}>
          {SECTIONS.map((s) => (
            <NavLink
              key={s.key}
              href={`#/${s.key}`}
              label={s.label}
              active={section === s.key}
              onClick={(e) => {
                e.preventDefault();
                navigate(s.key);
              }}
            />
          ))}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>
        <Screen route={route} />
      </AppShell.Main>
      <AppShell.Footer px="md">
        <Group h="100%">
          <Footer />
        </Group>
      </AppShell.Footer>
    </AppShell>
  );
}
