import { SimpleGrid, Stack, Textarea, TextInput, Title, Text } from '@mantine/core';
import type { OfficeSettingsChanges, SettingsView } from '../../../../shared/contract/settings';
import { labelledField } from '../../lib/form';
import { EmailServerSection } from './EmailServerSection';
import { EmailTemplatesSection } from './EmailTemplatesSection';
import { SettingsSection } from './SettingsSection';
import { useOfficeForm } from './useSectionForm';

type LetterheadForm = {
  name: string;
  /** One address line per row, as typed. */
  address: string;
  phone: string;
  email: string;
};

function LetterheadSection({ view }: { view: SettingsView }) {
  const { form, section } = useOfficeForm<LetterheadForm>(view, {
    valuesOf: (v) => {
      const c = v.settings.company;
      return { name: c.name, address: c.addressLines.join('\n'), phone: c.phone, email: c.email };
    },
    changesOf: (f, changed) => {
      const company: NonNullable<OfficeSettingsChanges['company']> = {};
      if (changed('name')) company.name = f.name;
      if (changed('address')) company.addressLines = f.address.split('\n');
      if (changed('phone')) company.phone = f.phone;
      if (changed('email')) company.email = f.email;
      return { company };
    },
    fields: { 'company.name': 'name', 'company.addressLines': 'address', 'company.phone': 'phone', 'company.email': 'email' },
    notice: { title: 'Letterhead saved', message: 'New invoices, statements and confirmations carry it.' },
  });

  return (
    <SettingsSection
      id="office-letterhead"
      title="Letterhead"
      description="The company name, address and contacts at the top of every invoice, statement and confirmation."
      saveLabel="Save letterhead"
      {...section}
    >
      <SimpleGrid cols={2} spacing="md">
        <Stack gap="md">
          <TextInput label="Company name" {...labelledField(form, 'name', 'Company name')} required />
          <TextInput label="Phone" {...labelledField(form, 'phone', 'Phone')} required />
          <TextInput label="Email" description="Where customers write about their bills" type="email" {...labelledField(form, 'email', 'Email')} required />
        </Stack>
        <Textarea
          label="Address"
          description="One line per row, at most 4 (street, then city, state and ZIP)"
          {...labelledField(form, 'address', 'Address')}
          autosize
          minRows={4}
          maxRows={5}
          required
        />
      </SimpleGrid>
    </SettingsSection>
  );
}

type TaxForm = { taxRate: string };

function InvoicesSection({ view }: { view: SettingsView }) {
  const { form, section } = useOfficeForm<TaxForm>(view, {
    valuesOf: (v) => ({ taxRate: v.defaultTaxRatePercent }),
    // The typed text goes to main as it is: main turns it into basis points, never through a float.
    changesOf: (f, changed) => (changed('taxRate') ? { defaultTaxRatePercent: f.taxRate } : {}),
    fields: { defaultTaxRatePercent: 'taxRate' },
    notice: { title: 'Tax rate saved', message: 'New invoices start with it.' },
  });

  return (
    <SettingsSection
      id="office-invoices"
      title="Invoices"
      description="The tax rate new invoices start with. Printers, copies and paper are chosen per workstation, above."
      saveLabel="Save tax rate"
      {...section}
    >
      <TextInput
        label="Tax rate for new invoices"
        description="Percent, up to two decimals (e.g. 8.25)"
        {...labelledField(form, 'taxRate', 'Tax rate')}
        rightSection={<Text size="sm" c="dimmed" aria-hidden>%</Text>}
        inputMode="decimal"
        maw={300}
      />
    </SettingsSection>
  );
}

/** The office's letterhead, outgoing mail, templates and tax rate: each part saved on its own. */
export function OfficeSettings({ view }: { view: SettingsView }) {
  return (
    <Stack gap="sm" component="section" aria-labelledby="office-settings">
      <div>
        <Title order={3} size="h4" id="office-settings">
          Office
        </Title>
        <Text size="sm" c="dimmed">
          What the office's documents and emails say and how they go out. Each part is saved with its own button.
        </Text>
      </div>
      <LetterheadSection view={view} />
      <EmailServerSection view={view} />
      <EmailTemplatesSection view={view} />
      <InvoicesSection view={view} />
    </Stack>
  );
}
