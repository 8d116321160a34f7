import { Badge, HoverCard, Stack, Text } from '@mantine/core';
import type { AgingBasisKey } from '../../../../shared/contract/aging';
import { useChannel } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { FitFigure } from '../../components/FitFigure';
import { InvoiceLink } from '../../components/InvoiceLink';

/** The customer's disputed invoices with the reasons, asked for when the card opens. */
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
          <InvoiceLink invoiceNumber={i.invoiceNumber} />{' '}
          ({format.money(i.openCents)}): {i.disputeReason?.trim() || 'no reason recorded'}
        </Text>
      ))}
    </Stack>
  );
}

/** The Disputed column's amount; hovering or focusing it tells which invoices and why, each invoice a link to open it. */
export function DisputedAmount({ customerNumber, cents, asOf, basis }: { customerNumber: string; cents: number; asOf: string; basis: AgingBasisKey }) {
  const format = useFormat();
  return (
    // A card, not a tooltip: it stays open while the pointer moves onto it, so its invoice links can be clicked.
    <HoverCard events={{ hover: true, focus: true, touch: true }} interactive withinPortal position="left" shadow="md">
      <HoverCard.Target>
        <Badge
          size="sm"
          color="yellow"
          variant="light"
          // A button for assistive technology: the card's target carries aria-expanded and aria-haspopup.
          role="button"
          tabIndex={0}
          maw="100%"
          px={6}
          // The whole figure, never cut with an ellipsis: it shrinks to the cell instead (two characters kept for the padding).
          styles={{ label: { overflow: 'visible', textOverflow: 'clip' } }}
          aria-label={`Disputed ${format.money(cents)}: show the reasons`}
        >
          <FitFigure text={format.money(cents)} reserve={2} />
        </Badge>
      </HoverCard.Target>
      <HoverCard.Dropdown p="xs">
        <DisputeReasons customerNumber={customerNumber} asOf={asOf} basis={basis} />
      </HoverCard.Dropdown>
    </HoverCard>
  );
}
