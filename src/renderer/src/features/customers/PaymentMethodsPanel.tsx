import { Alert, Badge, Button, Checkbox, Group, Modal, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { PaymentMethodDto } from '../../../../shared/contract/paymentMethods';
import type { CustomerDto } from '../../../../shared/contract/customers';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { PAYMENT_METHOD_READS, useWrite } from '../../lib/queries';
import { useToday } from '../../lib/settings';
import { Empty } from '../../components/states';
import { BankForm, CardForm } from '../../components/MethodForms';
import {
  bankFormProblems,
  bankMethodInput,
  cardFormProblems,
  cardMethodInput,
  EMPTY_BANK,
  EMPTY_CARD,
  expiryText,
  type FieldErrors,
} from '../../lib/paymentMethods';

type SavedMethod = PaymentMethodDto;

function AddMethodModal({ customer, onClose, onAdded }: { customer: CustomerDto; onClose(): void; onAdded(): void }) {
  const today = useToday();
  const [kind, setKind] = useState<'card' | 'bank'>('card');
  const [card, setCard] = useState({ ...EMPTY_CARD, nameOnCard: customer.billingContact ?? '' });
  const [bank, setBank] = useState({ ...EMPTY_BANK, nameOnAccount: customer.legalName });
  const [nickname, setNickname] = useState('');
  const [makeDefault, setMakeDefault] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const addMethod = useWrite('paymentMethods.add', { invalidates: PAYMENT_METHOD_READS });

  const add = async () => {
    const found = kind === 'card' ? cardFormProblems(card, today) : bankFormProblems(bank);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setProblem(null);
    try {
      await addMethod.mutateAsync({
        customerNumber: customer.customerNumber,
        method: kind === 'card' ? cardMethodInput(card) : bankMethodInput(bank),
        ...(nickname.trim() ? { nickname: nickname.trim() } : {}),
        makeDefault,
      });
      onAdded();
    } catch (e) {
      setErrors(fieldErrorsOf(e, 'method.'));
      setProblem(toAppError(e).message);
    }
  };

  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened onClose={onClose} title={`Add a payment method for ${customer.legalName}`} size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <Stack gap="sm">
          <SegmentedControl
            aria-label="Kind of payment method"
            value={kind}
            onChange={(v) => setKind(v as 'card' | 'bank')}
            data={[
              { value: 'card', label: 'Card' },
              { value: 'bank', label: 'Bank account' },
            ]}
          />
          {problem && (
            <Alert color="red" variant="light" role="alert">
              {problem}
            </Alert>
          )}
          {kind === 'card' ? (
            <CardForm value={card} onChange={setCard} errors={errors} showSave={false} idPrefix="add-card" />
          ) : (
            <BankForm value={bank} onChange={setBank} errors={errors} showSave={false} idPrefix="add-bank" />
          )}
          <Group align="flex-end" gap="md">
            <TextInput label="Nickname (optional)" placeholder="e.g. Office Visa" value={nickname} onChange={(e) => setNickname(e.currentTarget.value)} style={{ flex: 1 }} error={errors.nickname} />
            <Checkbox label="Make this the default" checked={makeDefault} onChange={(e) => setMakeDefault(e.currentTarget.checked)} mb={8} />
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={addMethod.isPending}>
              Save to the vault
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function PaymentMethodsPanel({ customer, methods }: { customer: CustomerDto; methods: SavedMethod[] }) {
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<SavedMethod | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const setDefault = useWrite('paymentMethods.setDefault', { invalidates: PAYMENT_METHOD_READS });
  const remove = useWrite('paymentMethods.remove', { invalidates: PAYMENT_METHOD_READS });
  const busy = setDefault.isPending ? setDefault.variables.id : remove.isPending ? remove.variables.id : null;

  const run = async (write: typeof setDefault | typeof remove, id: number, done: string) => {
    setProblem(null);
    try {
      await write.mutateAsync({ id });
      notifications.show({ color: 'teal', message: done });
    } catch (e) {
      setProblem(toAppError(e).message);
    }
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Cards and bank accounts are kept by the payment gateway; AR Desk keeps only the brand, last four digits and expiry.
        </Text>
        <Button variant="light" onClick={() => setAdding(true)}>
          Add payment method
        </Button>
      </Group>
      {problem && (
        <Alert color="red" variant="light" role="alert">
          {problem}
        </Alert>
      )}
      {methods.length === 0 ? (
        <Empty title="No payment methods on file">Add a card or bank account, or save one while taking a payment.</Empty>
      ) : (
        <Table striped tabularNums verticalSpacing={6} data-testid="payment-methods">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Method</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th>Nickname</Table.Th>
              <Table.Th>Billing name</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>
                <span className="sr-only">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {methods.map((m) => (
              <Table.Tr key={m.id} data-testid="payment-method-row">
                <Table.Td fw={600}>{m.label}</Table.Td>
                <Table.Td>{m.kind === 'card' ? expiryText(m) : <Text span c="dimmed">—</Text>}</Table.Td>
                <Table.Td>{m.nickname ?? <Text span c="dimmed">—</Text>}</Table.Td>
                <Table.Td>
                  {m.billingName}
                  {m.billingPostalCode ? <Text span inherit c="dimmed"> · {m.billingPostalCode}</Text> : null}
                </Table.Td>
                <Table.Td>
                  <Group gap={6}>
                    {m.isDefault && <Badge color="indigo">Default</Badge>}
                    {m.expired && <Badge color="red" variant="light">Expired</Badge>}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    {!m.isDefault && (
                      <Button
                        size="xs"
                        variant="default"
                        loading={busy === m.id}
                        onClick={() => void run(setDefault, m.id, `${m.label} is now the default.`)}
                        aria-label={`Make ${m.label} the default`}
                      >
                        Make default
                      </Button>
                    )}
                    <Button size="xs" variant="subtle" color="red" onClick={() => setRemoving(m)} aria-label={`Remove ${m.label}`}>
                      Remove
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {adding && (
        <AddMethodModal
          customer={customer}
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            notifications.show({ color: 'teal', message: 'The payment method was saved to the vault.' });
          }}
        />
      )}
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={removing !== null} onClose={() => setRemoving(null)} title="Remove payment method?">
        <Stack>
          <Text>
            Remove {removing?.label}
            {removing?.nickname ? ` (${removing.nickname})` : ''} from {customer.legalName}’s payment methods? Past payments made with it are kept.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRemoving(null)} data-autofocus>
              Keep it
            </Button>
            <Button
              color="red"
              onClick={() => {
                const m = removing;
                setRemoving(null);
                if (m) void run(remove, m.id, `${m.label} was removed.`);
              }}
            >
              Remove
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
