import { Alert, Anchor, Badge, Box, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type ReactNode } from 'react';
import type { InvoiceDetailDto } from '../../../../shared/contract/invoices';
import { DOCUMENT_READS, LEDGER_READS, useChannel, useWrite } from '../../lib/queries';
import { navigate } from '../../lib/router';
import { useFormat } from '../../lib/settings';
import { DisputedBadge } from '../../components/DisputedBadge';
import { EmailDocumentModal } from '../../components/EmailDocumentModal';
import { ErrorNotice, Loading } from '../../components/states';
import { useDocumentActions } from '../../components/useDocumentActions';
import { ApplicationsTable, InvoiceHistory, InvoiceLinesTable } from './InvoiceTables';
import { ReasonModal } from './ReasonModal';

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Box miw={0}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: '0.03em' }}>
        {label}
      </Text>
      <Box fz="sm" data-testid={testId}>
        {children}
      </Box>
    </Box>
  );
}

function StatusBadge({ status }: { status: InvoiceDetailDto['status'] }) {
  if (status === 'void') return <Badge color="gray.7" variant="filled" data-testid="invoice-status">Void</Badge>;
  if (status === 'paid') return <Badge color="teal" variant="light" data-testid="invoice-status">Paid</Badge>;
  return <Badge color="blue" variant="light" data-testid="invoice-status">Open</Badge>;
}

function ToAccount({ customerNumber }: { customerNumber: string }) {
  return (
    <Anchor
      href={`#/customers/${encodeURIComponent(customerNumber)}`}
      size="sm"
      onClick={(e) => {
        e.preventDefault();
        navigate('customers', customerNumber);
      }}
    >
      ← Back to account {customerNumber}
    </Anchor>
  );
}

type Dialog = 'void' | 'dispute' | 'undispute' | 'email' | null;

/** One invoice: what was billed, what stands against it, what happened to it, and what can be done with it. */
export function InvoiceScreen({ invoiceNumber }: { invoiceNumber: string }) {
  const invoice = useChannel('invoices.get', { invoiceNumber });
  const format = useFormat();
  const [dialog, setDialog] = useState<Dialog>(null);
  const documents = useDocumentActions(`Invoice ${invoiceNumber}`);
  const voidInvoice = useWrite('invoices.void', { invalidates: LEDGER_READS });
  const setDisputed = useWrite('invoices.setDisputed', { invalidates: LEDGER_READS });
  const email = useWrite('documents.emailInvoice', { invalidates: DOCUMENT_READS });

  if (invoice.error) {
    return (
      <Stack gap="md" maw={900}>
        <ErrorNotice title={`Invoice ${invoiceNumber} could not be loaded`} error={invoice.error} onRetry={invoice.reload} />
      </Stack>
    );
  }
  const inv = invoice.data;
  if (!inv) return <Loading what={`invoice ${invoiceNumber}`} />;
  const ref = { kind: 'invoice', invoiceNumber: inv.invoiceNumber } as const;
  const standing = inv.status !== 'void' && inv.totalCents - inv.openCents > 0;
  const done = (title: string, message: string) => {
    setDialog(null);
    notifications.show({ color: 'teal', title, message, closeButtonProps: { 'aria-label': 'Close message' } });
  };

  return (
    <Stack gap="md" maw={1180}>
      <ToAccount customerNumber={inv.customerNumber} />
      <Paper withBorder p="md">
        <Stack gap="md">
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Stack gap={4} miw={0}>
              <Group gap="sm">
                <Title order={2} ff="monospace" data-testid="invoice-number">
                  Invoice {inv.invoiceNumber}
                </Title>
                <StatusBadge status={inv.status} />
              </Group>
              <Text size="sm">
                <Anchor
                  href={`#/customers/${encodeURIComponent(inv.customerNumber)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate('customers', inv.customerNumber);
                  }}
                >
                  {inv.customerName}
                </Anchor>{' '}
                · {inv.customerNumber}
              </Text>
            </Stack>
            <Group gap="xs" wrap="wrap" justify="flex-end" style={{ flexShrink: 1 }}>
              <Button variant="default" loading={documents.busy === 'print'} onClick={() => void documents.printDocument(ref)}>
                Print
              </Button>
              <Button variant="default" onClick={() => setDialog('email')}>
                Email
              </Button>
              <Button variant="default" loading={documents.busy === 'pdf'} onClick={() => void documents.saveDocumentPdf(ref)}>
                Save PDF
              </Button>
              {inv.status !== 'void' &&
                (inv.disputed ? (
                  <Button variant="default" onClick={() => setDialog('undispute')}>
                    Clear dispute
                  </Button>
                ) : (
                  <Button variant="default" color="yellow" onClick={() => setDialog('dispute')}>
                    Mark disputed
                  </Button>
                ))}
              {inv.status !== 'void' && (
                <Button variant="outline" color="red.9" onClick={() => setDialog('void')} data-testid="void-invoice">
                  Void…
                </Button>
              )}
            </Group>
          </Group>
          <Box style={{ display: 'grid', gridTemplateColumns: 'repeat(5, minmax(0, 1fr))', gap: 'var(--mantine-spacing-md)' }}>
            <Field label="Issued">{format.date(inv.issueDate)}</Field>
            <Field label="Due" testId="invoice-due">{format.date(inv.dueDate)}</Field>
            <Field label="Period">
              {inv.periodStart ? `${format.date(inv.periodStart)} – ${format.date(inv.periodEnd)}` : <Text span c="dimmed" size="sm">None</Text>}
            </Field>
            <Field label="Created">
              {format.timestamp(inv.createdAt)} by {inv.createdBy}
            </Field>
            <Field label="Dispute">{inv.disputed ? <DisputedBadge reason={inv.disputeReason} /> : <Text span c="dimmed" size="sm">Not disputed</Text>}</Field>
          </Box>
          {inv.status === 'void' && (
            <Alert color="gray" variant="light" title="This invoice is void" data-testid="invoice-void-notice">
              Voided {inv.voidedAt ? format.timestamp(inv.voidedAt) : ''} by {inv.voidedBy ?? 'unknown'}: {inv.voidReason}
            </Alert>
          )}
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <Title order={3} size="h5" mb="xs">
          Lines
        </Title>
        <InvoiceLinesTable invoice={inv} />
      </Paper>
      <Paper withBorder p="md">
        <Title order={3} size="h5" mb="xs">
          Payments and credits applied
        </Title>
        <ApplicationsTable invoice={inv} />
      </Paper>
      <Paper withBorder p="md">
        <Title order={3} size="h5" mb="xs">
          History
        </Title>
        <InvoiceHistory invoice={inv} />
      </Paper>

      {dialog === 'void' && (
        <ReasonModal
          title={`Void invoice ${inv.invoiceNumber}`}
          question={
            standing
              ? `${format.money(inv.totalCents - inv.openCents)} is applied to this invoice: AR Desk will refuse the void until it is reversed.`
              : `Void ${format.money(inv.totalCents)} billed to ${inv.customerName}? The invoice stays on record, marked void.`
          }
          action="Voiding an invoice"
          confirmLabel="Void the invoice"
          reasonRequired
          danger
          send={(reason, approval) => voidInvoice.mutateAsync({ invoiceNumber: inv.invoiceNumber, reason, ...(approval ? { approval } : {}) })}
          onDone={() => done('Invoice voided', `${inv.invoiceNumber} is void.`)}
          onClose={() => setDialog(null)}
        />
      )}
      {(dialog === 'dispute' || dialog === 'undispute') && (
        <ReasonModal
          title={dialog === 'dispute' ? `Mark ${inv.invoiceNumber} disputed` : `Clear the dispute on ${inv.invoiceNumber}`}
          question={
            dialog === 'dispute'
              ? 'A disputed invoice is left out of Pay All and autopay until the dispute is cleared.'
              : `Disputed because: ${inv.disputeReason ?? 'no reason recorded'}`
          }
          action={dialog === 'dispute' ? 'Marking an invoice disputed' : 'Clearing a dispute'}
          confirmLabel={dialog === 'dispute' ? 'Mark disputed' : 'Clear the dispute'}
          reasonRequired={dialog === 'dispute'}
          send={(reason, approval) =>
            setDisputed.mutateAsync({
              invoiceNumber: inv.invoiceNumber,
              disputed: dialog === 'dispute',
              ...(reason ? { reason } : {}),
              ...(approval ? { approval } : {}),
            })
          }
          onDone={() => done(dialog === 'dispute' ? 'Marked disputed' : 'Dispute cleared', `${inv.invoiceNumber} was updated.`)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'email' && (
        <EmailDocumentModal
          title={`Email invoice ${inv.invoiceNumber}`}
          what={`Invoice ${inv.invoiceNumber}`}
          defaultTo={inv.customerEmail ?? ''}
          send={(to) => email.mutateAsync({ invoiceNumber: inv.invoiceNumber, to })}
          onClose={() => setDialog(null)}
        >
          <Text size="sm">
            Invoice <b>{inv.invoiceNumber}</b> · {format.money(inv.totalCents)} · {inv.customerName}, with the invoice as a PDF.
          </Text>
        </EmailDocumentModal>
      )}
    </Stack>
  );
}

