import { Box, Code, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import {
  TEMPLATE_PLACEHOLDERS,
  type EmailTemplateKey,
  type OfficeSettingsChanges,
  type SettingsView,
  type TemplatePlaceholder,
} from '../../../../shared/contract/settings';
import { fieldMessage } from '../../lib/fieldErrors';
import { SettingsSection } from './SettingsSection';
import { useOfficeSave } from './useOfficeSave';

type TemplatesForm = Record<EmailTemplateKey, string>;

const KEYS: EmailTemplateKey[] = ['confirmationSubject', 'confirmationBody', 'statementSubject', 'statementBody'];

function templatesOf(view: SettingsView): TemplatesForm {
  return { ...view.settings.email.templates };
}

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

function TemplateFields({
  kind,
  title,
  form,
  onChange,
  errors,
}: {
  kind: 'confirmation' | 'statement';
  title: string;
  form: TemplatesForm;
  onChange(key: EmailTemplateKey, value: string): void;
  errors: Record<string, string>;
}) {
  const subject = `${kind}Subject` as const;
  const body = `${kind}Body` as const;
  const placeholdersId = `${kind}-placeholders`;
  return (
    <Stack gap="sm">
      <Title order={5} size="h6">
        {title}
      </Title>
      <TextInput
        label="Subject"
        aria-label={`${title} subject`}
        value={form[subject]}
        onChange={(e) => onChange(subject, e.currentTarget.value)}
        error={fieldMessage(errors[`email.templates.${subject}`], 'Subject')}
      />
      <Textarea
        label="Message"
        aria-label={`${title} message`}
        value={form[body]}
        onChange={(e) => onChange(body, e.currentTarget.value)}
        error={fieldMessage(errors[`email.templates.${body}`], 'Message')}
        autosize
        minRows={6}
        maxRows={12}
      />
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
  const [saved, setSaved] = useState(() => templatesOf(view));
  const [form, setForm] = useState(saved);
  const { errors, problem, saving, save } = useOfficeSave();
  const dirty = KEYS.some((k) => form[k] !== saved[k]);
  const onChange = (key: EmailTemplateKey, value: string) => setForm({ ...form, [key]: value });

  const onSave = async () => {
    const templates: NonNullable<NonNullable<OfficeSettingsChanges['email']>['templates']> = {};
    for (const k of KEYS) if (form[k] !== saved[k]) templates[k] = form[k];
    const next = await save({ email: { templates } }, { title: 'Email templates saved', message: 'Emails queued from now on use them.' });
    if (next) {
      setSaved(templatesOf(next));
      setForm(templatesOf(next));
    }
  };

  return (
    <SettingsSection
      id="office-templates"
      title="Email templates"
      description="The subject and text of the emails that carry a payment confirmation or a statement. Words in {braces} are filled in for each customer."
      problem={problem}
      dirty={dirty}
      saving={saving}
      saveLabel="Save templates"
      onSave={() => void onSave()}
      onUndo={() => setForm(saved)}
    >
      <SimpleGrid cols={2} spacing="lg">
        <TemplateFields kind="confirmation" title="Payment confirmation" form={form} onChange={onChange} errors={errors} />
        <TemplateFields kind="statement" title="Statement" form={form} onChange={onChange} errors={errors} />
      </SimpleGrid>
    </SettingsSection>
  );
}
