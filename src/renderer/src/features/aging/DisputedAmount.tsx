import { Badge, Stack, Text, Tooltip } from '@mantine/core';
import type { AgingBasisKey } from '../../../../shared/contract/aging';
import { useChannel } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { FitFigure } from '../../components/FitFigure';

/** The customer's disputed invoices with the reasons, asked for when the tooltip opens. */
function DisputeReasons({ customerNumber, asOf, basis }: { customerNumber: string; asOf: string; basis: AgingBasisKey }) {
  const format = useFormat();
  const { data, error } = useChannel('aging.customer', { customerNumber, asOf, basis });
  if (error) return <Text size="xs">The reasons could not be loaded: {error.message}</Text>;
  if (!data) return <Text size="xs">Loading the reasons…</Text>;
  const disputed = data.invoices.filter((i) => i.disputed);
  return (
    <Stack gap={4} maw={360} data-testid="dispute-reasons">
      {disputed.map((i) => (
        <Text key={i.invoiceNumber} size="xs" style={{ whiteSpace: 'normal' }}>
          <Text span fw={700} size="xs">
            {i.invoiceNumber}
          </Text>{' '}
          ({format.money(i.openCents)}): {i.disputeReason?.trim() || 'no reason recorded'}
        </Text>
      ))}
    </Stack>
  );
}

/** The Disputed column's amount; hovering or focusing it tells which invoices and why. */
export function DisputedAmount({ customerNumber, cents, asOf, basis }: { customerNumber: string; cents: number; asOf: string; basis: AgingBasisKey }) {
  const format = useFormat();
  return (
    <Tooltip
      label={<DisputeReasons customerNumber={customerNumber} asOf={asOf} basis={basis} />}
      events={{ hover: true, focus: true, touch: true }}
      withinPortal
      multiline
      position="left"
    >
      <Badge
        size="sm"
        color="yellow"
        variant="light"
        tabIndex={0}
        maw="100%"
        px={6}
        // The whole figure, never cut with an ellipsis: it shrinks to the cell instead (two characters kept for the padding).
        styles={{ label: { overflow: 'visible', textOverflow: 'clip' } }}
        aria-label={`Disputed ${format.money(cents)}: show the reasons`}
      >
        <FitFigure text={format.money(cents)} reserve={2} />
      </Badge>
    </Tooltip>
  );
}
