import { Box, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** One labelled value of the account's header and strips: a small uppercase label over the value, which wraps anywhere. */
export function AccountField({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Box miw={0}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: '0.03em' }}>
        {label}
      </Text>
      <Box fz="sm" data-testid={testId} style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Box>
    </Box>
  );
}
