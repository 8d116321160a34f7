import { Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { AccountInvoiceDto } from '../../../../shared/contract/customers';
import type { DisputeDto } from '../../../../shared/contract/disputes';
import { useFormat } from '../../lib/settings';
import { Empty } from '../../components/states';
import { InvoiceLink } from '../../components/InvoiceLink';
import { OpenDisputeModal, ResolveDisputeModal } from './DisputeModals';

/**
 * The account's billing disputes, open ones first: what the customer disputes and says, and for a
 * resolved one what was decided (a credit memo, or nothing) and why. Opened here by a clerk,
 * resolved by a supervisor (or a clerk with a supervisor's approval).
 */
export function DisputesPanel({ customerNumber, disputes, openInvoices }: { customerNumber: string; disputes: DisputeDto[]; openInvoices: AccountInvoiceDto[] }) {
  const [opening, setOpening] = useState(false);
  const [resolving, setResolving] = useState<DisputeDto | null>(null);
  return (
    <Stack gap="sm">
      <Group justify="flex-end">
        <Button variant="light" onClick={() => setOpening(true)} data-testid="open-dispute">
          Open dispute
        </Button>
      </Group>
      {disputes.length === 0 ? (
        <Empty title="No disputes">When the customer disputes invoices, open a dispute here with their words.</Empty>
      ) : (
        disputes.map((d) => <DisputeCard key={d.disputeId} dispute={d} onResolve={() => setResolving(d)} />)
      )}
      {opening && <OpenDisputeModal customerNumber={customerNumber} invoices={openInvoices} onClose={() => setOpening(false)} />}
      {resolving && <ResolveDisputeModal dispute={resolving} onClose={() => setResolving(null)} />}
    </Stack>
  );
}

function StatusBadge({ dispute }: { dispute: DisputeDto }) {
  if (dispute.status === 'open') return <Badge color="yellow" variant="light">Open</Badge>;
  return dispute.outcome === 'customer' ? (
    <Badge color="teal" variant="light">Resolved for the customer</Badge>
  ) : (
    <Badge color="gray" variant="light">Resolved against the customer</Badge>
  );
}

function DisputeCard({ dispute: d, onResolve }: { dispute: DisputeDto; onResolve(): void }) {
  const format = useFormat();
  const openCents = d.invoices.reduce((s, i) => s + i.openCents, 0);
  return (
    <Paper withBorder p="sm" data-testid="dispute" data-status={d.status} aria-label={`Dispute ${d.disputeId}`}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Group gap="sm">
            <Text fw={700}>Dispute {d.disputeId}</Text>
            <StatusBadge dispute={d} />
            <Text size="sm" c="dimmed">
              Opened by {d.openedBy} on {format.timestamp(d.openedAt)}
            </Text>
          </Group>
          {d.status === 'open' && (
            <Button size="compact-sm" variant="outline" onClick={onResolve} aria-label={`Resolve dispute ${d.disputeId}`} data-testid="resolve-dispute">
              Resolve
            </Button>
          )}
        </Group>
        <Group gap="lg" data-testid="dispute-invoices">
          {d.invoices.map((i) => (
            <Text size="sm" key={i.invoiceNumber} className="num" ta="left">
              <InvoiceLink invoiceNumber={i.invoiceNumber} /> {format.money(i.openCents)} open of {format.money(i.totalCents)}
            </Text>
          ))}
          {d.invoices.length > 1 && (
            <Text size="sm" fw={600} className="num" ta="left">
              {format.money(openCents)} open in all
            </Text>
          )}
        </Group>
        <Text size="sm" data-testid="dispute-words">
          <Text span c="dimmed">The customer says: </Text>“{d.reason}”
        </Text>
        {d.status === 'resolved' && (
          <Stack gap={2} data-testid="dispute-resolution">
            <Text size="sm">
              {d.outcome === 'customer' && d.creditNumber ? (
                <>
                  Credit memo <b data-testid="dispute-credit-number">{d.creditNumber}</b> for{' '}
                  <b className="num" data-testid="dispute-credit-amount">{format.money(d.creditCents ?? 0)}</b> applied to the invoices.{' '}
                </>
              ) : (
                <>No credit; the invoices returned to normal follow-up. </>
              )}
              <Text span c="dimmed">Why: </Text>
              {d.resolutionReason}
            </Text>
            <Text size="sm" c="dimmed">
              Resolved by {d.resolvedBy}
              {d.resolvedAt ? ` on ${format.timestamp(d.resolvedAt)}` : ''}
            </Text>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
