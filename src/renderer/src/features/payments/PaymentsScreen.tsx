import { Anchor, Button, Group, Kbd, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useState } from 'react';
import type { PaymentSearchInput, PaymentStatusDto } from '../../../../shared/contract/payments';
import { parseDollarsToCents } from '../../../../shared/money';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf, fieldMessage } from '../../lib/fieldErrors';
import { parseDisplayDate } from '../../lib/format';
import { navigate } from '../../lib/router';
import { useFormat, useSettings } from '../../lib/settings';
import { useChannel } from '../../lib/queries';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { PaymentAmountCell, PaymentStatusBadge } from '../../components/PaymentColumns';
import { PaymentDetail } from './PaymentDetail';

const RECENT_FILTERS: { value: PaymentStatusDto | 'all'; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'captured', label: 'Approved' },
  { value: 'declined', label: 'Declined' },
  { value: 'voided', label: 'Voided' },
  { value: 'pending', label: 'Pending' },
];

const PAGE_SIZES = ['10', '25', '50'];

interface SearchFields {
  confirmationNumber: string;
  checkNumber: string;
  amount: string;
  from: string | null;
  to: string | null;
  customerNumber: string;
  clerk: string;
}
const NO_FILTERS: SearchFields = { confirmationNumber: '', checkNumber: '', amount: '', from: null, to: null, customerNumber: '', clerk: '' };

/** The typed filters as the search's input; an amount that is not money is said at its field. */
function searchInputOf(f: SearchFields): { input: Omit<PaymentSearchInput, 'page' | 'pageSize' | 'status'>; amountError?: string } {
  const input: Omit<PaymentSearchInput, 'page' | 'pageSize' | 'status'> = {};
  if (f.confirmationNumber.trim()) input.confirmationNumber = f.confirmationNumber.trim();
  if (f.checkNumber.trim()) input.checkNumber = f.checkNumber.trim();
  if (f.amount.trim()) {
    try {
      input.amountCents = parseDollarsToCents(f.amount, { field: 'Amount' });
    } catch (e) {
      return { input, amountError: toAppError(e).message.replace(/^Amount: /, '') };
    }
  }
  if (f.from) input.from = f.from;
  if (f.to) input.to = f.to;
  if (f.customerNumber.trim()) input.customerNumber = f.customerNumber.trim();
  if (f.clerk.trim()) input.clerk = f.clerk.trim();
  return { input };
}

/** Payments taken here, any customer, newest first, found by what the caller knows; a row opens that customer's account. */
function PaymentSearch() {
  const format = useFormat();
  const { settings } = useSettings();
  const [status, setStatus] = useState<PaymentStatusDto | 'all'>('all');
  const [typed, setTyped] = useState<SearchFields>(NO_FILTERS);
  const [filters, setFilters] = useState<Omit<PaymentSearchInput, 'page' | 'pageSize' | 'status'>>({});
  const [amountError, setAmountError] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const found = useChannel('payments.search', { ...filters, ...(status === 'all' ? {} : { status }), page, pageSize });
  // A new search or page keeps the last list in view until the new one arrives.
  const shown = found.data ?? found.previous;
  const fieldErrors = fieldErrorsOf(found.error);
  const placed = Object.keys(fieldErrors).length > 0;
  const open = (customerNumber: string) => navigate('customers', customerNumber);
  const filtered = Object.keys(filters).length > 0;
  const set = (k: keyof SearchFields) => (v: string | null) => setTyped((t) => ({ ...t, [k]: v }));

  const search = () => {
    const { input, amountError: badAmount } = searchInputOf(typed);
    setAmountError(badAmount ?? null);
    if (badAmount) return;
    setFilters(input);
    setPage(1);
  };
  const clear = () => {
    setTyped(NO_FILTERS);
    setFilters({});
    setAmountError(null);
    setPage(1);
  };
  const dateProps = {
    valueFormat: settings.dateFormat,
    dateParser: (text: string) => parseDisplayDate(text, settings.dateFormat),
    placeholder: settings.dateFormat,
    clearable: true,
    popoverProps: { withinPortal: true },
    w: 150,
  };
  const total = shown?.total ?? 0;
  const firstShown = shown && shown.payments.length > 0 ? (shown.page - 1) * shown.pageSize + 1 : 0;
  const lastShown = shown ? firstShown + shown.payments.length - (shown.payments.length > 0 ? 1 : 0) : 0;
  const lastPage = Math.max(1, Math.ceil(total / pageSize));

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="recent-payments-title">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h5" id="recent-payments-title">
          {filtered ? 'Payments found' : 'Recent payments'}
        </Title>
        <SegmentedControl
          size="xs"
          aria-label="Show payments"
          value={status}
          onChange={(v) => {
            setStatus(v as PaymentStatusDto | 'all');
            setPage(1);
          }}
          data={RECENT_FILTERS}
        />
      </Group>
      <form
        aria-label="Find payments"
        onSubmit={(e) => {
          e.preventDefault();
          search();
        }}
      >
        <Group align="flex-start" gap="sm" mb="sm" wrap="wrap">
          <TextInput
            label="Confirmation"
            placeholder="K7M2-Q9XR"
            w={150}
            value={typed.confirmationNumber}
            onChange={(e) => set('confirmationNumber')(e.currentTarget.value.toUpperCase())}
            error={fieldMessage(fieldErrors.confirmationNumber, 'Confirmation number')}
            autoComplete="off"
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <TextInput
            label="Check number"
            placeholder="1042"
            w={120}
            value={typed.checkNumber}
            onChange={(e) => set('checkNumber')(e.currentTarget.value)}
            error={fieldMessage(fieldErrors.checkNumber, 'Check number')}
            autoComplete="off"
          />
          <TextInput
            label="Amount"
            leftSection="$"
            placeholder="0.00"
            w={120}
            inputMode="decimal"
            value={typed.amount}
            onChange={(e) => set('amount')(e.currentTarget.value)}
            error={amountError ?? fieldMessage(fieldErrors.amountCents, 'Amount')}
            autoComplete="off"
          />
          <DateInput label="From" {...dateProps} value={typed.from} onChange={set('from')} error={fieldMessage(fieldErrors.from, 'From')} />
          <DateInput label="To" {...dateProps} value={typed.to} onChange={set('to')} error={fieldMessage(fieldErrors.to, 'To')} />
          <TextInput
            label="Customer"
            placeholder="CL1042"
            w={130}
            value={typed.customerNumber}
            onChange={(e) => set('customerNumber')(e.currentTarget.value.toUpperCase())}
            autoComplete="off"
          />
          <TextInput label="Clerk" placeholder="username" w={130} value={typed.clerk} onChange={(e) => set('clerk')(e.currentTarget.value)} autoComplete="off" />
          <Group gap="xs" mt={25}>
            <Button type="submit" loading={found.loading && filtered}>
              Search
            </Button>
            <Button variant="default" onClick={clear} disabled={!filtered && typed === NO_FILTERS}>
              Clear
            </Button>
          </Group>
        </Group>
      </form>
      {found.error && !placed ? (
        <ErrorNotice title="The payments could not be loaded" error={found.error} onRetry={found.reload} />
      ) : !shown ? (
        placed ? null : <Loading what="payments" />
      ) : shown.payments.length === 0 ? (
        <Empty title={filtered ? 'No payment matches' : status === 'all' ? 'No payments taken yet' : 'None in this state'}>
          {filtered ? 'Check the filters, or clear them to see the newest payments.' : 'Payments taken from customers’ accounts appear here, newest first.'}
        </Empty>
      ) : (
        <>
          <Table highlightOnHover tabularNums verticalSpacing={6} data-testid="recent-payments" style={{ opacity: found.data ? 1 : 0.6 }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Customer</Table.Th>
                <Table.Th>Confirmation</Table.Th>
                <Table.Th>Method</Table.Th>
                <Table.Th className="num">Amount</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Clerk</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.payments.map((p) => (
                <Table.Tr key={p.paymentId} data-testid="recent-payment-row" onClick={() => open(p.customerNumber)} style={{ cursor: 'pointer' }}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{format.timestamp(p.createdAt)}</Table.Td>
                  <Table.Td>
                    {/* The link is what a keyboard reaches; the whole row answers a click. */}
                    <Anchor
                      href={`#/customers/${encodeURIComponent(p.customerNumber)}`}
                      onClick={(e) => {
                        e.preventDefault();
                        e.stopPropagation();
                        open(p.customerNumber);
                      }}
                      fw={600}
                      ff="monospace"
                      size="sm"
                    >
                      {p.customerNumber}
                    </Anchor>{' '}
                    <Text span size="sm">
                      {p.customerName}
                    </Text>
                  </Table.Td>
                  <Table.Td ff="monospace" fw={600} style={{ whiteSpace: 'nowrap' }}>
                    {p.confirmationNumber ?? <Text span c="dimmed" ff="inherit">—</Text>}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{p.methodLabel}</Table.Td>
                  <PaymentAmountCell amountCents={p.amountCents} refundedCents={p.refundedCents} />
                  <Table.Td>
                    <PaymentStatusBadge status={p.status} refundedCents={p.refundedCents} kind={p.kind} amountCents={p.amountCents} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{p.clerk}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group justify="space-between" mt="sm">
            <Text size="sm" c="dimmed" data-testid="payments-page-info">
              {firstShown}–{lastShown} of {total} {total === 1 ? 'payment' : 'payments'}
            </Text>
            <Group gap="xs">
              <Select
                aria-label="Payments per page"
                size="xs"
                w={80}
                data={PAGE_SIZES}
                value={String(pageSize)}
                allowDeselect={false}
                onChange={(v) => {
                  setPageSize(Number(v ?? 10));
                  setPage(1);
                }}
              />
              <Button size="xs" variant="default" disabled={page <= 1} onClick={() => setPage((p) => Math.max(1, p - 1))}>
                Previous
              </Button>
              <Text size="sm">
                Page {page} of {lastPage}
              </Text>
              <Button size="xs" variant="default" disabled={page >= lastPage} onClick={() => setPage((p) => p + 1)}>
                Next
              </Button>
            </Group>
          </Group>
        </>
      )}
    </Paper>
  );
}

/**
 * Payments are taken from a customer's account; this screen lists the newest, finds them by what a
 * caller knows (confirmation number, amount, dates, customer, clerk), and shows one payment by the
 * confirmation number a customer reads out over the phone.
 */
export function PaymentsScreen() {
  const [number, setNumber] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  const [blank, setBlank] = useState(false);
  const payment = useChannel('payments.get', asked === null ? null : { confirmationNumber: asked });
  // The payment found before stays in view while the next number is looked up.
  const found = payment.data ?? payment.previous;
  const error = blank
    ? 'Enter the confirmation number the customer reads out.'
    : payment.error?.code === 'NOT_FOUND'
      ? `No payment has the confirmation number ${asked}.`
      : (payment.error?.message ?? null);

  const find = () => {
    const q = number.trim().toUpperCase();
    setBlank(q === '');
    if (q === '') return;
    if (q === asked) payment.reload();
    else setAsked(q);
  };

  return (
    <Stack gap="md" maw={1180}>
      <Title order={2}>Payments</Title>
      <Text>
        Payments are taken from a customer’s account: find the customer (<Kbd size="xs">Ctrl</Kbd> <Kbd size="xs">K</Kbd>), open the
        account and press <b>Take payment</b> (<Kbd size="xs">Ctrl</Kbd> <Kbd size="xs">P</Kbd>). Each account lists its own
        payment history.{' '}
        <Anchor
          href="#/customers"
          onClick={(e) => {
            e.preventDefault();
            navigate('customers');
          }}
        >
          Find a customer
        </Anchor>
      </Text>
      <PaymentSearch />
      <Paper withBorder p="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            find();
          }}
        >
          <Group align="flex-end">
            <TextInput
              label="Find a payment by confirmation number"
              placeholder="e.g. 7KQ4M9TZ"
              value={number}
              onChange={(e) => setNumber(e.currentTarget.value.toUpperCase())}
              error={error}
              w={360}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              autoComplete="off"
            />
            <Button type="submit" loading={payment.loading} mb={error ? 22 : 0}>
              Find payment
            </Button>
          </Group>
        </form>
      </Paper>
      {found && <PaymentDetail p={found} />}
    </Stack>
  );
}
