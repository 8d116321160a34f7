import { Alert, Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useForm } from '@mantine/form';
import { useEffect, useMemo, useState } from 'react';
import type { SettingsView } from '../../../../shared/contract/settings';
import type { WorkstationSettingsUpdate } from '../../../../shared/settings';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { startFrom } from '../../lib/form';
import { SETTINGS_READS, useWrite } from '../../lib/queries';
import { formatIsoDate, formatMoney } from '../../lib/format';
import { useSettings } from '../../lib/settings';
import { Loading } from '../../components/states';
import { OfficeSettings } from './OfficeSettings';
import { TimeZoneSetup } from './TimeZoneSetup';

const LOCALES: { value: string; label: string }[] = [
  { value: 'en-US', label: 'English (United States)' },
  { value: 'en-CA', label: 'English (Canada)' },
  { value: 'en-GB', label: 'English (United Kingdom)' },
  { value: 'fr-CA', label: 'French (Canada)' },
  { value: 'es-US', label: 'Spanish (United States)' },
  { value: 'es-MX', label: 'Spanish (Mexico)' },
  { value: 'de-DE', label: 'German (Germany)' },
  { value: 'fr-FR', label: 'French (France)' },
];

const DATE_FORMATS = ['MM/DD/YYYY', 'DD/MM/YYYY', 'YYYY-MM-DD', 'MMM D, YYYY'] as const;
type Form = Required<WorkstationSettingsUpdate>;

const SAMPLE_DATE = '2026-03-28';
const SAMPLE_CENTS = 123456789;

function workstationValues(view: SettingsView): Form {
  const s = view.settings;
  return { timeZone: s.timeZone, numberFormat: s.numberFormat, dateFormat: s.dateFormat, exportFormat: s.exportFormat };
}

function timeZones(current: string): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  return zones.includes(current) ? zones : [current, ...zones];
}

export function SettingsScreen() {
  const { view } = useSettings();
  const workstation = useForm<Form>({ clearInputErrorOnChange: false });
  const [problem, setProblem] = useState<string | null>(null);
  const update = useWrite('settings.update', { invalidates: SETTINGS_READS });
  const saving = update.isPending;

  // The form starts from the settings once they have loaded; later answers do not overwrite what is being typed.
  useEffect(() => {
    if (view) workstation.initialize(workstationValues(view));
  }, [view]);

  const form = workstation.getValues();
  const zones = useMemo(() => timeZones(form.timeZone ?? 'America/New_York'), [form.timeZone]);
  if (!view || !workstation.initialized) return <Loading what="settings" />;
  const s = view.settings;
  const locales = LOCALES.some((l) => l.value === form.numberFormat) ? LOCALES : [{ value: form.numberFormat, label: form.numberFormat }, ...LOCALES];
  const dirty = workstation.isDirty();

  const save = async () => {
    setProblem(null);
    try {
      const next = await update.mutateAsync({ changes: form });
      startFrom(workstation, workstationValues(next));
      notifications.show({ color: 'teal', title: 'Settings saved', message: 'This workstation now uses the new formats.' });
    } catch (e) {
      workstation.setErrors(fieldErrorsOf(e, 'changes.'));
      setProblem(toAppError(e).message);
    }
  };

  return (
    <Stack gap="md" maw={980}>
      <Title order={2}>Settings</Title>
      <TimeZoneSetup
        view={view}
        zones={zones}
        onConfirmed={(next) => {
          // The workstation form shows the confirmed zone, and keeps whatever else is being typed.
          workstation.setFieldValue('timeZone', next.settings.timeZone);
          workstation.resetDirty(workstationValues(next));
        }}
      />
      <Paper withBorder p="md" component="section" aria-labelledby="ws-settings">
        <Stack gap="md">
          <div>
            <Title order={3} size="h4" id="ws-settings">
              This workstation
            </Title>
            <Text size="sm" c="dimmed">
              How dates and amounts are shown and exported here. Today is {formatIsoDate(view.today, form.dateFormat)} in {form.timeZone}.
            </Text>
          </div>
          {problem && (
            <Alert color="red" variant="light" role="alert">
              {problem}
            </Alert>
          )}
          <SimpleGrid cols={2} spacing="md">
            <Select
              label="Time zone"
              description="Decides what “today” is for aging and past-due days"
              data={zones}
              {...workstation.getInputProps('timeZone')}
              searchable
              allowDeselect={false}
              maxDropdownHeight={280}
            />
            <Select
              label="Number format"
              description={`Amounts look like ${formatMoney(SAMPLE_CENTS, form.numberFormat)}`}
              data={locales}
              {...workstation.getInputProps('numberFormat')}
              allowDeselect={false}
            />
            <Select
              label="Date format"
              description={`Dates look like ${formatIsoDate(SAMPLE_DATE, form.dateFormat)}`}
              data={DATE_FORMATS.map((f) => ({ value: f, label: `${f} (${formatIsoDate(SAMPLE_DATE, f)})` }))}
              {...workstation.getInputProps('dateFormat')}
              allowDeselect={false}
            />
            <Select
              label="Export format"
              description="For the aging export and other spreadsheets"
              data={[
                { value: 'csv', label: 'CSV, comma separated, decimal point (1234.50)' },
                { value: 'csv-semicolon', label: 'CSV, semicolon separated, decimal comma (1234,50)' },
              ]}
              {...workstation.getInputProps('exportFormat')}
              allowDeselect={false}
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" disabled={!dirty || saving} onClick={() => workstation.reset()}>
              Undo changes
            </Button>
            <Button onClick={() => void save()} disabled={!dirty} loading={saving}>
              Save settings
            </Button>
          </Group>
        </Stack>
      </Paper>

      <OfficeSettings view={view} />

      <Paper withBorder p="md" component="section" aria-labelledby="house-rules">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={3} size="h4" id="house-rules">
              House rules
            </Title>
            <Badge variant="light" color="gray">
              Read only
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            How payments are taken, set for the whole office in its configuration file. Ask your supervisor to change them.
          </Text>
          <Table verticalSpacing={6} data-testid="house-rules">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={280}>Exact invoice payments</Table.Th>
                <Table.Td>
                  {s.policy.exactInvoicePayments
                    ? 'On — every invoice selected for payment is paid in full; no partial payments.'
                    : 'Off — the last invoice of a payment may be paid in part.'}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Overpayment</Table.Th>
                <Table.Td>
                  {s.policy.overpayment === 'refuse'
                    ? 'Refused — a payment may not exceed what the selected invoices owe.'
                    : 'Kept on the account as an unapplied credit.'}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Stack>
      </Paper>
    </Stack>
  );
}
