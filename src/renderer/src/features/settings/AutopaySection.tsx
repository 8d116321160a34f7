import { Badge, Group, Paper, Radio, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { OfficeSettingsChanges, SettingsView } from '../../../../shared/contract/settings';
import { labelledField } from '../../lib/form';
import { SettingsSection } from './SettingsSection';
import { useOfficeForm } from './useSectionForm';

type Policy = SettingsView['settings']['policy'];

type AutopayForm = {
  chargeOn: Policy['autopayChargeOn'];
  /** The days as typed ("1, 9, 13, 20"); main reads them and says what is wrong at the field. */
  retryDays: string;
};

const chargeOnText = (on: Policy['autopayChargeOn']) =>
  on === 'due_date' ? 'On the due date of each invoice.' : 'On the invoice date, as soon as the invoice is created.';
const retryText = (days: number[]) =>
  days.length === 0
    ? 'Never — a declined charge is not tried again; the customer is told once.'
    : `${days.join(', ')} ${days.length === 1 && days[0] === 1 ? 'day' : 'days'} after the first decline (${days.length} ${days.length === 1 ? 'retry' : 'retries'}).`;

function lastSaved(view: SettingsView): string {
  return view.office ? ` Last saved by ${view.office.updatedBy}.` : '';
}

function AutopayEditor({ view }: { view: SettingsView }) {
  const { form, section } = useOfficeForm<AutopayForm>(view, {
    valuesOf: (v) => ({ chargeOn: v.settings.policy.autopayChargeOn, retryDays: v.settings.policy.autopayRetryDays.join(', ') }),
    changesOf: (f, changed) => {
      const policy: NonNullable<OfficeSettingsChanges['policy']> = {};
      if (changed('chargeOn')) policy.autopayChargeOn = f.chargeOn;
      if (changed('retryDays')) policy.autopayRetryDays = f.retryDays;
      return { policy };
    },
    fields: { 'policy.autopayChargeOn': 'chargeOn', 'policy.autopayRetryDays': 'retryDays' },
    notice: { title: 'Autopay saved', message: 'The daily billing run charges and retries by it from its next run.' },
  });

  return (
    <SettingsSection
      id="autopay-rules"
      title="Autopay"
      description={`When the daily billing run charges an autopay customer's invoices, and when it tries a declined charge again. A lost or stolen card is never retried.${lastSaved(view)}`}
      saveLabel="Save autopay"
      {...section}
    >
      <Stack gap="md">
        <Radio.Group label="Charge an autopay customer's invoice" {...form.getInputProps('chargeOn')}>
          <Group mt={6} gap="lg">
            <Radio value="due_date" label="On its due date" />
            <Radio value="invoice_date" label="On its invoice date" />
          </Group>
        </Radio.Group>
        <TextInput
          label="Retry a declined charge"
          description="Days after the first decline, separated by commas, in increasing order (1 to 60, at most 8 retries; empty: never retry)"
          placeholder="1, 9, 13, 20"
          {...labelledField(form, 'retryDays', 'Retry days')}
          inputMode="numeric"
          maw={460}
        />
      </Stack>
    </SettingsSection>
  );
}

function AutopayReadOnly({ view }: { view: SettingsView }) {
  const p = view.settings.policy;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="autopay-rules">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4} size="h5" id="autopay-rules">
            Autopay
          </Title>
          <Badge variant="light" color="gray">
            Read only
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          When the daily billing run charges autopay customers and retries a declined charge. Only an administrator can change this; ask yours if
          it should change.
        </Text>
        <Table verticalSpacing={6} data-testid="autopay-rules">
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={280}>Charged</Table.Th>
              <Table.Td>{chargeOnText(p.autopayChargeOn)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Declined charges retried</Table.Th>
              <Table.Td>{retryText(p.autopayRetryDays)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

/** The office's autopay rules: an administrator edits them; clerks and supervisors read them. */
export function AutopaySection({ view, canEdit }: { view: SettingsView; canEdit: boolean }) {
  return canEdit ? <AutopayEditor view={view} /> : <AutopayReadOnly view={view} />;
}
