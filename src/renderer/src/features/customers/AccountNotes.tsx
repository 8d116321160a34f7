import { Alert, Badge, Button, Group, Paper, SegmentedControl, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { NOTE_MAX_LENGTH, type AccountNoteDto, type NoteKindDto, type PromiseDto } from '../../../../shared/contract/notes';
import { AppError } from '../../../../shared/errors';
import { parseDollarsToCents } from '../../../../shared/money';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { labelledField } from '../../lib/form';
import { parseDisplayDate } from '../../lib/format';
import { LEDGER_READS, useWrite } from '../../lib/queries';
import { useFormat, useSettings, useToday } from '../../lib/settings';
import { Empty } from '../../components/states';

/**
 * The account's notes: a dated log of calls, general notes and promises to pay, added to and never
 * edited. A promise's state (open, kept, broken) comes from main, judged on the payments received.
 */

const KIND_LABEL: Record<NoteKindDto, string> = { call: 'Call', general: 'Note', promise: 'Promise' };
const KIND_COLOR: Record<NoteKindDto, string> = { call: 'blue', general: 'gray', promise: 'grape' };
const STATE_LABEL: Record<PromiseDto['state'], { label: string; color: string }> = {
  open: { label: 'Open', color: 'yellow' },
  kept: { label: 'Kept', color: 'teal' },
  broken: { label: 'Broken', color: 'red' },
};

/** The promises still open, above the account's figures, until each is kept or broken. */
export function PromiseBanner({ promises }: { promises: AccountNoteDto[] }) {
  const format = useFormat();
  if (promises.length === 0) return null;
  return (
    <Stack gap={6}>
      {promises.map((n) => {
        const p = n.promise!;
        const left = Math.max(0, p.promisedCents - p.paidCents);
        return (
          <Alert key={n.noteId} color="yellow" variant="light" data-testid="promise-banner" title={`Promise to pay ${format.money(p.promisedCents)} by ${format.date(p.promisedOn)}`}>
            <Text size="sm">
              {p.paidCents > 0 ? `${format.money(p.paidCents)} received so far, ${format.money(left)} to go.` : 'Nothing received toward it yet.'} Promised to{' '}
              {n.createdBy} on {format.timestamp(n.createdAt)}
              {n.text ? `: “${n.text}”` : '.'}
            </Text>
          </Alert>
        );
      })}
    </Stack>
  );
}

interface NoteForm {
  kind: NoteKindDto;
  text: string;
  promisedOn: string | null;
  amount: string;
}

function AddNoteForm({ customerNumber }: { customerNumber: string }) {
  const { settings } = useSettings();
  const today = useToday();
  const add = useWrite('notes.add', { invalidates: LEDGER_READS });
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<NoteForm>({ initialValues: { kind: 'call', text: '', promisedOn: null, amount: '' }, clearInputErrorOnChange: false });
  const kind = form.getValues().kind;

  const save = async () => {
    const v = form.getValues();
    setProblem(null);
    form.clearErrors();
    let promisedCents: number | undefined;
    if (v.kind === 'promise' && v.amount.trim() !== '') {
      try {
        promisedCents = parseDollarsToCents(v.amount, { field: 'Amount' });
      } catch (e) {
        form.setErrors({ promisedCents: toAppError(e).message.replace(/^Amount: /, '') });
        return;
      }
    }
    try {
      await add.mutateAsync({
        customerNumber,
        kind: v.kind,
        text: v.text,
        ...(v.kind === 'promise' ? { ...(v.promisedOn ? { promisedOn: v.promisedOn } : {}), ...(promisedCents !== undefined ? { promisedCents } : {}) } : {}),
      });
      form.setValues({ text: '', promisedOn: null, amount: '' });
    } catch (e) {
      const errors = fieldErrorsOf(e);
      form.setErrors(errors);
      if (!(e instanceof AppError && e.code === 'VALIDATION' && Object.keys(errors).length > 0)) setProblem(toAppError(e).message);
    }
  };

  const amountError = labelledField(form, 'promisedCents', 'Amount').error;
  return (
    <Paper withBorder p="sm" component="form" onSubmit={form.onSubmit(() => void save())} noValidate aria-label="Add a note">
      <Stack gap="xs">
        <Group justify="space-between" align="center">
          <SegmentedControl
            size="xs"
            aria-label="Kind of note"
            data={[
              { value: 'call', label: 'Call note' },
              { value: 'general', label: 'General note' },
              { value: 'promise', label: 'Promise to pay' },
            ]}
            {...form.getInputProps('kind')}
          />
          <Text size="xs" c="dimmed">
            Notes are kept as written: they cannot be edited or deleted.
          </Text>
        </Group>
        {problem && (
          <Alert color="red" variant="light" role="alert">
            {problem}
          </Alert>
        )}
        {kind === 'promise' && (
          <Group align="flex-start" gap="sm">
            <DateInput
              label="Promised date"
              placeholder={settings.dateFormat}
              minDate={today}
              valueFormat={settings.dateFormat}
              dateParser={(text) => parseDisplayDate(text, settings.dateFormat)}
              w={170}
              popoverProps={{ withinPortal: true }}
              {...labelledField(form, 'promisedOn', 'Promised date')}
            />
            <TextInput label="Amount" placeholder="0.00" leftSection="$" w={150} {...form.getInputProps('amount')} error={amountError} inputMode="decimal" />
          </Group>
        )}
        <Textarea
          label={kind === 'promise' ? 'What the customer said (optional)' : kind === 'call' ? 'What was said on the call' : 'Note'}
          autosize
          minRows={2}
          maxRows={8}
          maxLength={NOTE_MAX_LENGTH}
          {...labelledField(form, 'text', 'Note')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={add.isPending} size="sm">
            {kind === 'promise' ? 'Add promise' : 'Add note'}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** The log, newest first, with the form to add to it. */
export function NotesPanel({ customerNumber, notes }: { customerNumber: string; notes: AccountNoteDto[] }) {
  const format = useFormat();
  return (
    <Stack gap="sm">
      <AddNoteForm customerNumber={customerNumber} />
      {notes.length === 0 ? (
        <Empty title="No notes yet">Calls, notes and promises to pay on this account appear here, newest first.</Empty>
      ) : (
        <Table verticalSpacing={6} data-testid="account-notes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={170}>When</Table.Th>
              <Table.Th w={120}>Who</Table.Th>
              <Table.Th w={130}>Kind</Table.Th>
              <Table.Th>Note</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {notes.map((n) => (
              <Table.Tr key={n.noteId} data-testid="account-note">
                <Table.Td style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>{format.timestamp(n.createdAt)}</Table.Td>
                <Table.Td style={{ verticalAlign: 'top' }}>{n.createdBy}</Table.Td>
                <Table.Td style={{ verticalAlign: 'top' }}>
                  <Badge variant="light" color={KIND_COLOR[n.kind]} size="sm">
                    {KIND_LABEL[n.kind]}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ verticalAlign: 'top' }}>
                  {n.promise && (
                    <Group gap={8} mb={n.text ? 4 : 0}>
                      <Text size="sm" fw={600}>
                        {format.money(n.promise.promisedCents)} by {format.date(n.promise.promisedOn)}
                      </Text>
                      <Badge size="sm" color={STATE_LABEL[n.promise.state].color} variant={n.promise.state === 'open' ? 'light' : 'filled'}>
                        {STATE_LABEL[n.promise.state].label}
                      </Badge>
                      <Text size="xs" c="dimmed">
                        {format.money(n.promise.paidCents)} received
                      </Text>
                    </Group>
                  )}
                  {n.text && (
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                      {n.text}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
