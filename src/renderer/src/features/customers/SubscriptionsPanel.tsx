import { Alert, Badge, Button, Checkbox, Group, Modal, NumberInput, Radio, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import type { ApprovalInput } from '../../../../shared/contract/auth';
import type { SubscriptionDto } from '../../../../shared/contract/billing';
import { parseDollarsToCents } from '../../../../shared/money';
import { ApprovalDialog, needsSupervisorApproval } from '../../components/ApprovalDialog';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { useChannel, useWrite } from '../../lib/queries';
import { useFormat, useToday } from '../../lib/settings';
import { CancelModal, SUBSCRIPTION_READS as READS } from './CancelModal';

const PERIOD_LABEL = { monthly: 'Monthly', quarterly: 'Quarterly', semiannual: 'Semi-annual', annual: 'Annual' } as const;
const STATUS_COLOR = { active: 'green', cancelled: 'gray', ended: 'gray' } as const;

/** The account's subscriptions: what is billed every period, added here, cancelled by a supervisor. */
export function SubscriptionsPanel({ customerNumber, accountActive }: { customerNumber: string; accountActive: boolean }) {
  const format = useFormat();
  const list = useChannel('subscriptions.list', { customerNumber });
  const [adding, setAdding] = useState(false);
  const [cancelling, setCancelling] = useState<SubscriptionDto | 'account' | null>(null);
  const [changing, setChanging] = useState<SubscriptionDto | null>(null);
  if (list.error) return <ErrorNotice title="The subscriptions could not be loaded" error={list.error} onRetry={list.reload} />;
  if (!list.data) return <Loading what="subscriptions" />;
  const subs = list.data.subscriptions;
  return (
    <Stack gap="sm">
      {accountActive && (
        <Group justify="flex-end">
          <Button variant="subtle" color="red" onClick={() => setCancelling('account')} data-testid="cancel-account">
            Cancel account…
          </Button>
          <Button variant="light" onClick={() => setAdding(true)} data-testid="add-subscription">
            Add subscription
          </Button>
        </Group>
      )}
      {subs.length === 0 ? (
        <Empty title="No subscriptions">Add one to bill this customer every period, in advance.</Empty>
      ) : (
        <Table withTableBorder data-testid="subscriptions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Service</Table.Th>
              <Table.Th>Billed</Table.Th>
              <Table.Th ta="right">Each period</Table.Th>
              <Table.Th>From</Table.Th>
              <Table.Th>Last invoice</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {subs.map((s) => {
              const latest = s.lines.reduce((m, l) => (l.effectiveFrom > m ? l.effectiveFrom : m), '');
              const current = s.lines.filter((l) => l.effectiveFrom === latest);
              const last = s.billed[0];
              return (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    {current.map((l, i) => (
                      <Text size="sm" key={i}>
                        {l.description}
                        {l.quantity > 1 ? ` × ${l.quantity}` : ''}
                        {l.taxable ? ' (taxable)' : ''}
                      </Text>
                    ))}
                  </Table.Td>
                  <Table.Td>
                    {PERIOD_LABEL[s.period]}, on day {s.anchorDay}
                  </Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {format.money(s.periodCents)}
                  </Table.Td>
                  <Table.Td>
                    {format.date(s.startDate)}
                    {s.endDate ? ` to ${format.date(s.endDate)}` : ''}
                  </Table.Td>
                  <Table.Td>{last ? `${last.invoiceNumber} (${format.date(last.periodStart)})` : 'None yet'}</Table.Td>
                  <Table.Td>
                    <Badge color={s.heldReason ? 'orange' : STATUS_COLOR[s.status]} variant="light">
                      {s.heldReason ? 'held' : s.status}
                    </Badge>
                    {s.cancelReason && (
                      <Text size="xs" c="dimmed">
                        {s.cancelMode === 'immediate' ? 'Cancelled at once' : 'Ends with its term'}: {s.cancelReason}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {s.status === 'active' && (
                      <Group gap={4} wrap="nowrap">
                        <Button size="compact-sm" variant="subtle" onClick={() => setChanging(s)}>
                          Change…
                        </Button>
                        <Button size="compact-sm" variant="subtle" color="red" onClick={() => setCancelling(s)}>
                          Cancel…
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {adding && <AddSubscriptionModal customerNumber={customerNumber} onClose={() => setAdding(false)} />}
      {cancelling && (
        <CancelModal
          customerNumber={customerNumber}
          subscriptionId={cancelling === 'account' ? undefined : cancelling.id}
          activeSubscriptions={subs.filter((s) => s.status === 'active').length}
          onClose={() => setCancelling(null)}
        />
      )}
      {changing && <ChangeSubscriptionModal subscription={changing} onClose={() => setChanging(null)} />}
    </Stack>
  );
}

function AddSubscriptionModal({ customerNumber, onClose }: { customerNumber: string; onClose(): void }) {
  const today = useToday();
  const [description, setDescription] = useState('');
  const [price, setPrice] = useState('');
  const [quantity, setQuantity] = useState<number | string>(1);
  const [taxable, setTaxable] = useState(false);
  const [period, setPeriod] = useState<string>('monthly');
  const [startDate, setStartDate] = useState(today);
  const [anchorDay, setAnchorDay] = useState<number | string>('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const create = useWrite('subscriptions.create', { invalidates: READS });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let unitPriceCents: number;
    try {
      unitPriceCents = parseDollarsToCents(price);
    } catch {
      setErrors({ unitPriceCents: 'Enter the price per period, e.g. 49.99' });
      return;
    }
    setErrors({});
    setProblem(null);
    try {
      await create.mutateAsync({
        customerNumber,
        period,
        startDate,
        anchorDay: anchorDay === '' ? null : Number(anchorDay),
        lines: [{ description, unitPriceCents, quantity: Number(quantity), taxable }],
      });
      notifications.show({ color: 'teal', title: 'Subscription added', message: `${customerNumber} is billed ${period} from ${startDate}.` });
      onClose();
    } catch (err) {
      const fields = fieldErrorsOf(err, 'lines.0.');
      if (Object.keys(fields).length > 0) setErrors(fields);
      else setProblem(toAppError(err).message);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Add a subscription for ${customerNumber}`} centered size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      <form onSubmit={(e) => void submit(e)} aria-label="New subscription">
        <Stack gap="sm">
          <TextInput label="Service" value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={errors.description} data-autofocus />
          <Group grow align="flex-start">
            <TextInput label="Price per period" placeholder="49.99" value={price} onChange={(e) => setPrice(e.currentTarget.value)} error={errors.unitPriceCents} />
            <NumberInput label="Quantity" value={quantity} onChange={setQuantity} min={1} allowDecimal={false} error={errors.quantity} />
          </Group>
          <Checkbox label="Taxable" checked={taxable} onChange={(e) => setTaxable(e.currentTarget.checked)} />
          <Group grow align="flex-start">
            <Select
              label="Billed"
              data={Object.entries(PERIOD_LABEL).map(([value, label]) => ({ value, label }))}
              value={period}
              onChange={(v) => setPeriod(v ?? 'monthly')}
              allowDeselect={false}
              error={errors.period}
            />
            <TextInput type="date" label="Starts" value={startDate} onChange={(e) => setStartDate(e.currentTarget.value)} error={errors.startDate} />
            <NumberInput
              label="Bill on day"
              description="Empty: the start's day; 1: calendar billing"
              value={anchorDay}
              onChange={setAnchorDay}
              min={1}
              max={31}
              allowDecimal={false}
              error={errors.anchorDay}
            />
          </Group>
          {problem && (
            <Alert color="red" variant="light" role="alert">
              {problem}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Add subscription
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A new price or quantity, from the next period or now (the current period settled again by days). */
function ChangeSubscriptionModal({ subscription, onClose }: { subscription: SubscriptionDto; onClose(): void }) {
  const today = useToday();
  const format = useFormat();
  const latest = subscription.lines.reduce((m, l) => (l.effectiveFrom > m ? l.effectiveFrom : m), '');
  const line = subscription.lines.find((l) => l.effectiveFrom === latest)!;
  const [price, setPrice] = useState((line.unitPriceCents / 100).toFixed(2));
  const [quantity, setQuantity] = useState<number | string>(line.quantity);
  const [effective, setEffective] = useState<'next_period' | 'now'>('next_period');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const change = useWrite('subscriptions.change', { invalidates: READS });

  const send = async (approval?: ApprovalInput): Promise<string | null> => {
    let unitPriceCents: number;
    try {
      unitPriceCents = parseDollarsToCents(price);
    } catch {
      setErrors({ unitPriceCents: 'Enter the price per period, e.g. 49.99' });
      return null;
    }
    setErrors({});
    setProblem(null);
    try {
      const r = await change.mutateAsync({
        customerNumber: subscription.customerNumber,
        subscriptionId: subscription.id,
        effective,
        asOf: today,
        lines: [{ description: line.description, unitPriceCents, quantity: Number(quantity), taxable: line.taxable }],
        ...(approval ? { approval } : {}),
      });
      notifications.show({
        color: 'teal',
        title: 'Subscription changed',
        message:
          r.invoiceNumber !== null
            ? `Invoice ${r.invoiceNumber} of ${format.money(r.invoiceCents)} for the rest of this period${r.creditNumber ? ` and credit ${r.creditNumber} of ${format.money(r.creditCents)} for it at the old price` : ''}.`
            : `The new price is billed from ${format.date(r.effectiveFrom)}.`,
      });
      onClose();
      return null;
    } catch (err) {
      if (needsSupervisorApproval(err)) {
        if (approval) return toAppError(err).message;
        setAsking(true);
        return null;
      }
      setAsking(false);
      const fields = fieldErrorsOf(err, 'lines.0.');
      if (Object.keys(fields).length > 0) setErrors(fields);
      else setProblem(toAppError(err).message);
      return null;
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Change ${line.description}`} centered closeButtonProps={{ 'aria-label': 'Close' }}>
      {asking && <ApprovalDialog action="Changing a subscription" onApprove={send} onCancel={() => setAsking(false)} />}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <Stack gap="sm">
          <Group grow align="flex-start">
            <TextInput label="New price per period" value={price} onChange={(e) => setPrice(e.currentTarget.value)} error={errors.unitPriceCents} data-autofocus />
            <NumberInput label="Quantity" value={quantity} onChange={setQuantity} min={1} allowDecimal={false} error={errors.quantity} />
          </Group>
          <Radio.Group label="From" value={effective} onChange={(v) => setEffective(v as 'next_period' | 'now')}>
            <Stack gap={6} mt={6}>
              <Radio value="next_period" label="The next period" />
              <Radio value="now" label="Today: credit the rest of this period at the old price, invoice it at the new one" />
            </Stack>
          </Radio.Group>
          {problem && (
            <Alert color="red" variant="light" role="alert">
              {problem}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Keep it
            </Button>
            <Button type="submit" loading={change.isPending}>
              Change
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
