import { Alert, Badge, Button, Checkbox, Group, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { AutopayAttemptDto, AutopayDto } from '../../../../shared/contract/autopay';
import type { PaymentMethodDto } from '../../../../shared/contract/paymentMethods';
import { toAppError } from '../../lib/api';
import { LEDGER_READS, useChannel, useWrite } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { Empty } from '../../components/states';

const OUTCOME: Record<AutopayAttemptDto['outcome'], { label: string; color: string }> = {
  approved: { label: 'Charged', color: 'teal' },
  declined: { label: 'Declined', color: 'orange' },
  hard_declined: { label: 'Declined, not retried', color: 'red' },
  pending: { label: 'Sent', color: 'gray' },
  unknown: { label: 'No answer yet', color: 'yellow' },
  not_charged: { label: 'Not charged', color: 'gray' },
};

function methodName(m: PaymentMethodDto): string {
  const what = m.kind === 'card' ? `${m.brand.charAt(0).toUpperCase()}${m.brand.slice(1)} ending ${m.last4}` : `${m.brand} account ending ${m.last4}`;
  return `${what}${m.nickname ? ` (${m.nickname})` : ''}${m.isDefault ? ', the default' : ''}${m.expired ? ', expired' : ''}`;
}

/**
 * Autopay on the account: on or off, the method it charges, who turned it on and how (a
 * supervisor, or a clerk recording the customer's consent), and every attempt of the daily run
 * with its outcome and next try.
 */
export function AutopayPanel({ autopay, methods }: { autopay: AutopayDto; methods: PaymentMethodDto[] }) {
  const format = useFormat();
  const role = useChannel('auth.status', {}).data?.session?.user.role;
  const supervisor = role === 'supervisor' || role === 'admin';
  const usable = methods.filter((m) => !m.expired);
  const [methodId, setMethodId] = useState<string>(autopay.paymentMethodId === null ? 'default' : String(autopay.paymentMethodId));
  const [consent, setConsent] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useWrite('autopay.set', { invalidates: LEDGER_READS });

  const send = async (enabled: boolean) => {
    setProblem(null);
    if (enabled && !supervisor && !consent) {
      setProblem("Tick that the customer consents to automatic charges (or ask a supervisor to turn autopay on).");
      return;
    }
    try {
      await save.mutateAsync({
        customerNumber: autopay.customerNumber,
        enabled,
        paymentMethodId: methodId === 'default' ? null : Number(methodId),
        ...(enabled && consent ? { consent: 'customer' as const } : {}),
      });
      setConsent(false);
    } catch (e) {
      setProblem(toAppError(e).message);
    }
  };

  return (
    <Stack gap="sm" data-testid="autopay-panel">
      <Paper withBorder p="sm">
        <Stack gap="xs">
          <Group gap="sm">
            <Text fw={700}>Autopay</Text>
            <Badge color={autopay.enabled ? 'teal' : 'gray'} variant="light" data-testid="autopay-status">
              {autopay.enabled ? 'On' : 'Off'}
            </Badge>
            {autopay.enabled && (
              <Text size="sm" data-testid="autopay-method">
                Charges {autopay.methodLabel ?? 'no method on file'}
                {autopay.paymentMethodId === null ? ' (the default method on file)' : ''} for invoices as they fall due.
              </Text>
            )}
          </Group>
          {autopay.consentAt && (
            <Text size="sm" c="dimmed" data-testid="autopay-consent">
              {autopay.consentVia === 'customer_consent' ? "The customer's consent recorded by " : autopay.consentVia === 'import' ? 'Turned on by the import of ' : 'Turned on by '}
              {autopay.consentBy} on {format.timestamp(autopay.consentAt)}
              {autopay.consentVia === 'supervisor' ? ' (supervisor)' : ''}.
            </Text>
          )}
          {problem && (
            <Alert color="red" variant="light" role="alert">
              {problem}
            </Alert>
          )}
          {usable.length === 0 ? (
            <Text size="sm">Save a card or bank account on the Payment methods tab to turn autopay on.</Text>
          ) : (
            <Group align="flex-end" gap="sm">
              <Select
                label="Charge"
                w={340}
                allowDeselect={false}
                value={methodId}
                onChange={(v) => setMethodId(v ?? 'default')}
                data={[{ value: 'default', label: 'The default method on file' }, ...usable.map((m) => ({ value: String(m.id), label: methodName(m) }))]}
                data-testid="autopay-method-select"
              />
              {!supervisor && (
                <Checkbox
                  label="The customer consents to automatic charges"
                  checked={consent}
                  onChange={(e) => setConsent(e.currentTarget.checked)}
                  data-testid="autopay-consent-box"
                />
              )}
              <Button onClick={() => void send(true)} loading={save.isPending} data-testid="autopay-on">
                {autopay.enabled ? 'Save autopay' : 'Turn on autopay'}
              </Button>
              {autopay.enabled && (
                <Button variant="default" onClick={() => void send(false)} loading={save.isPending} data-testid="autopay-off">
                  Turn off
                </Button>
              )}
            </Group>
          )}
        </Stack>
      </Paper>
      {autopay.attempts.length === 0 ? (
        <Empty title="No autopay charges yet">The daily billing run charges due invoices here once autopay is on.</Empty>
      ) : (
        <Table striped withTableBorder data-testid="autopay-attempts" aria-label="Autopay charges">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th>Try</Table.Th>
              <Table.Th>Invoices</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th>Method</Table.Th>
              <Table.Th>Outcome</Table.Th>
              <Table.Th>Next try</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {autopay.attempts.map((a) => (
              <Table.Tr key={a.attemptId} data-testid="autopay-attempt" data-outcome={a.outcome}>
                <Table.Td>{format.date(a.attemptDate)}</Table.Td>
                <Table.Td>{a.attemptNumber}</Table.Td>
                <Table.Td>{a.invoices.map((i) => i.invoiceNumber).join(', ')}</Table.Td>
                <Table.Td className="num">{format.money(a.amountCents)}</Table.Td>
                <Table.Td>{a.method}</Table.Td>
                <Table.Td>
                  <Badge color={OUTCOME[a.outcome].color} variant="light">
                    {OUTCOME[a.outcome].label}
                  </Badge>
                  {a.outcome === 'approved' && a.confirmationNumber && (
                    <Text size="xs" data-testid="autopay-confirmation">
                      Confirmation {a.confirmationNumber}
                    </Text>
                  )}
                  {a.declineMessage && a.outcome !== 'approved' && (
                    <Text size="xs" c="dimmed">
                      {a.declineMessage}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{a.nextRetryDate ? format.date(a.nextRetryDate) : a.outcome === 'unknown' ? 'after recovery' : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
