import { Alert, Box, Divider, Group, Loader, Stack, Table, Text } from '@mantine/core';
import type { PaymentQuoteDto } from '../../../../shared/contract/payments';
import type { AppError } from '../../../../shared/errors';
import { useFormat } from '../../lib/settings';

type OkQuote = Extract<PaymentQuoteDto, { ok: true }>;

function Line({ label, cents, strong, tone, testId }: { label: string; cents: number; strong?: boolean; tone?: 'credit'; testId?: string }) {
  const format = useFormat();
  return (
    <Group justify="space-between" wrap="nowrap">
      <Text size={strong ? 'md' : 'sm'} fw={strong ? 700 : 400}>
        {label}
      </Text>
      <Text size={strong ? 'md' : 'sm'} fw={strong ? 700 : 500} className="num" c={tone === 'credit' && cents > 0 ? 'teal.8' : undefined} data-testid={testId}>
        {tone === 'credit' && cents > 0 ? `−${format.money(cents)}` : format.money(cents)}
      </Text>
    </Group>
  );
}

/** What the house rules say the selection comes to: per invoice, then the charge. All figures from main. */
export function QuoteSummary({
  quote,
  previous,
  error,
  loading,
  nothingSelected,
  amountError,
  chargeLabel = 'Amount to charge',
}: {
  quote: PaymentQuoteDto | undefined;
  previous: PaymentQuoteDto | undefined;
  error: AppError | undefined;
  loading: boolean;
  nothingSelected: boolean;
  /** The amount typed cannot be read: nothing is asked of main, so nothing is being worked out. */
  amountError?: string | undefined;
  /** "Amount received" for a check, cash or wire, which is recorded rather than charged. */
  chargeLabel?: string;
}) {
  const format = useFormat();
  if (nothingSelected) {
    return (
      <Text size="sm" c="dimmed" data-testid="quote-empty">
        Tick the invoices to pay, or press Pay All. The amounts to charge appear here.
      </Text>
    );
  }
  if (amountError) {
    return (
      <Text size="sm" c="red.8" data-testid="quote-amount-invalid">
        Correct the amount above to work out what to charge.
      </Text>
    );
  }
  if (error) {
    return (
      <Alert color="red" variant="light" title="The amount could not be worked out" role="alert">
        {error.message}
      </Alert>
    );
  }
  const shown = quote ?? previous;
  if (!shown) {
    return (
      <Group gap="xs" role="status">
        <Loader size="xs" />
        <Text size="sm" c="dimmed">
          Working out the amount…
        </Text>
      </Group>
    );
  }
  if (!shown.ok) {
    return (
      <Alert color="red" variant="light" title="This selection cannot be paid" role="alert" data-testid="quote-refusal" opacity={loading ? 0.6 : 1}>
        {shown.message}
      </Alert>
    );
  }
  const q: OkQuote = shown;
  return (
    <Stack gap="xs" opacity={loading ? 0.6 : 1} aria-busy={loading} data-testid="quote-summary">
      <Table tabularNums verticalSpacing={3} horizontalSpacing={6} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Invoice</Table.Th>
            <Table.Th className="num">Open</Table.Th>
            <Table.Th className="num">Credit</Table.Th>
            <Table.Th className="num">Charge</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {q.lines.map((l) => (
            <Table.Tr key={l.invoiceNumber} data-testid="quote-line">
              <Table.Td>
                <Text size="sm" fw={600}>
                  {l.invoiceNumber}
                </Text>
                {l.creditParts.length > 0 && (
                  <Text size="xs" c="teal.9">
                    {l.creditParts.map((p) => `${p.creditNumber} ${format.money(p.amountCents)}`).join(', ')}
                  </Text>
                )}
                {l.remainingCents > 0 && (
                  <Text size="xs" c="orange.9">
                    {format.money(l.remainingCents)} stays open
                  </Text>
                )}
              </Table.Td>
              <Table.Td className="num">{format.money(l.openCents)}</Table.Td>
              <Table.Td className="num" c={l.creditCents > 0 ? 'teal.9' : 'dimmed'}>
                {l.creditCents > 0 ? format.money(l.creditCents) : '—'}
              </Table.Td>
              <Table.Td className="num" fw={600}>
                {format.money(l.chargeCents)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Divider />
      <Line label={`Invoices selected (${q.lines.length})`} cents={q.totalOpenCents} testId="quote-total-open" />
      {q.totalCreditCents > 0 && <Line label="Credits applied" cents={q.totalCreditCents} tone="credit" testId="quote-total-credit" />}
      {q.unappliedCents > 0 && <Line label="Kept on account as credit" cents={q.unappliedCents} />}
      <Box bg="indigo.0" px="sm" py="xs" style={{ borderRadius: 'var(--mantine-radius-sm)' }}>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={700}>{chargeLabel}</Text>
          <Text fz={24} fw={800} className="num" data-testid="quote-charge">
            {format.money(q.chargeCents)}
          </Text>
        </Group>
      </Box>
      {q.creditsLeft.filter((c) => c.remainingCents > 0).length > 0 && (
        <Text size="xs" c="dimmed">
          Left on credits afterwards:{' '}
          {q.creditsLeft
            .filter((c) => c.remainingCents > 0)
            .map((c) => `${c.creditNumber} ${format.money(c.remainingCents)}`)
            .join(', ')}
        </Text>
      )}
    </Stack>
  );
}
