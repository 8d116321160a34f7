import { Alert, Button, Checkbox, Divider, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { useState } from 'react';
import type { AddressDto, CustomerChangesInput, CustomerDto } from '../../../../shared/contract/customers';
import { AppError } from '../../../../shared/errors';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { labelledField } from '../../lib/form';
import { LEDGER_READS, useWrite } from '../../lib/queries';

type AddressForm = Record<keyof AddressDto, string>;

type CustomerForm = {
  legalName: string;
  billingContact: string;
  email: string;
  phone: string;
  address: AddressForm;
  separateMailing: boolean;
  mailingAddress: AddressForm;
  termsDays: number | string;
  taxExempt: boolean;
  status: 'active' | 'cancelled';
  notes: string;
};

const ADDRESS_KEYS: (keyof AddressDto)[] = ['line1', 'line2', 'city', 'region', 'postalCode', 'country'];
const FIELDS = new Set(['legalName', 'billingContact', 'email', 'phone', 'termsDays', 'taxExempt', 'status', 'notes']);

function addressForm(a: AddressDto | null): AddressForm {
  return Object.fromEntries(ADDRESS_KEYS.map((k) => [k, a?.[k] ?? ''])) as AddressForm;
}

/** The customer as the form edits it: text fields as typed, no nulls. */
function customerFormValues(c: CustomerDto): CustomerForm {
  return {
    legalName: c.legalName,
    billingContact: c.billingContact ?? '',
    email: c.email ?? '',
    phone: c.phone ?? '',
    address: addressForm(c.address),
    separateMailing: c.mailingAddress !== null,
    mailingAddress: addressForm(c.mailingAddress),
    termsDays: c.termsDays,
    taxExempt: c.taxExempt,
    status: c.status,
    notes: c.notes ?? '',
  };
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());
const addressOut = (a: AddressForm) =>
  Object.fromEntries(ADDRESS_KEYS.map((k) => [k, orNull(a[k])])) as Record<keyof AddressDto, string | null>;

/** Only what the clerk changed is sent: an untouched field can never be overwritten by a stale copy. */
function changedFields(form: UseFormReturnType<CustomerForm>): CustomerChangesInput {
  const v = form.getValues();
  const changed = (path: keyof CustomerForm) => form.isDirty(path);
  const changes: CustomerChangesInput = {};
  if (changed('legalName')) changes.legalName = v.legalName.trim();
  if (changed('billingContact')) changes.billingContact = orNull(v.billingContact);
  if (changed('email')) changes.email = orNull(v.email);
  if (changed('phone')) changes.phone = orNull(v.phone);
  if (changed('address')) changes.address = addressOut(v.address);
  if (changed('separateMailing') || changed('mailingAddress')) changes.mailingAddress = v.separateMailing ? addressOut(v.mailingAddress) : null;
  if (changed('termsDays')) changes.termsDays = Number(v.termsDays);
  if (changed('taxExempt')) changes.taxExempt = v.taxExempt;
  if (changed('status')) changes.status = v.status;
  if (changed('notes')) changes.notes = orNull(v.notes);
  return changes;
}

/**
 * Main's field messages, keyed as the form's fields. The channel names a field by its path in the
 * changes ("address.postalCode"), a service sometimes by the field alone ("postalCode"): an address
 * field named alone is the service address's.
 */
function formErrorsOf(e: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fieldErrorsOf(e, 'changes.')).map(([k, m]) => [ADDRESS_KEYS.includes(k as keyof AddressDto) ? `address.${k}` : k, m]),
  );
}

function AddressFields({ prefix, form, legend }: { prefix: 'address' | 'mailingAddress'; form: UseFormReturnType<CustomerForm>; legend: string }) {
  const field = (k: keyof AddressDto, label: string, span = 1) => (
    <TextInput
      key={k}
      label={label}
      {...labelledField(form, `${prefix}.${k}`, label)}
      style={span > 1 ? { gridColumn: `span ${span}` } : undefined}
      aria-label={`${legend}: ${label}`}
    />
  );
  return (
    <SimpleGrid cols={4} spacing="sm">
      {field('line1', 'Street', 3)}
      {field('line2', 'Suite, unit')}
      {field('city', 'City')}
      {field('region', 'State or region')}
      {field('postalCode', 'ZIP or postal code')}
      {field('country', 'Country')}
    </SimpleGrid>
  );
}

export function EditCustomerModal({
  customer,
  opened,
  onClose,
  onSaved,
}: {
  customer: CustomerDto;
  opened: boolean;
  onClose(): void;
  onSaved(c: CustomerDto): void;
}) {
  // Field messages stay until the next save: they say what main refused, not what is being typed.
  const form = useForm<CustomerForm>({ initialValues: customerFormValues(customer), clearInputErrorOnChange: false });
  const [problem, setProblem] = useState<string | null>(null);
  const update = useWrite('customers.update', { invalidates: LEDGER_READS });

  const save = async () => {
    const changes = changedFields(form);
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    setProblem(null);
    try {
      const saved = await update.mutateAsync({ customerNumber: customer.customerNumber, changes });
      form.clearErrors();
      onSaved(saved);
    } catch (e) {
      const errors = formErrorsOf(e);
      form.setErrors(errors);
      const placed = Object.keys(errors).some((k) => FIELDS.has(k) || k.startsWith('address') || k.startsWith('mailingAddress'));
      setProblem(
        e instanceof AppError && e.code === 'VALIDATION' && placed
          ? 'Some details need correcting; see the messages under the fields.'
          : toAppError(e).message,
      );
    }
  };

  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} title={`Edit ${customer.customerNumber} — ${customer.legalName}`} size="xl">
      <form onSubmit={form.onSubmit(() => void save())} noValidate>
        <Stack gap="sm">
          {problem && (
            <Alert color="red" variant="light" role="alert">
              {problem}
            </Alert>
          )}
          <TextInput label="Legal name" required {...labelledField(form, 'legalName', 'Legal name')} data-autofocus />
          <SimpleGrid cols={3} spacing="sm">
            <TextInput label="Billing contact" {...labelledField(form, 'billingContact', 'Billing contact')} />
            <TextInput label="Phone" {...labelledField(form, 'phone', 'Phone')} />
            <TextInput label="Email" type="email" {...labelledField(form, 'email', 'Email')} />
          </SimpleGrid>
          <Divider label="Address" labelPosition="left" />
          <AddressFields prefix="address" legend="Address" form={form} />
          <Checkbox label="Bills go to a different mailing address" {...form.getInputProps('separateMailing', { type: 'checkbox' })} />
          {form.getValues().separateMailing && <AddressFields prefix="mailingAddress" legend="Mailing address" form={form} />}
          <Divider label="Billing" labelPosition="left" />
          <SimpleGrid cols={3} spacing="sm">
            <NumberInput
              label="Payment terms (days)"
              {...labelledField(form, 'termsDays', 'Payment terms')}
              allowDecimal={false}
              allowNegative={false}
            />
            <Select
              label="Status"
              data={[
                { value: 'active', label: 'Active' },
                { value: 'cancelled', label: 'Cancelled', disabled: customer.status !== 'cancelled' },
              ]}
              description={customer.status === 'active' ? 'To cancel: Subscriptions tab, Cancel account…' : undefined}
              {...labelledField(form, 'status', 'Status')}
              allowDeselect={false}
            />
            <Checkbox mt={30} label="Tax exempt" {...form.getInputProps('taxExempt', { type: 'checkbox' })} />
          </SimpleGrid>
          <Textarea label="Notes" autosize minRows={2} {...labelledField(form, 'notes', 'Notes')} />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save changes
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
