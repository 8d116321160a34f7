import { Badge, Group, Paper, Radio, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import type { OfficeSettingsChanges, SettingsView } from '../../../../shared/contract/settings';
import { centsToDecimalString } from '../../../../shared/money';
import { formatMoney } from '../../lib/format';
import { labelledField } from '../../lib/form';
import { SettingsSection } from './SettingsSection';
import { useOfficeForm } from './useSectionForm';

type Policy = SettingsView['settings']['policy'];

type HouseRulesForm = {
  exactInvoicePayments: boolean;
  overpayment: Policy['overpayment'];
  /** The limit as typed ("25.00"); main reads it as money. */
  writeOffLimit: string;
  lateGraceDays: string;
  billingLeadDays: string;
  invoiceDelivery: Policy['invoiceDelivery'];
};

const exactText = (on: boolean) =>
  on ? 'On — every invoice selected for payment is paid in full; no partial payments.' : 'Off — the last invoice of a payment may be paid in part.';
const overpaymentText = (o: Policy['overpayment']) =>
  o === 'refuse' ? 'Refused — a payment may not exceed what the selected invoices owe.' : 'Kept on the account as an unapplied credit.';
const deliveryText = (d: Policy['invoiceDelivery']) =>
  d === 'email' ? 'By email, the PDF to the billing email.' : d === 'paper' ? 'On paper, printed for a window envelope.' : 'By email and on paper.';
const graceText = (days: number) =>
  days === 0 ? 'None — an invoice is late the day after it is due.' : `${days} ${days === 1 ? 'day' : 'days'} after the due date.`;
const leadText = (days: number) =>
  days === 0 ? 'On the day each period starts.' : `${days} ${days === 1 ? 'day' : 'days'} before each period starts.`;

/** Who changed the office's settings last, in words, or nothing before the record was read. */
function lastSaved(view: SettingsView): string {
  return view.office ? ` Last saved by ${view.office.updatedBy}.` : '';
}

function HouseRulesEditor({ view }: { view: SettingsView }) {
  const { form, section } = useOfficeForm<HouseRulesForm>(view, {
    valuesOf: (v) => ({
      exactInvoicePayments: v.settings.policy.exactInvoicePayments,
      overpayment: v.settings.policy.overpayment,
      writeOffLimit: centsToDecimalString(v.settings.policy.writeOffLimitCents),
      lateGraceDays: String(v.settings.policy.lateGraceDays),
      billingLeadDays: String(v.settings.policy.billingLeadDays),
      invoiceDelivery: v.settings.policy.invoiceDelivery,
    }),
    // The limit and the days go to main as typed: main reads the money without a float and says what is wrong at the field.
    changesOf: (f, changed) => {
      const policy: NonNullable<OfficeSettingsChanges['policy']> = {};
      if (changed('exactInvoicePayments')) policy.exactInvoicePayments = f.exactInvoicePayments;
      if (changed('overpayment')) policy.overpayment = f.overpayment;
      if (changed('writeOffLimit')) policy.writeOffLimit = f.writeOffLimit;
      if (changed('lateGraceDays')) policy.lateGraceDays = f.lateGraceDays;
      if (changed('billingLeadDays')) policy.billingLeadDays = f.billingLeadDays;
      if (changed('invoiceDelivery')) policy.invoiceDelivery = f.invoiceDelivery;
      return { policy };
    },
    fields: {
      'policy.exactInvoicePayments': 'exactInvoicePayments',
      'policy.overpayment': 'overpayment',
      'policy.writeOffLimit': 'writeOffLimit',
      'policy.lateGraceDays': 'lateGraceDays',
      'policy.billingLeadDays': 'billingLeadDays',
      'policy.invoiceDelivery': 'invoiceDelivery',
    },
    notice: { title: 'House rules saved', message: 'Every workstation of the office now works by them.' },
  });

  return (
    <SettingsSection
      id="house-rules"
      title="House rules"
      description={`How payments are taken, invoices delivered and subscriptions invoiced, and write-offs and follow-up judged, for every workstation of the office.${lastSaved(view)}`}
      saveLabel="Save house rules"
      {...section}
    >
      <Stack gap="md">
        <Switch
          label="Exact invoice payments"
          description="On: every invoice selected for payment is paid in full. Off: the last invoice of a payment may be paid in part."
          {...form.getInputProps('exactInvoicePayments', { type: 'checkbox' })}
        />
        <Radio.Group label="A payment larger than the selected invoices owe" {...form.getInputProps('overpayment')}>
          <Group mt={6} gap="lg">
            <Radio value="refuse" label="Refuse it" />
            <Radio value="unapplied_credit" label="Keep the rest on the account" />
          </Group>
        </Radio.Group>
        <SimpleGrid cols={2} spacing="md">
          <TextInput
            label="Write-off limit"
            description="The largest balance a supervisor may write off, in dollars (e.g. 25.00)"
            {...labelledField(form, 'writeOffLimit', 'Write-off limit')}
            leftSection={<Text size="sm" c="dimmed" aria-hidden>$</Text>}
            inputMode="decimal"
            maw={300}
          />
          <TextInput
            label="Late-payment grace days"
            description="Days after the due date before an invoice counts as late for follow-up (0 to 90)"
            {...labelledField(form, 'lateGraceDays', 'Grace days')}
            inputMode="numeric"
            maw={300}
          />
          <TextInput
            label="Create invoices ahead (days)"
            description="How many days before a subscription period starts the billing run invoices it (0 to 30)"
            {...labelledField(form, 'billingLeadDays', 'Days ahead')}
            inputMode="numeric"
            maw={300}
          />
        </SimpleGrid>
        <Radio.Group
          label="Invoices from the billing run, unless the account says otherwise"
          description="Email needs a billing email on file; a customer without one waits in the outbox for the clerk to enter it."
          {...form.getInputProps('invoiceDelivery')}
        >
          <Group mt={6} gap="lg">
            <Radio value="email" label="By email" />
            <Radio value="paper" label="On paper, by mail" />
            <Radio value="both" label="Both" />
          </Group>
        </Radio.Group>
      </Stack>
    </SettingsSection>
  );
}

function HouseRulesReadOnly({ view }: { view: SettingsView }) {
  const p = view.settings.policy;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="house-rules">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4} size="h5" id="house-rules">
            House rules
          </Title>
          <Badge variant="light" color="gray">
            Read only
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          How payments are taken and write-offs and follow-up are judged, the same at every workstation of the office. Only an administrator can
          change them; ask yours if one should change.
        </Text>
        <Table verticalSpacing={6} data-testid="house-rules">
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={280}>Exact invoice payments</Table.Th>
              <Table.Td>{exactText(p.exactInvoicePayments)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Overpayment</Table.Th>
              <Table.Td>{overpaymentText(p.overpayment)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Write-off limit</Table.Th>
              <Table.Td>
                {p.writeOffLimitCents === 0
                  ? 'None — no balance may be written off.'
                  : `Up to ${formatMoney(p.writeOffLimitCents, view.settings.numberFormat)} by a supervisor.`}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Late-payment grace days</Table.Th>
              <Table.Td>{graceText(p.lateGraceDays)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Subscription invoices created</Table.Th>
              <Table.Td>{leadText(p.billingLeadDays)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Invoice delivery</Table.Th>
              <Table.Td>{deliveryText(p.invoiceDelivery)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

/** The office's house rules: an administrator edits them; clerks and supervisors read them, and are told who can change them. */
export function HouseRulesSection({ view, canEdit }: { view: SettingsView; canEdit: boolean }) {
  return canEdit ? <HouseRulesEditor view={view} /> : <HouseRulesReadOnly view={view} />;
}
