import { Alert, Anchor, Button, Checkbox, CloseButton, Group, NumberInput, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import type { InvoiceCreateInput } from '../../../../shared/contract/invoices';
import { AppError } from '../../../../shared/errors';
import { parseDollarsToCents } from '../../../../shared/money';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { labelledField } from '../../lib/form';
import { formatTerms } from '../../lib/format';
import { LEDGER_READS, useChannel, useWrite } from '../../lib/queries';
import { navigate } from '../../lib/router';
import { useFormat, useToday } from '../../lib/settings';
import { ErrorNotice, Loading } from '../../components/states';

interface LineForm {
  key: number;
  description: string;
  quantity: number | string;
  unitPrice: string;
  taxable: boolean;
}
interface InvoiceForm {
  issueDate: string;
  /** Empty: the issue date plus the customer's terms, as main computes it. */
  dueDate: string;
  lines: LineForm[];
}

let nextKey = 1;
const blankLine = (): LineForm => ({ key: nextKey++, description: '', quantity: 1, unitPrice: '', taxable: false });

/** A price as typed, in cents; -1 while it is not an amount (main then names the field). */
function priceCents(text: string): number {
  if (text.trim() === '') return 0;
  try {
    return parseDollarsToCents(text);
  } catch {
    return -1;
  }
}

function quantityOf(q: number | string): number {
  return typeof q === 'number' ? q : q.trim() === '' ? 0 : Number(q);
}

function toInput(customerNumber: string, v: InvoiceForm): InvoiceCreateInput {
  return {
    customerNumber,
    ...(v.issueDate ? { issueDate: v.issueDate } : {}),
    ...(v.dueDate ? { dueDate: v.dueDate } : {}),
    lines: v.lines.map((l) => ({
      description: l.description,
      quantity: Number.isFinite(quantityOf(l.quantity)) ? Math.trunc(quantityOf(l.quantity)) : 0,
      unitPriceCents: priceCents(l.unitPrice),
      taxable: l.taxable,
    })),
  };
}

/** main names a line's price unitPriceCents; the form's field is unitPrice. */
function formErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(fieldErrorsOf(error))) out[key.replace(/\.unitPriceCents$/, '.unitPrice')] = message;
  return out;
}

/** A new invoice for one customer: lines as the clerk types them, the totals as main computes them, then the invoice's screen. */
export function NewInvoiceScreen({ customerNumber }: { customerNumber: string }) {
  const format = useFormat();
  const today = useToday();
  const account = useChannel('customers.account', { customerNumber });
  const form = useForm<InvoiceForm>({ initialValues: { issueDate: today, dueDate: '', lines: [blankLine()] } });
  const [debounced] = useDebouncedValue(form.values, 250);
  const preview = useChannel('invoices.preview', toInput(customerNumber, debounced));
  const figures = preview.data ?? preview.previous;
  const create = useWrite('invoices.create', { invalidates: LEDGER_READS });
  const [problem, setProblem] = useState<string | null>(null);

  if (account.error) return <ErrorNotice title="The customer could not be loaded" error={account.error} onRetry={account.reload} />;
  if (!account.data) return <Loading what={`account ${customerNumber}`} />;
  const customer = account.data.customer;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    form.clearErrors();
    const v = form.getValues();
    const local: Record<string, string> = {};
    v.lines.forEach((l, i) => {
      if (priceCents(l.unitPrice) < 0) local[`lines.${i}.unitPrice`] = 'Unit price is not an amount in dollars and cents (e.g. 1,234.50)';
    });
    if (Object.keys(local).length > 0) {
      form.setErrors(local);
      return;
    }
    try {
      const created = await create.mutateAsync(toInput(customerNumber, v));
      notifications.show({ color: 'teal', title: 'Invoice created', message: `${created.invoiceNumber} for ${format.money(created.totalCents)}.` });
      navigate('invoices', created.invoiceNumber);
    } catch (err) {
      const fields = formErrors(err);
      if (Object.keys(fields).length > 0) form.setErrors(fields);
      if (!(err instanceof AppError && err.code === 'VALIDATION') || fields.lines || fields['(input)']) {
        setProblem(fields.lines ?? toAppError(err).message);
      }
    }
  };

  const lines = form.values.lines;
  return (
    <Stack gap="md" maw={1100}>
      <Anchor
        href={`#/customers/${encodeURIComponent(customerNumber)}`}
        size="sm"
        onClick={(e) => {
          e.preventDefault();
          navigate('customers', customerNumber);
        }}
      >
        ← Back to account {customerNumber}
      </Anchor>
      <Title order={2}>New invoice for {customer.legalName}</Title>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          <Paper withBorder p="md">
            <Group align="flex-start" gap="lg">
              <TextInput type="date" label="Invoice date" w={180} {...labelledField(form, 'issueDate', 'Invoice date')} />
              <TextInput
                type="date"
                label="Due date"
                w={180}
                description={`${formatTerms(customer.termsDays)} from the invoice date unless changed`}
                {...labelledField(form, 'dueDate', 'Due date')}
                value={form.values.dueDate || figures?.dueDate || ''}
                data-testid="new-invoice-due"
              />
              <Stack gap={2}>
                <Text size="sm" fw={500}>
                  Tax
                </Text>
                <Text size="sm" data-testid="new-invoice-tax-rule">
                  {customer.taxExempt
                    ? 'Tax exempt: no tax is charged'
                    : figures
                      ? `${(figures.taxRateBp / 100).toFixed(2)}% on taxable lines (the office’s rate)`
                      : '…'}
                </Text>
              </Stack>
            </Group>
          </Paper>
          <Paper withBorder p="md">
            <Table verticalSpacing={6} data-testid="new-invoice-lines">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Description</Table.Th>
                  <Table.Th w={150}>Quantity</Table.Th>
                  <Table.Th w={150}>Unit price ($)</Table.Th>
                  <Table.Th w={80}>Taxable</Table.Th>
                  <Table.Th w={130} className="num">
                    Amount
                  </Table.Th>
                  <Table.Th w={40}>
                    <span className="sr-only">Remove</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {lines.map((l, i) => (
                  <Table.Tr key={l.key} data-testid="new-invoice-line" style={{ verticalAlign: 'top' }}>
                    <Table.Td>
                      <TextInput aria-label={`Line ${i + 1} description`} {...labelledField(form, `lines.${i}.description`, 'Description')} />
                    </Table.Td>
                    <Table.Td>
                      <NumberInput
                        aria-label={`Line ${i + 1} quantity`}
                        allowDecimal={false}
                        hideControls
                        {...labelledField(form, `lines.${i}.quantity`, 'Quantity')}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput aria-label={`Line ${i + 1} unit price`} inputMode="decimal" placeholder="0.00" {...labelledField(form, `lines.${i}.unitPrice`, 'Unit price')} />
                    </Table.Td>
                    <Table.Td pt={12}>
                      <Checkbox aria-label={`Line ${i + 1} taxable`} {...form.getInputProps(`lines.${i}.taxable`, { type: 'checkbox' })} />
                    </Table.Td>
                    <Table.Td className="num" pt={12} data-testid="new-invoice-line-amount">
                      {figures?.lineAmounts[i] !== undefined ? format.money(figures.lineAmounts[i]) : '—'}
                    </Table.Td>
                    <Table.Td pt={8}>
                      <CloseButton aria-label={`Remove line ${i + 1}`} disabled={lines.length === 1} onClick={() => form.removeListItem('lines', i)} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group justify="space-between" align="flex-start" mt="sm">
              <Button variant="default" onClick={() => form.insertListItem('lines', blankLine())}>
                Add a line
              </Button>
              <Table w={340} tabularNums verticalSpacing={2} data-testid="new-invoice-totals">
                <Table.Tbody>
                  <Table.Tr>
                    <Table.Td>Subtotal</Table.Td>
                    <Table.Td className="num" data-testid="new-invoice-subtotal">{figures ? format.money(figures.subtotalCents) : '—'}</Table.Td>
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Td>Tax</Table.Td>
                    <Table.Td className="num" data-testid="new-invoice-tax">{figures ? format.money(figures.taxCents) : '—'}</Table.Td>
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Td fw={700}>Total</Table.Td>
                    <Table.Td className="num" fw={700} data-testid="new-invoice-total">
                      {figures ? format.money(figures.totalCents) : '—'}
                    </Table.Td>
                  </Table.Tr>
                </Table.Tbody>
              </Table>
            </Group>
          </Paper>
          {problem && (
            <Alert color="red" variant="light" role="alert" data-testid="new-invoice-problem">
              {problem}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => navigate('customers', customerNumber)} disabled={create.isPending}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="create-invoice">
              Create invoice
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
