import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Tabs, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { navigate } from '../../lib/router';
import { useChannel } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { AgingBuckets } from '../../components/AgingBuckets';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { PaymentsInFlight } from '../../components/PaymentsInFlight';
import { AccountHeader } from './AccountHeader';
import { NotesPanel, PromiseBanner } from './AccountNotes';
import { CreditsTable, OpenInvoicesTable } from './AccountTables';
import { EditCustomerModal } from './EditCustomerModal';
import { PaymentHistoryTable } from './PaymentHistoryTable';
import { PaymentMethodsPanel } from './PaymentMethodsPanel';

function Figure({ label, cents, tone, testId }: { label: string; cents: number; tone?: 'danger' | 'ok'; testId: string }) {
  const format = useFormat();
  return (
    <Paper withBorder px="md" py={8}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: '0.03em' }}>
        {label}
      </Text>
      <Text
        fz={22}
        fw={700}
        className="num"
        ta="left"
        c={tone === 'danger' && cents > 0 ? 'red.8' : tone === 'ok' && cents > 0 ? 'teal.8' : undefined}
        data-testid={testId}
      >
        {format.money(cents)}
      </Text>
    </Paper>
  );
}

export function BackToLookup() {
  return (
    <Anchor
      href="#/customers"
      size="sm"
      onClick={(e) => {
        e.preventDefault();
        navigate('customers');
      }}
    >
      ← Back to customer search
    </Anchor>
  );
}

export function AccountScreen({ customerNumber }: { customerNumber: string }) {
  const account = useChannel('customers.account', { customerNumber });
  const aging = useChannel('aging.customer', { customerNumber });
  const payments = useChannel('payments.list', { customerNumber });
  const methods = useChannel('paymentMethods.list', { customerNumber });
  const notes = useChannel('notes.list', { customerNumber });
  const format = useFormat();
  const [editing, setEditing] = useState(false);
  const [tab, setTab] = useState<string | null>('invoices');
  const titleRef = useRef<HTMLHeadingElement>(null);
  const loaded = account.data !== undefined;

  const takePayment = () => navigate('customers', customerNumber, 'pay');
  useHotkeys([['ctrl+P', takePayment], ['mod+P', takePayment]], []);

  // Keyboard users land on the customer's name, so Tab moves on into the account rather than the menu.
  useEffect(() => {
    if (loaded) titleRef.current?.focus({ preventScroll: true });
  }, [loaded]);

  if (account.error) {
    return (
      <Stack gap="md" maw={900}>
        <BackToLookup />
        {account.error.code === 'NOT_FOUND' ? (
          <Paper withBorder p="lg" role="alert">
            <Empty title={`No customer ${customerNumber}`}>{account.error.message} Search again by name, phone or invoice number.</Empty>
          </Paper>
        ) : (
          <ErrorNotice title="The account could not be loaded" error={account.error} onRetry={account.reload} />
        )}
      </Stack>
    );
  }
  if (!account.data) return <Loading what={`account ${customerNumber}`} />;
  const { customer, balance, openInvoices, credits } = account.data;

  return (
    <Stack gap="md" maw={1280}>
      <BackToLookup />
      <AccountHeader ref={titleRef} customer={customer} onEdit={() => setEditing(true)} onTakePayment={takePayment} />
      <PaymentsInFlight customerNumber={customerNumber} withAttempt />
      {notes.data && <PromiseBanner promises={notes.data.openPromises} />}
      <SimpleGrid cols={3} spacing="md">
        <Figure label="Open balance" cents={balance.openCents} testId="open-balance" />
        <Figure label="Past due" cents={balance.pastDueCents} tone="danger" testId="past-due" />
        <Figure label="Unapplied credit" cents={balance.unappliedCreditCents} tone="ok" testId="unapplied-credit" />
      </SimpleGrid>
      <section aria-labelledby="aging-strip-title">
        <Group justify="space-between" mb={6}>
          <Text id="aging-strip-title" fw={600} size="sm">
            Aging by due date{aging.data ? ` as of ${format.date(aging.data.asOf)}` : ''}
          </Text>
        </Group>
        {aging.error ? (
          <ErrorNotice title="The aging could not be loaded" error={aging.error} onRetry={aging.reload} />
        ) : aging.data ? (
          <AgingBuckets amounts={aging.data.customer} label="This customer’s aging" />
        ) : (
          <Loading what="aging" />
        )}
      </section>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="invoices">
            Open invoices <Badge size="sm" variant="light" ml={4}>{openInvoices.length}</Badge>
          </Tabs.Tab>
          <Tabs.Tab value="credits">
            Credits <Badge size="sm" variant="light" ml={4}>{credits.length}</Badge>
          </Tabs.Tab>
          <Tabs.Tab value="payments">
            Payment history {payments.data && <Badge size="sm" variant="light" ml={4}>{payments.data.payments.length}</Badge>}
          </Tabs.Tab>
          <Tabs.Tab value="methods">
            Payment methods {methods.data && <Badge size="sm" variant="light" ml={4}>{methods.data.methods.length}</Badge>}
          </Tabs.Tab>
          <Tabs.Tab value="notes">
            Notes {notes.data && <Badge size="sm" variant="light" ml={4}>{notes.data.notes.length}</Badge>}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="invoices" pt="sm">
          <OpenInvoicesTable invoices={openInvoices} />
        </Tabs.Panel>
        <Tabs.Panel value="credits" pt="sm">
          <CreditsTable credits={credits} />
        </Tabs.Panel>
        <Tabs.Panel value="payments" pt="sm">
          {payments.error ? (
            <ErrorNotice title="The payment history could not be loaded" error={payments.error} onRetry={payments.reload} />
          ) : payments.data ? (
            <PaymentHistoryTable payments={payments.data.payments} customerEmail={customer.email ?? ''} />
          ) : (
            <Loading what="payment history" />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="notes" pt="sm">
          {notes.error ? (
            <ErrorNotice title="The notes could not be loaded" error={notes.error} onRetry={notes.reload} />
          ) : notes.data ? (
            <NotesPanel customerNumber={customerNumber} notes={notes.data.notes} />
          ) : (
            <Loading what="notes" />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="methods" pt="sm">
          {methods.error ? (
            <ErrorNotice title="The payment methods could not be loaded" error={methods.error} onRetry={methods.reload} />
          ) : methods.data ? (
            <PaymentMethodsPanel customer={customer} methods={methods.data.methods} />
          ) : (
            <Loading what="payment methods" />
          )}
        </Tabs.Panel>
      </Tabs>
      {editing && (
        <EditCustomerModal
          customer={customer}
          opened={editing}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            notifications.show({ color: 'teal', title: 'Saved', message: `${customer.customerNumber}'s details were updated.` });
          }}
        />
      )}
    </Stack>
  );
}
