import { Text, type TextProps } from '@mantine/core';
import { useFormat } from '../lib/settings';

/** An amount from the main process, formatted per the workstation's settings, in tabular figures. */
export function Money({ cents, strong, tone, ...rest }: { cents: number; strong?: boolean; tone?: 'danger' | 'muted' | 'ok' } & TextProps) {
  const format = useFormat();
  const color = tone === 'danger' ? 'red.8' : tone === 'muted' ? 'dimmed' : tone === 'ok' ? 'teal.8' : undefined;
  return (
    <Text span inherit fw={strong ? 700 : undefined} c={color} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }} {...rest}>
      {format.money(cents)}
    </Text>
  );
}
