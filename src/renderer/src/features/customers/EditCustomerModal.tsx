import { Alert, Button, Checkbox, Divider, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { AddressDto, CustomerChangesInput, CustomerDto } from '../../../../shared/contract/customers';
import { AppError } from '../../../../shared/errors';
import { toAppError } from '../../lib/api';
import { LEDGER_READS, useWrite } from '../../lib/queries';
import { fieldErrorsOf, fieldMessage } from '../../lib/fieldErrors';

type AddressForm = Record<keyof AddressDto, string>;

interface FormState {
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
}

const ADDRESS_KEYS: (keyof AddressDto)[] = ['line1', 'line2', 'city', 'region', 'postalCode', 'country'];

function addressForm(a: AddressDto | null): AddressForm {
  return Object.fromEntries(ADDRESS_KEYS.map((k) => [k, a?.[k] ?? ''])) as AddressForm;
}

function formOf(c: CustomerDto): FormState {
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
function changesBetween(before: FormState, after: FormState): CustomerChangesInput {
  const changes: CustomerChangesInput = {};
  if (after.legalName !== before.legalName) changes.legalName = after.legalName.trim();
  if (after.billingContact !== before.billingContact) changes.billingContact = orNull(after.billingContact);
  if (after.email !== before.email) changes.email = orNull(after.email);
  if (after.phone !== before.phone) changes.phone = orNull(after.phone);
  if (JSON.stringify(after.address) !== JSON.stringify(before.address)) changes.address = addressOut(after.address);
  if (after.separateMailing !== before.separateMailing || JSON.stringify(after.mailingAddress) !== JSON.stringify(before.mailingAddress)) {
    changes.mailingAddress = after.separateMailing ? addressOut(after.mailingAddress) : null;
  }
  if (String(after.termsDays) !== String(before.termsDays)) changes.termsDays = Number(after.termsDays);
  if (after.taxExempt !== before.taxExempt) changes.taxExempt = after.taxExempt;
  if (after.status !== before.status) changes.status = after.status;
  if (after.notes !== before.notes) changes.notes = orNull(after.notes);
  return changes;
}

function AddressFields({
  prefix,
  value,
  onChange,
  errors,
  legend,
}: {
  prefix: 'address' | 'mailingAddress';
  value: AddressForm;
  onChange(next: AddressForm): void;
  errors: Record<string, string>;
  legend: string;
}) {
  const field = (k: keyof AddressDto, label: string, span = 1) => (
    <TextInput
      key={k}
      label={label}
      value={value[k]}
      onChange={(e) => onChange({ ...value, [k]: e.currentTarget.value })}
      error={fieldMessage(errors[`${prefix}.${k}`] ?? (prefix === 'address' ? errors[k] : undefined), label)}
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
  const [initial] = useState(() => formOf(customer));
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const update = useWrite('customers.update', { invalidates: LEDGER_READS });
  const saving = update.isPending;
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setForm((f) => ({ ...f, [k]: v }));

  const save = async () => {
    const changes = changesBetween(initial, form);
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    setProblem(null);
    try {
      const saved = await update.mutateAsync({ customerNumber: customer.customerNumber, changes });
      setErrors({});
      onSaved(saved);
    } catch (e) {
      const fields = fieldErrorsOf(e, 'changes.');
      setErrors(fields);
      const known = new Set(['legalName', 'billingContact', 'email', 'phone', 'termsDays', 'taxExempt', 'status', 'notes']);
      const placed = Object.keys(fields).some((k) => known.has(k) || k.startsWith('address') || k.startsWith('mailingAddress') || ADDRESS_KEYS.includes(k as keyof AddressDto));
      setProblem(
        e instanceof AppError && e.code === 'VALIDATION' && placed
          ? 'Some details need correcting; see the messages under the fields.'
          : toAppError(e).message,
      );
    }
  };

  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} title={`Edit ${customer.customerNumber} — ${customer.legalName}`} size="xl">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        noValidate
      >
        <Stack gap="sm">
          {problem && (
            <Alert color="red" variant="light" role="alert">
              {problem}
            </Alert>
          )}
          <TextInput label="Legal name" required value={form.legalName} onChange={(e) => set('legalName', e.currentTarget.value)} error={fieldMessage(errors.legalName, 'Legal name')} data-autofocus />
          <SimpleGrid cols={3} spacing="sm">
            <TextInput label="Billing contact" value={form.billingContact} onChange={(e) => set('billingContact', e.currentTarget.value)} error={fieldMessage(errors.billingContact, 'Billing contact')} />
            <TextInput label="Phone" value={form.phone} onChange={(e) => set('phone', e.currentTarget.value)} error={fieldMessage(errors.phone, 'Phone')} />
            <TextInput label="Email" type="email" value={form.email} onChange={(e) => set('email', e.currentTarget.value)} error={fieldMessage(errors.email, 'Email')} />
          </SimpleGrid>
          <Divider label="Address" labelPosition="left" />
          <AddressFields prefix="address" legend="Address" value={form.address} onChange={(a) => set('address', a)} errors={errors} />
          <Checkbox
            label="Bills go to a different mailing address"
            checked={form.separateMailing}
            onChange={(e) => set('separateMailing', e.currentTarget.checked)}
          />
          {form.separateMailing && (
            <AddressFields prefix="mailingAddress" legend="Mailing address" value={form.mailingAddress} onChange={(a) => set('mailingAddress', a)} errors={errors} />
          )}
          <Divider label="Billing" labelPosition="left" />
          <SimpleGrid cols={3} spacing="sm">
            <NumberInput
              label="Payment terms (days)"
              value={form.termsDays}
              onChange={(v) => set('termsDays', v)}
              allowDecimal={false}
              allowNegative={false}
              error={fieldMessage(errors.termsDays, 'Payment terms')}
            />
            <Select
              label="Status"
              data={[
                { value: 'active', label: 'Active' },
                { value: 'cancelled', label: 'Cancelled' },
              ]}
              value={form.status}
              onChange={(v) => v && set('status', v as FormState['status'])}
              allowDeselect={false}
              error={fieldMessage(errors.status, 'Status')}
            />
            <Checkbox mt={30} label="Tax exempt" checked={form.taxExempt} onChange={(e) => set('taxExempt', e.currentTarget.checked)} />
          </SimpleGrid>
          <Textarea label="Notes" autosize minRows={2} value={form.notes} onChange={(e) => set('notes', e.currentTarget.value)} error={fieldMessage(errors.notes, 'Notes')} />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              Save changes
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
