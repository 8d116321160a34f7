import { Text } from '@mantine/core';

/** How long an invoice is past due, in words; darker and bolder the older it is. */
export function DaysPastDue({ days }: { days: number }) {
  if (days <= 0) return <Text span size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>Not yet due</Text>;
  // Dark enough to read on a selected (tinted) row as well as on white.
  const color = days > 30 ? 'red.9' : '#b03d0a';
  return (
    <Text span size="sm" c={color} fw={600} style={{ whiteSpace: 'nowrap' }}>
      {days} {days === 1 ? 'day' : 'days'}
    </Text>
  );
}
