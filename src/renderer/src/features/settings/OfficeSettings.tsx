import { SimpleGrid, Stack, Switch, Textarea, TextInput, Title, Text } from '@mantine/core';
import { useState } from 'react';
import type { OfficeSettingsChanges, SettingsView } from '../../../../shared/contract/settings';
import { fieldMessage } from '../../lib/fieldErrors';
import { EmailServerSection } from './EmailServerSection';
import { EmailTemplatesSection } from './EmailTemplatesSection';
import { SettingsSection } from './SettingsSection';
import { useOfficeSave } from './useOfficeSave';

interface LetterheadForm {
  name: string;
  /** One address line per row, as typed. */
  address: string;
  phone: string;
  email: string;
}

function letterheadOf(view: SettingsView): LetterheadForm {
  const c = view.settings.company;
  return { name: c.name, address: c.addressLines.join('\n'), phone: c.phone, email: c.email };
}

function LetterheadSection({ view }: { view: SettingsView }) {
  const [saved, setSaved] = useState(() => letterheadOf(view));
  const [form, setForm] = useState(saved);
  const { errors, problem, saving, save } = useOfficeSave();
  const dirty = JSON.stringify(form) !== JSON.stringify(saved);
  const set = (k: keyof LetterheadForm) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [k]: e.currentTarget.value });

  const onSave = async () => {
    const company: NonNullable<OfficeSettingsChanges['company']> = {};
    if (form.name !== saved.name) company.name = form.name;
    if (form.address !== saved.address) company.addressLines = form.address.split('\n');
    if (form.phone !== saved.phone) company.phone = form.phone;
    if (form.email !== saved.email) company.email = form.email;
    const next = await save({ company }, { title: 'Letterhead saved', message: 'New invoices, statements and confirmations carry it.' });
    if (next) {
      setSaved(letterheadOf(next));
      setForm(letterheadOf(next));
    }
  };

  return (
    <SettingsSection
      id="office-letterhead"
      title="Letterhead"
      description="The company name, address and contacts at the top of every invoice, statement and confirmation."
      problem={problem}
      dirty={dirty}
      saving={saving}
      saveLabel="Save letterhead"
      onSave={() => void onSave()}
      onUndo={() => setForm(saved)}
    >
      <SimpleGrid cols={2} spacing="md">
        <Stack gap="md">
          <TextInput label="Company name" value={form.name} onChange={set('name')} error={fieldMessage(errors['company.name'], 'Company name')} required />
          <TextInput label="Phone" value={form.phone} onChange={set('phone')} error={fieldMessage(errors['company.phone'], 'Phone')} required />
          <TextInput
            label="Email"
            description="Where customers write about their bills"
            type="email"
            value={form.email}
            onChange={set('email')}
            error={fieldMessage(errors['company.email'], 'Email')}
            required
          />
        </Stack>
        <Textarea
          label="Address"
          description="One line per row, at most 4 (street, then city, state and ZIP)"
          value={form.address}
          onChange={set('address')}
          error={fieldMessage(errors['company.addressLines'], 'Address')}
          autosize
          minRows={4}
          maxRows={5}
          required
        />
      </SimpleGrid>
    </SettingsSection>
  );
}

interface DocumentsForm {
  silent: boolean;
  taxRate: string;
}

function documentsOf(view: SettingsView): DocumentsForm {
  return { silent: view.settings.printing.silent, taxRate: view.defaultTaxRatePercent };
}

function PrintingAndTaxSection({ view }: { view: SettingsView }) {
  const [saved, setSaved] = useState(() => documentsOf(view));
  const [form, setForm] = useState(saved);
  const { errors, problem, saving, save } = useOfficeSave();
  const dirty = form.silent !== saved.silent || form.taxRate !== saved.taxRate;

  const onSave = async () => {
    const changes: OfficeSettingsChanges = {};
    if (form.silent !== saved.silent) changes.printing = { silent: form.silent };
    // The typed text goes to main as it is: main turns it into basis points, never through a float.
    if (form.taxRate !== saved.taxRate) changes.defaultTaxRatePercent = form.taxRate;
    const next = await save(changes, { title: 'Printing and tax saved', message: 'They apply from the next document or invoice.' });
    if (next) {
      setSaved(documentsOf(next));
      setForm(documentsOf(next));
    }
  };

  return (
    <SettingsSection
      id="office-printing"
      title="Printing and invoices"
      description="How documents are printed and the tax rate new invoices start with."
      problem={problem}
      dirty={dirty}
      saving={saving}
      saveLabel="Save printing and tax"
      onSave={() => void onSave()}
      onUndo={() => setForm(saved)}
    >
      <SimpleGrid cols={2} spacing="md">
        <Switch
          label="Print silently to the default printer"
          description="Off: the print dialog opens for every document, so the clerk can choose a printer."
          checked={form.silent}
          onChange={(e) => setForm({ ...form, silent: e.currentTarget.checked })}
        />
        <TextInput
          label="Tax rate for new invoices"
          description="Percent, up to two decimals (e.g. 8.25)"
          value={form.taxRate}
          onChange={(e) => setForm({ ...form, taxRate: e.currentTarget.value })}
          rightSection={<Text size="sm" c="dimmed" aria-hidden>%</Text>}
          inputMode="decimal"
          maw={300}
          error={fieldMessage(errors.defaultTaxRatePercent, 'Tax rate')}
        />
      </SimpleGrid>
    </SettingsSection>
  );
}

/** The office's letterhead, outgoing mail, templates, printing and tax rate: each part saved on its own. */
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
      <PrintingAndTaxSection view={view} />
    </Stack>
  );
}
