import { Badge, Stack, Text } from '@mantine/core';

/** The Disputed flag of an invoice with the customer's reason under it, wherever an invoice is listed. */
export function DisputedBadge({ reason, size = 'sm' }: { reason: string | null | undefined; size?: 'xs' | 'sm' }) {
  return (
    <Stack gap={2} align="flex-start" data-testid="disputed">
      <Badge size={size} color="yellow" variant="light">
        Disputed
      </Badge>
      <Text size="xs" c="#7a4a00" style={{ whiteSpace: 'normal' }} data-testid="dispute-reason">
        {reason?.trim() ? reason : 'No reason recorded'}
      </Text>
    </Stack>
  );
}
