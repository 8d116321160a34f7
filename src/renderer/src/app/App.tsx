import { AppShell, Group, Kbd, NavLink, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { navigate, useRoute } from '../lib/router';
import { requestSearchFocus } from '../lib/events';
import { Footer } from './Footer';
import { LookupScreen } from '../features/customers/LookupScreen';
import { AccountScreen } from '../features/customers/AccountScreen';
import { InvoiceScreen } from '../features/invoices/InvoiceScreen';
import { NewInvoiceScreen } from '../features/invoices/NewInvoiceScreen';
import { AgingScreen } from '../features/aging/AgingScreen';
import { TakePaymentScreen } from '../features/payments/TakePaymentScreen';
import { PaymentsScreen } from '../features/payments/PaymentsScreen';
import { DepositsScreen } from '../features/deposits/DepositsScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { DocumentsScreen } from '../features/documents/DocumentsScreen';
import { AuditScreen } from '../features/audit/AuditScreen';
import { BillingRunScreen } from '../features/billing/BillingRunScreen';
import { ImportScreen } from '../features/imports/ImportScreen';
import { CollectionsScreen } from '../features/collections/CollectionsScreen';
import { ReportsScreen } from '../features/reports/ReportsScreen';
import { SessionGate } from '../features/staff/SessionGate';
import { StaffScreen } from '../features/staff/StaffScreen';
import { YourSignInScreen } from '../features/staff/YourSignInScreen';
import { useChannel } from '../lib/queries';
import { SessionActions } from './SessionActions';

const SECTIONS = [
  { key: 'customers', label: 'Customers' },
  { key: 'aging', label: 'Aging' },
  { key: 'collections', label: 'Collections' },
  { key: 'payments', label: 'Payments' },
  { key: 'deposits', label: 'Deposits' },
  { key: 'reports', label: 'Reports' },
  { key: 'documents', label: 'Documents' },
  { key: 'billing', label: 'Billing run' },
  { key: 'import', label: 'Import', needs: ['supervisor', 'admin'] },
  { key: 'settings', label: 'Settings' },
  { key: 'audit', label: 'Audit log', needs: ['supervisor', 'admin'] },
  { key: 'staff', label: 'Staff', needs: ['admin'] },
] as const;

function Screen({ route }: { route: string[] }) {
  const [section = 'customers', id, action] = route;
  switch (section) {
    case 'customers':
      if (id && action === 'pay') return <TakePaymentScreen key={id} customerNumber={id} />;
      if (id && action === 'invoice') return <NewInvoiceScreen key={id} customerNumber={id} />;
      if (id) return <AccountScreen key={id} customerNumber={id} />;
      return <LookupScreen />;
    case 'invoices':
      return id ? <InvoiceScreen key={id} invoiceNumber={id} /> : <LookupScreen />;
    case 'aging':
      return <AgingScreen />;
    case 'collections':
      return <CollectionsScreen />;
    case 'payments':
      return <PaymentsScreen />;
    case 'deposits':
      return <DepositsScreen />;
    case 'reports':
      return <ReportsScreen tab={id} />;
    case 'documents':
      return <DocumentsScreen />;
    case 'billing':
      return <BillingRunScreen />;
    case 'import':
      return <ImportScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'staff':
      return <StaffScreen />;
    case 'me':
      return <YourSignInScreen />;
    default:
      return <LookupScreen />;
  }
}

/** Ctrl+K finds a customer from anywhere: on the lookup screen it focuses the box, elsewhere it goes there. */
function findCustomer(route: string[]): void {
  if ((route[0] ?? 'customers') === 'customers' && route.length <= 1) requestSearchFocus();
  else navigate('customers');
}

export function App() {
  return (
    <SessionGate>
      <Shell />
    </SessionGate>
  );
}

function Shell() {
  const role = useChannel('auth.status', {}).data?.session?.user.role;
  // Main refuses anyone else; the links are only left out for them.
  const sections = SECTIONS.filter((s) => !('needs' in s) || (role !== undefined && (s.needs as readonly string[]).includes(role)));
  const route = useRoute();
  const section = route[0] ?? 'customers';
  useHotkeys(
    [
      ['ctrl+K', () => findCustomer(route)],
      ['mod+K', () => findCustomer(route)],
    ],
    [],
  );
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 200, breakpoint: 0 }} footer={{ height: 36 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <Title order={1} size="h4">
              AR Desk
            </Title>
            <Text size="sm" c="dimmed">
              Accounts receivable
            </Text>
          </Group>
          <UnstyledButton onClick={() => findCustomer(route)} className="find-hint">
            <Group gap={6}>
              <Text size="sm" c="dimmed">
                Find a customer
              </Text>
              <Kbd size="xs">Ctrl</Kbd>
              <Kbd size="xs">K</Kbd>
            </Group>
          </UnstyledButton>
          <SessionActions />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <Stack gap={2}>
          {sections.map((s) => (
            <NavLink
              key={s.key}
              href={`#/${s.key}`}
              label={s.label}
              active={section === s.key}
              aria-current={section === s.key ? 'page' : undefined}
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
