import { Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import type { SettingsView } from '../../../../shared/contract/settings';
import type { WorkstationSettingsUpdate } from '../../../../shared/settings';
import { formatIsoDate, formatMoney } from '../../lib/format';
import { useChannel } from '../../lib/queries';
import { useSettings } from '../../lib/settings';
import { Loading } from '../../components/states';
import { OfficeLedgerSection } from './OfficeLedgerSection';
import { OfficeSettings } from './OfficeSettings';
import { HouseRulesSection } from './HouseRulesSection';
import { AutopaySection } from './AutopaySection';
import { FollowUpLevelsSection } from './FollowUpLevelsSection';
import { PrintingSection } from './PrintingSection';
import { SettingsSection } from './SettingsSection';
import { useWorkstationForm } from './useSectionForm';
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

function FormatsSection({ view }: { view: SettingsView }) {
  const { form, section } = useWorkstationForm<Form>(view, {
    valuesOf: workstationValues,
    changesOf: (f, changed) => {
      const changes: WorkstationSettingsUpdate = {};
      for (const key of ['timeZone', 'numberFormat', 'dateFormat', 'exportFormat'] as const) if (changed(key)) Object.assign(changes, { [key]: f[key] });
      return changes;
    },
    fields: { timeZone: 'timeZone', numberFormat: 'numberFormat', dateFormat: 'dateFormat', exportFormat: 'exportFormat' },
    notice: { title: 'Formats saved', message: 'This workstation now shows and exports dates and amounts in them.' },
  });
  const values = form.getValues();
  const zones = useMemo(() => timeZones(values.timeZone), [values.timeZone]);
  const locales = LOCALES.some((l) => l.value === values.numberFormat) ? LOCALES : [{ value: values.numberFormat, label: values.numberFormat }, ...LOCALES];

  return (
    <SettingsSection
      id="ws-formats"
      title="Dates and amounts"
      description={`How dates and amounts are shown and exported here. Today is ${formatIsoDate(view.today, values.dateFormat)} in ${values.timeZone}.`}
      saveLabel="Save formats"
      {...section}
    >
      <SimpleGrid cols={2} spacing="md">
        <Select
          label="Time zone"
          description="The office’s, shared by every workstation: decides what “today” is for aging and past-due days"
          data={zones}
          {...form.getInputProps('timeZone')}
          searchable
          allowDeselect={false}
          maxDropdownHeight={280}
        />
        <Select
          label="Number format"
          description={`Amounts look like ${formatMoney(SAMPLE_CENTS, values.numberFormat)}`}
          data={locales}
          {...form.getInputProps('numberFormat')}
          allowDeselect={false}
        />
        <Select
          label="Date format"
          description={`Dates look like ${formatIsoDate(SAMPLE_DATE, values.dateFormat)}`}
          data={DATE_FORMATS.map((f) => ({ value: f, label: `${f} (${formatIsoDate(SAMPLE_DATE, f)})` }))}
          {...form.getInputProps('dateFormat')}
          allowDeselect={false}
        />
        <Select
          label="Export format"
          description="For the aging export and other spreadsheets"
          data={[
            { value: 'csv', label: 'CSV, comma separated, decimal point (1234.50)' },
            { value: 'csv-semicolon', label: 'CSV, semicolon separated, decimal comma (1234,50)' },
          ]}
          {...form.getInputProps('exportFormat')}
          allowDeselect={false}
        />
      </SimpleGrid>
    </SettingsSection>
  );
}

export function SettingsScreen() {
  const { view } = useSettings();
  const role = useChannel('auth.status', {}).data?.session?.user.role;
  if (!view) return <Loading what="settings" />;

  return (
    <Stack gap="md" maw={980}>
      <Title order={2}>Settings</Title>
      <TimeZoneSetup
        view={view}
        zones={timeZones(view.settings.timeZone)}
        // A confirmed zone comes back as new settings; the workstation form starts again from them.
        onConfirmed={() => {}}
      />
      <Stack gap="sm" component="section" aria-labelledby="ws-settings">
        <div>
          <Title order={3} size="h4" id="ws-settings">
            This workstation
          </Title>
          <Text size="sm" c="dimmed">
            Kept on this computer only: how it shows dates and amounts, where it prints, and which ledger it opens. Each part is saved with its own
            button.
          </Text>
        </div>
        <FormatsSection key={view.settings.timeZone} view={view} />
        <PrintingSection view={view} />
        <OfficeLedgerSection view={view} canEdit={role === 'admin'} />
      </Stack>

      <OfficeSettings view={view} />

      <HouseRulesSection view={view} canEdit={role === 'admin'} />
      <AutopaySection view={view} canEdit={role === 'admin'} />
      <FollowUpLevelsSection canEdit={role === 'admin'} />
    </Stack>
  );
}
