import { Stack, Text, Title } from '@mantine/core';

export function ComingScreen({ title }: { title: string }) {
  return (
    <Stack>
      <Title order={2}>{title}</Title>
      <Text c="dimmed">This screen is coming.</Text>
    </Stack>
  );
}
