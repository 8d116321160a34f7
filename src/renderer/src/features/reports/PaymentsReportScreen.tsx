import { Alert, Button, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useState } from 'react';
import type { PaymentsReport } from '../../../../shared/contract/reports';
import { paymentsReportCsv } from '../../../../shared/paymentsReportCsv';
import { call, toAppError } from '../../lib/api';
import { downloadText, savePdf } from '../../lib/download';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { parseDisplayDate } from '../../lib/format';
import { useChannel } from '../../lib/queries';
import { useFormat, useSettings, useToday } from '../../lib/settings';
import { ErrorNotice, Loading } from '../../components/states';
import { InvoiceLink } from '../../components/InvoiceLink';
import { AmountsTable } from './AmountsTable';

const TYPE_LABELS = { payment: 'Payment', void: 'Void', refund: 'Refund' } as const;

/** Reports → Payments: a range of business dates, totals by method and by clerk, the lines; CSV and PDF. */
export function PaymentsReportScreen() {
  const { settings } = useSettings();
  const format = useFormat();
  const today = useToday();
  // Today until the clerk picks dates (main's business date, which arrives with the settings).
  const [chosenFrom, setFrom] = useState<string | undefined>(undefined);
  const [chosenTo, setTo] = useState<string | undefined>(undefined);
  const from = chosenFrom ?? today;
  const to = chosenTo ?? today;
  const [pdfBusy, setPdfBusy] = useState(false);
  const [pdfProblem, setPdfProblem] = useState<string | null>(null);
  const reversed = from > to;
  const report = useChannel('reports.payments', reversed ? null : { from, to });
  const data = report.data ?? report.previous;
  const fields = report.error ? fieldErrorsOf(report.error) : {};
  const dateInput = (label: string, value: string, set: (v: string) => void, error?: string) => (
    <DateInput
      label={label}
      value={value}
      onChange={(v) => v && set(v)}
      valueFormat={settings.dateFormat}
      dateParser={(text) => parseDisplayDate(text, settings.dateFormat)}
      w={170}
      error={error}
      popoverProps={{ withinPortal: true }}
    />
  );

  const exportCsv = async () => {
    if (!data) return;
    // The screen holds the first lines; the file holds every line of the range.
    const full = data.linesNotShown > 0 ? await call('reports.payments', { from: data.from, to: data.to }) : data;
    downloadText(`payments-${data.from}-to-${data.to}.csv`, paymentsReportCsv(full, settings.exportFormat), 'text/csv;charset=utf-8');
  };
  const savePdfFile = async () => {
    if (!data) return;
    setPdfBusy(true);
    setPdfProblem(null);
    try {
      savePdf(await call('reports.paymentsPdf', { from: data.from, to: data.to }));
    } catch (e) {
      setPdfProblem(toAppError(e).message);
    } finally {
      setPdfBusy(false);
    }
  };

  return (
    <Stack gap="md">
      <Group align="flex-end" justify="space-between">
        <Group align="flex-end">
          {dateInput('From', from, setFrom, fields.from)}
          {dateInput('To', to, setTo, reversed ? 'Must be on or after From' : fields.to)}
        </Group>
        <Group>
          <Button variant="default" onClick={() => void exportCsv()} disabled={!data || data.payments.length === 0}>
            Export CSV
          </Button>
          <Button variant="default" onClick={() => void savePdfFile()} loading={pdfBusy} disabled={!data}>
            Save PDF
          </Button>
        </Group>
      </Group>
      {pdfProblem && (
        <Alert color="red" variant="light" role="alert">
          {pdfProblem}
        </Alert>
      )}
      {report.error && Object.keys(fields).length === 0 && <ErrorNotice title="The payments report could not be produced" error={report.error} onRetry={report.reload} />}
      {!data && !report.error && !reversed && <Loading what="the payments report" />}
      {data && <ReportBody data={data} format={format} />}
    </Stack>
  );
}

function ReportBody({ data, format }: { data: PaymentsReport; format: ReturnType<typeof useFormat> }) {
  const t = data.totals;
  const range = data.from === data.to ? format.date(data.from) : `${format.date(data.from)} to ${format.date(data.to)}`;
  return (
    <Stack gap="md">
      <Paper withBorder p="sm" data-testid="payments-report-totals">
        <Text size="sm" c="dimmed" mb={6}>
          Business dates {range}
        </Text>
        <SimpleGrid cols={4}>
          <Figure label="Captured" value={format.money(t.capturedCents)} />
          <Figure label="Refunded" value={format.money(-t.refundedCents)} />
          <Figure label="Voided" value={format.money(-t.voidedCents)} />
          <Figure label="Net" value={format.money(t.netCents)} strong />
        </SimpleGrid>
      </Paper>
      <Stack gap="md">
        <AmountsTable caption="By payment method" first="Method" testId="payments-by-method" totals={t} rows={t.byMethod.map((m) => ({ ...m, key: m.method, label: m.label }))} />
        <AmountsTable caption="By clerk" first="Clerk" testId="payments-by-clerk" totals={t} rows={t.byClerk.map((c) => ({ ...c, key: c.clerk, label: c.name ? `${c.name} (${c.clerk})` : c.clerk }))} />
      </Stack>
      <Table striped withTableBorder data-testid="payments-report-lines">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Date</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Confirmation</Table.Th>
            <Table.Th>Customer</Table.Th>
            <Table.Th>Method</Table.Th>
            <Table.Th>Clerk</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.payments.map((l) => (
            <Table.Tr key={`${l.paymentId}-${l.reversalId ?? 0}`}>
              <Table.Td>{format.date(l.businessDate)}</Table.Td>
              <Table.Td>{TYPE_LABELS[l.type]}</Table.Td>
              <Table.Td>{l.confirmationNumber ?? '—'}</Table.Td>
              <Table.Td>
                {l.customerNumber} {l.customerName}
              </Table.Td>
              <Table.Td>{l.method}</Table.Td>
              <Table.Td>{l.clerk}</Table.Td>
              <Table.Td ta="right" c={l.amountCents < 0 ? 'red.9' : undefined}>
                {format.money(l.amountCents)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {data.linesNotShown > 0 && (
        <Text size="sm" c="dimmed">
          {data.linesNotShown} more lines are in the CSV and the PDF; the totals above cover the whole range.
        </Text>
      )}
      {data.writeOffs.length > 0 && (
        <Table striped withTableBorder data-testid="payments-report-write-offs">
          <Table.Caption>Write-offs: balances let go, not payments, and in none of the totals above</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th>Invoice</Table.Th>
              <Table.Th>Customer</Table.Th>
              <Table.Th>Clerk</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th ta="right">Written off</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.writeOffs.map((w, i) => (
              <Table.Tr key={`${w.invoiceNumber}-${i}`}>
                <Table.Td>{format.date(w.writtenOn)}</Table.Td>
                <Table.Td>
                  <InvoiceLink invoiceNumber={w.invoiceNumber} />
                </Table.Td>
                <Table.Td>
                  {w.customerNumber} {w.customerName}
                </Table.Td>
                <Table.Td>{w.approvedBy ? `${w.clerk} (approved by ${w.approvedBy})` : w.clerk}</Table.Td>
                <Table.Td>{w.reason}</Table.Td>
                <Table.Td ta="right">{format.money(w.amountCents)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function Figure({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size={strong ? 'xl' : 'lg'} fw={strong ? 700 : 500} data-testid={`payments-report-${label.toLowerCase()}`}>
        {value}
      </Text>
    </Stack>
  );
}
