import { Paper, SimpleGrid, Text } from '@mantine/core';
import type { AgingAmounts } from '../../../shared/contract/aging';
import { useFormat } from '../lib/settings';
import { FitFigure } from './FitFigure';

/** The five buckets and their total, as the aging channels answer them. */
export type BucketAmounts = Omit<AgingAmounts, 'unapplied_credits_cents'>;

export const BUCKETS = [
  { key: 'current', label: 'Current' },
  { key: 'days_1_30', label: '1–30 days' },
  { key: 'days_31_60', label: '31–60 days' },
  { key: 'days_61_90', label: '61–90 days' },
  { key: 'days_over_90', label: 'Over 90 days' },
] as const;

/** The five aging buckets and their total as a strip of figures; past-due buckets with money turn red. */
export function AgingBuckets({ amounts, label, extra }: { amounts: BucketAmounts; label: string; extra?: { label: string; cents: number } }) {
  const format = useFormat();
  const cells = [...BUCKETS.map((b) => ({ key: b.key, label: b.label, cents: amounts[b.key] })), { key: 'total', label: 'Total', cents: amounts.total }];
  if (extra) cells.push({ key: 'extra', label: extra.label, cents: extra.cents });
  return (
    <SimpleGrid cols={cells.length} spacing="xs" role="group" aria-label={label}>
      {cells.map((c) => {
        const pastDue = c.key.startsWith('days_') && c.cents > 0;
        return (
          <Paper
            key={c.key}
            withBorder
            px="sm"
            py={8}
            bg={c.key === 'total' ? 'gray.0' : undefined}
            data-testid={`bucket-${c.key}`}
            style={{
              // The figure is sized to its card (below), so $999,999,999.99 fits a card at 1366 px.
              containerType: 'inline-size',
              display: 'flex',
              flexDirection: 'column',
              justifyContent: 'space-between',
              ...(pastDue ? { borderColor: 'var(--mantine-color-red-3)' } : {}),
            }}
          >
            <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: '0.03em' }}>
              {c.label}
            </Text>
            <Text
              size="lg"
              fw={c.key === 'total' ? 700 : 600}
              c={pastDue ? 'red.8' : c.cents === 0 ? 'dimmed' : undefined}
              className="num"
              data-testid={`bucket-${c.key}-amount`}
            >
              <FitFigure text={format.money(c.cents)} />
            </Text>
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}
