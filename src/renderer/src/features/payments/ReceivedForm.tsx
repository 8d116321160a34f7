import { Alert, Checkbox, Group, SegmentedControl, Stack, TextInput } from '@mantine/core';
import { labelledField } from '../../lib/form';
import { useFormat } from '../../lib/settings';
import type { ReceivedMoney } from './useReceivedMoney';

/** The check's number and bank, a wire's reference, the date the money came; a warning when the check was recorded already. */
export function ReceivedForm({ received, today }: { received: ReceivedMoney; today: string }) {
  const format = useFormat();
  const { form, duplicate } = received;
  const via = received.method;
  return (
    <Stack gap="sm" data-testid="received-form">
      {via === 'wire' || via === 'transfer' ? (
        <SegmentedControl
          aria-label="Wire or bank transfer"
          data={[
            { value: 'wire', label: 'Wire' },
            { value: 'transfer', label: 'Bank transfer' },
          ]}
          {...form.getInputProps('wireKind')}
          w="fit-content"
        />
      ) : null}
      <Group grow align="flex-start">
        {via === 'check' && (
          <>
            <TextInput label="Check number" description="As printed on the check" required autoComplete="off" inputMode="numeric" {...labelledField(form, 'checkNumber', 'Check number')} />
            <TextInput label="Bank" description="The bank the check is drawn on" required autoComplete="off" {...labelledField(form, 'checkBank', 'Bank')} />
          </>
        )}
        {(via === 'wire' || via === 'transfer') && (
          <TextInput label="Reference" description="As on the bank statement" required autoComplete="off" {...labelledField(form, 'reference', 'Reference')} />
        )}
        <TextInput
          type="date"
          label="Date received"
          description={via === 'cash' ? 'Today unless counted later' : 'May be earlier than today'}
          max={today}
          {...labelledField(form, 'receivedOn', 'Date received')}
        />
      </Group>
      {duplicate && (
        <Alert color="orange" variant="light" title="This check looks recorded already" data-testid="duplicate-check">
          Check {duplicate.checkNumber} for {format.money(duplicate.amountCents)} was recorded on {format.date(duplicate.receivedOn)}
          {duplicate.confirmationNumber ? ` (confirmation ${duplicate.confirmationNumber})` : ''}. Post it only if this is another check.
          <Checkbox mt="xs" label="Post anyway: this is another check" {...form.getInputProps('postAnyway', { type: 'checkbox' })} data-testid="post-anyway" />
        </Alert>
      )}
    </Stack>
  );
}
