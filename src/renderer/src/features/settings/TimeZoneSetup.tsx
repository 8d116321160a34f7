import { Alert, Button, Group, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { SettingsView } from '../../../../shared/contract/settings';
import { toAppError } from '../../lib/api';
import { SETTINGS_READS, useWrite } from '../../lib/queries';

/** "Pacific Standard Time" for America/Los_Angeles, in this window's language; the zone itself when Intl has no name. */
function zoneName(zone: string): string {
  try {
    const part = new Intl.DateTimeFormat(undefined, { timeZone: zone, timeZoneName: 'long' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName');
    return part?.value ?? zone;
  } catch {
    return zone;
  }
}

/**
 * First run: the office's time zone is not yet confirmed. Offers the zone of the letterhead
 * address, or asks for one when the address tells none; nothing changes until the admin says so.
 */
export function TimeZoneSetup({ view, zones, onConfirmed }: { view: SettingsView; zones: string[]; onConfirmed: (next: SettingsView) => void }) {
  const setup = view.timeZoneSetup;
  const suggested = setup.confirmed ? null : setup.suggested;
  const [zone, setZone] = useState<string>(suggested?.timeZone ?? view.settings.timeZone);
  const [problem, setProblem] = useState<string | null>(null);
  const confirm = useWrite('settings.confirmTimeZone', { invalidates: SETTINGS_READS });
  if (setup.confirmed) return null;

  const use = async () => {
    setProblem(null);
    try {
      onConfirmed(await confirm.mutateAsync({ timeZone: zone }));
      notifications.show({ color: 'teal', title: 'Time zone confirmed', message: `“Today” is now the date in ${zone}.` });
    } catch (e) {
      setProblem(toAppError(e).message);
    }
  };

  return (
    <Alert color="yellow" variant="light" title="Which time zone is the office in?" aria-label="Confirm the office's time zone" data-testid="time-zone-setup">
      <Stack gap="sm">
        <Text size="sm">
          {suggested
            ? `The letterhead address (${suggested.place}) is in ${suggested.timeZone} (${zoneName(suggested.timeZone)}). AR Desk uses it only once you confirm it; until then it uses ${view.settings.timeZone}.`
            : `AR Desk cannot tell the office's time zone from the letterhead address. Choose it: until then “today” is the date in ${view.settings.timeZone}.`}{' '}
          The time zone decides what “today” is for aging, past-due days and payment dates.
        </Text>
        <Group align="flex-end">
          <Select
            label="The office is in"
            data={zones.includes(zone) ? zones : [zone, ...zones]}
            value={zone}
            onChange={(v) => v && setZone(v)}
            searchable
            allowDeselect={false}
            maxDropdownHeight={280}
            w={320}
            error={problem}
          />
          <Button onClick={() => void use()} loading={confirm.isPending}>
            Use this time zone
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
