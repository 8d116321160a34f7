import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Tabs, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { navigate } from '../../lib/router';
import { useChannel } from '../../lib/queries';
import { useFormat, useSettings } from '../../lib/settings';
import { AgingBuckets } from '../../components/AgingBuckets';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { PaymentsInFlight } from '../../components/PaymentsInFlight';
import { AccountHeader } from './AccountHeader';
import { NotesPanel, PromiseBanner } from './AccountNotes';
import { CreditsTable, OpenInvoicesTable } from './AccountTables';
import { CreditMemoModal } from './CreditMemoModal';
import { DisputesPanel } from './DisputesPanel';
import { FollowUpPanel } from './FollowUpPanel';
import { AutopayPanel } from './AutopayPanel';
import { EditCustomerModal } from './EditCustomerModal';
import { StatementModal } from './StatementModal';
import { PaymentHistoryTable } from './PaymentHistoryTable';
import { PaymentMethodsPanel } from './PaymentMethodsPanel';
import { SubscriptionsPanel } from './SubscriptionsPanel';
import { ApplyOnAccountModal, WriteOffModal } from './CorrectionModals';
import { CorrectionsHistoryTable, OnAccountTable } from './CorrectionTables';
import type { AccountInvoiceDto, AccountOnAccountDto } from '../../../../shared/contract/customers';

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
  const corrections = useChannel('corrections.history', { customerNumber });
  const notes = useChannel('notes.list', { customerNumber });
  const disputes = useChannel('disputes.list', { customerNumber });
  const autopay = useChannel('autopay.get', { customerNumber });
  const openDisputes = disputes.data?.disputes.filter((d) => d.status === 'open').length ?? 0;
  const format = useFormat();
  const writeOffLimitCents = useSettings().settings.policy.writeOffLimitCents;
  const [writingOff, setWritingOff] = useState<AccountInvoiceDto | null>(null);
  const [applying, setApplying] = useState<AccountOnAccountDto | null>(null);
  const [editing, setEditing] = useState(false);
  const [dialog, setDialog] = useState<'statement' | 'credit' | null>(null);
  // Every role bills by hand (invoices.create is a clerk's); the button waits for the session.
  const mayInvoice = useChannel('auth.status', {}).data?.session?.user.role !== undefined;
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
  const { customer, balance, openInvoices, credits, onAccount } = account.data;

  return (
    <Stack gap="md" maw={1280}>
      <BackToLookup />
      <AccountHeader
        ref={titleRef}
        customer={customer}
        onEdit={() => setEditing(true)}
        onTakePayment={takePayment}
        actions={
          <>
            <Button variant="default" onClick={() => setDialog('statement')}>
              Statement
            </Button>
            <Button variant="default" onClick={() => setDialog('credit')}>
              Credit memo
            </Button>
            {mayInvoice && (
              <Button variant="default" onClick={() => navigate('customers', customerNumber, 'invoice')}>
                New invoice
              </Button>
            )}
          </>
        }
      />
      <PaymentsInFlight customerNumber={customerNumber} withAttempt />
      {notes.data && <PromiseBanner promises={notes.data.openPromises} />}
      <FollowUpPanel customerNumber={customerNumber} followUp={account.data.followUp} />
      <SimpleGrid cols={4} spacing="md">
        <Figure label="Open balance" cents={balance.openCents} testId="open-balance" />
        <Figure label="Past due" cents={balance.pastDueCents} tone="danger" testId="past-due" />
        <Figure label="Unapplied credit" cents={balance.unappliedCreditCents} tone="ok" testId="unapplied-credit" />
        <Figure label="Money on account" cents={balance.onAccountCents} tone="ok" testId="on-account-total" />
      </SimpleGrid>
      <OnAccountTable rows={onAccount} onApply={setApplying} />
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
          <Tabs.Tab value="corrections">
            Corrections {corrections.data && <Badge size="sm" variant="light" ml={4}>{corrections.data.rows.length}</Badge>}
          </Tabs.Tab>
          <Tabs.Tab value="methods">
            Payment methods {methods.data && <Badge size="sm" variant="light" ml={4}>{methods.data.methods.length}</Badge>}
          </Tabs.Tab>
          <Tabs.Tab value="disputes">
            Disputes{' '}
            {openDisputes > 0 && (
              <Badge size="sm" variant="light" color="yellow" ml={4}>
                {openDisputes}
                <span className="sr-only"> open</span>
              </Badge>
            )}
          </Tabs.Tab>
          <Tabs.Tab value="subscriptions">Subscriptions</Tabs.Tab>
          <Tabs.Tab value="notes">
            Notes {notes.data && <Badge size="sm" variant="light" ml={4}>{notes.data.notes.length}</Badge>}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="invoices" pt="sm">
          <OpenInvoicesTable invoices={openInvoices} writeOffLimitCents={writeOffLimitCents} onWriteOff={setWritingOff} />
        </Tabs.Panel>
        <Tabs.Panel value="credits" pt="sm">
          <CreditsTable credits={credits} />
        </Tabs.Panel>
        <Tabs.Panel value="payments" pt="sm">
          {payments.error ? (
            <ErrorNotice title="The payment history could not be loaded" error={payments.error} onRetry={payments.reload} />
          ) : payments.data ? (
            <PaymentHistoryTable payments={payments.data.payments} customerEmail={customer.email ?? ''} openInvoices={openInvoices} />
          ) : (
            <Loading what="payment history" />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="corrections" pt="sm">
          {corrections.error ? (
            <ErrorNotice title="The corrections could not be loaded" error={corrections.error} onRetry={corrections.reload} />
          ) : corrections.data ? (
            <CorrectionsHistoryTable rows={corrections.data.rows} />
          ) : (
            <Loading what="corrections" />
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
            <Stack gap="md">
              {/* Autopay charges a method on file, so it sits with them (and the account's tabs stay on one line). */}
              {autopay.error ? (
                <ErrorNotice title="Autopay could not be loaded" error={autopay.error} onRetry={autopay.reload} />
              ) : autopay.data ? (
                <AutopayPanel autopay={autopay.data} methods={methods.data.methods} />
              ) : (
                <Loading what="autopay" />
              )}
              <PaymentMethodsPanel customer={customer} methods={methods.data.methods} />
            </Stack>
          ) : (
            <Loading what="payment methods" />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="disputes" pt="sm">
          {disputes.error ? (
            <ErrorNotice title="The disputes could not be loaded" error={disputes.error} onRetry={disputes.reload} />
          ) : disputes.data ? (
            <DisputesPanel customerNumber={customerNumber} disputes={disputes.data.disputes} openInvoices={openInvoices} />
          ) : (
            <Loading what="disputes" />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="subscriptions" pt="sm">
          <SubscriptionsPanel customerNumber={customerNumber} accountActive={customer.status === 'active'} />
        </Tabs.Panel>
      </Tabs>
      {dialog === 'statement' && <StatementModal customer={customer} onClose={() => setDialog(null)} />}
      {dialog === 'credit' && (
        <CreditMemoModal
          customerNumber={customer.customerNumber}
          customerName={customer.legalName}
          onClose={() => {
            setDialog(null);
            setTab('credits');
          }}
        />
      )}
      {writingOff && <WriteOffModal invoice={writingOff} limitCents={writeOffLimitCents} onClose={() => setWritingOff(null)} />}
      {applying && <ApplyOnAccountModal money={applying} invoices={openInvoices} onClose={() => setApplying(null)} />}
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
