import { Box, Code, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import {
  TEMPLATE_PLACEHOLDERS,
  type EmailTemplateKey,
  type OfficeSettingsChanges,
  type SettingsView,
  type TemplatePlaceholder,
} from '../../../../shared/contract/settings';
import { labelledField } from '../../lib/form';
import { SettingsSection } from './SettingsSection';
import { useOfficeForm } from './useSectionForm';

type TemplatesForm = Record<EmailTemplateKey, string>;

const KEYS: EmailTemplateKey[] = ['confirmationSubject', 'confirmationBody', 'statementSubject', 'statementBody', 'invoiceSubject', 'invoiceBody', 'followUpSubject', 'followUpBody',
  'autopayReceiptSubject', 'autopayReceiptBody', 'autopayDeclineSubject', 'autopayDeclineBody', 'cardExpiringSubject', 'cardExpiringBody'];

function Placeholders({ list, labelledBy }: { list: TemplatePlaceholder[]; labelledBy: string }) {
  return (
    <Box component="ul" aria-labelledby={labelledBy} m={0} p={0} style={{ listStyle: 'none' }}>
      {list.map((p) => (
        <Text component="li" size="xs" key={p.name} mb={3} style={{ display: 'flex', alignItems: 'baseline', gap: 8 }}>
          <span style={{ flex: '0 0 170px' }}>
            <Code>{`{${p.name}}`}</Code>
          </span>
          <span style={{ color: 'var(--mantine-color-dimmed)' }}>{p.meaning}</span>
        </Text>
      ))}
    </Box>
  );
}

function TemplateFields({ kind, title, form }: { kind: 'confirmation' | 'statement' | 'invoice' | 'followUp' | 'autopayReceipt' | 'autopayDecline' | 'cardExpiring'; title: string; form: UseFormReturnType<TemplatesForm> }) {
  const subject = `${kind}Subject` as const;
  const body = `${kind}Body` as const;
  const placeholdersId = `${kind}-placeholders`;
  return (
    <Stack gap="sm">
      <Title order={5} size="h6">
        {title}
      </Title>
      <TextInput label="Subject" aria-label={`${title} subject`} {...labelledField(form, subject, 'Subject')} />
      <Textarea label="Message" aria-label={`${title} message`} {...labelledField(form, body, 'Message')} autosize minRows={6} maxRows={12} />
      <div>
        <Text size="xs" fw={600} id={placeholdersId} mb={4}>
          Placeholders you can use
        </Text>
        <Placeholders list={TEMPLATE_PLACEHOLDERS[kind]} labelledBy={placeholdersId} />
      </div>
    </Stack>
  );
}

export function EmailTemplatesSection({ view }: { view: SettingsView }) {
  const { form, section } = useOfficeForm<TemplatesForm>(view, {
    valuesOf: (v) => ({ ...v.settings.email.templates }),
    changesOf: (f, changed) => {
      const templates: NonNullable<NonNullable<OfficeSettingsChanges['email']>['templates']> = {};
      for (const k of KEYS) if (changed(k)) templates[k] = f[k];
      return { email: { templates } };
    },
    fields: Object.fromEntries(KEYS.map((k) => [`email.templates.${k}`, k])),
    notice: { title: 'Email templates saved', message: 'Emails queued from now on use them.' },
  });

  return (
    <SettingsSection
      id="office-templates"
      title="Email templates"
      description="The subject and text of the emails that carry a payment confirmation, a statement, an invoice, a past-due follow-up (sent with the statement attached), a declined automatic payment or a card about to expire. Words in {braces} are filled in for each customer."
      saveLabel="Save templates"
      {...section}
    >
      <SimpleGrid cols={2} spacing="lg">
        <TemplateFields kind="confirmation" title="Payment confirmation" form={form} />
        <TemplateFields kind="statement" title="Statement" form={form} />
        <TemplateFields kind="invoice" title="Invoice" form={form} />
        <TemplateFields kind="followUp" title="Past-due follow-up" form={form} />
        <TemplateFields kind="autopayReceipt" title="Autopay receipt" form={form} />
        <TemplateFields kind="autopayDecline" title="Autopay declined" form={form} />
        <TemplateFields kind="cardExpiring" title="Card expiring" form={form} />
      </SimpleGrid>
    </SettingsSection>
  );
}
