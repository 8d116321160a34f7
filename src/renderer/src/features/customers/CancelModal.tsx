import { Alert, Button, Group, Modal, Radio, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import type { ApprovalInput } from '../../../../shared/contract/auth';
import type { SubscriptionCancelDto } from '../../../../shared/contract/billing';
import { ApprovalDialog } from '../../components/ApprovalDialog';
import { useWrite } from '../../lib/queries';
import { useFormat, useToday } from '../../lib/settings';
import { useApprovedWrite } from './useApprovedWrite';

/** What a change to an account's subscriptions refreshes. */
export const SUBSCRIPTION_READS = ['subscriptions.list', 'customers.account', 'aging.customer', 'billing.preview', 'lookup.search'] as const;

type Mode = 'end_of_term' | 'immediate';

/**
 * Cancelling one subscription, or the whole account when no subscription is named (every active
 * subscription the same way, and the account): a supervisor, or a clerk with a supervisor's approval.
 */
export function CancelModal({ customerNumber, subscriptionId, activeSubscriptions, onClose }: { customerNumber: string; subscriptionId?: number; activeSubscriptions: number; onClose(): void }) {
  const today = useToday();
  const format = useFormat();
  const account = subscriptionId === undefined;
  const [mode, setMode] = useState<Mode>('end_of_term');
  const [asOf, setAsOf] = useState(today);
  const [reason, setReason] = useState('');
  const cancelOne = useWrite('subscriptions.cancel', { invalidates: SUBSCRIPTION_READS });
  const cancelAccount = useWrite('customers.cancelAccount', { invalidates: SUBSCRIPTION_READS });
  const pending = cancelOne.isPending || cancelAccount.isPending;

  const creditText = (r: SubscriptionCancelDto) => {
    const credits = r.cancelled.filter((c) => c.creditNumber !== null);
    if (credits.length === 0) return mode === 'immediate' ? 'No credit: nothing billed was unused.' : 'No credit: service ends with the term.';
    const total = credits.reduce((s, c) => s + c.creditCents, 0);
    return `Credit ${credits.map((c) => c.creditNumber).join(', ')} of ${format.money(total)} for the unused days.`;
  };

  const w = useApprovedWrite(
    async (approval?: ApprovalInput) => {
      const input = { customerNumber, mode, asOf, reason: reason.trim(), ...(approval ? { approval } : {}) };
      if (account) {
        const r = await cancelAccount.mutateAsync(input);
        return { title: `${customerNumber} cancelled`, message: `Not billed from ${format.date(r.cancelledOn)}. ${creditText(r)}` };
      }
      const r = await cancelOne.mutateAsync({ ...input, subscriptionId });
      return { title: 'Subscription cancelled', message: creditText(r) };
    },
    (done) => {
      notifications.show({ color: 'teal', ...done });
      onClose();
    },
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      w.setFields({ reason: `Enter why the ${account ? 'account' : 'subscription'} is cancelled; it is kept with it` });
      return;
    }
    w.setFields({});
    await w.run();
  };

  const what = account ? 'account' : 'subscription';
  return (
    <Modal opened onClose={onClose} title={account ? `Cancel account ${customerNumber}` : 'Cancel subscription'} centered closeButtonProps={{ 'aria-label': 'Close' }}>
      {w.asking && <ApprovalDialog action={account ? 'Cancelling an account' : 'Cancelling a subscription'} onApprove={w.run} onCancel={w.cancelAsking} />}
      <form onSubmit={(e) => void submit(e)} aria-label={`Cancel ${what}`}>
        <Stack gap="sm">
          {account && (
            <Text size="sm">
              {activeSubscriptions === 0
                ? 'The account has no active subscriptions.'
                : `Its ${activeSubscriptions === 1 ? 'subscription is' : `${activeSubscriptions} subscriptions are`} cancelled the same way.`}{' '}
              Billing stops; the invoices, credits and payments stay, and what the customer owes can still be paid.
            </Text>
          )}
          <Radio.Group label="When" value={mode} onChange={(v) => setMode(v as Mode)}>
            <Stack gap={6} mt={6}>
              <Radio value="end_of_term" label="At the end of the term: service ends with the period it is in, no credit" />
              <Radio value="immediate" label="Immediately: a credit memo for the unused days already billed" />
            </Stack>
          </Radio.Group>
          <TextInput type="date" label={mode === 'immediate' ? 'First day not used' : 'Asked on'} value={asOf} onChange={(e) => setAsOf(e.currentTarget.value)} />
          <Textarea
            label="Reason"
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              w.clearField('reason');
            }}
            error={w.fields.reason}
            autosize
            minRows={2}
            data-autofocus
          />
          {w.problem && (
            <Alert color="red" variant="light" role="alert">
              {w.problem}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Keep it
            </Button>
            <Button type="submit" color="red" loading={pending}>
              Cancel {what}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
