import { Button, Group, Popover, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { CustomerDto } from '../../../../shared/contract/customers';
import type { InvoiceDelivery } from '../../../../shared/settings';
import { fieldErrorsOf, fieldMessage } from '../../lib/fieldErrors';
import { toAppError } from '../../lib/api';
import { LEDGER_READS, useWrite } from '../../lib/queries';
import { useSettings } from '../../lib/settings';

export const DELIVERY_LABEL: Record<InvoiceDelivery, string> = {
  email: 'By email',
  paper: 'On paper, by mail',
  both: 'By email and on paper',
};

const OFFICE_DEFAULT = 'office';

/** How the billing run delivers this customer's invoices, and a small form to change it. */
export function InvoiceDeliveryField({ customer }: { customer: CustomerDto }) {
  const { settings } = useSettings();
  const officeDefault = settings.policy.invoiceDelivery;
  const [opened, setOpened] = useState(false);
  const [choice, setChoice] = useState<string>(customer.invoiceDelivery ?? OFFICE_DEFAULT);
  const [error, setError] = useState<string | null>(null);
  const save = useWrite('customers.setInvoiceDelivery', { invalidates: [...LEDGER_READS, 'customers.get'] });

  const open = () => {
    setChoice(customer.invoiceDelivery ?? OFFICE_DEFAULT);
    setError(null);
    setOpened(true);
  };
  const submit = async () => {
    setError(null);
    try {
      await save.mutateAsync({ customerNumber: customer.customerNumber, delivery: choice === OFFICE_DEFAULT ? null : (choice as InvoiceDelivery) });
      setOpened(false);
    } catch (e) {
      setError(fieldMessage(fieldErrorsOf(e).delivery) ?? toAppError(e).message);
    }
  };

  return (
    <Stack gap={2} align="flex-start">
      <Text size="sm" data-testid="account-invoice-delivery">
        {customer.invoiceDelivery ? DELIVERY_LABEL[customer.invoiceDelivery] : `${DELIVERY_LABEL[officeDefault]} (office default)`}
      </Text>
      <Popover opened={opened} onChange={setOpened} position="bottom-start" withArrow trapFocus shadow="md" width={300}>
        <Popover.Target>
          <Button variant="subtle" size="compact-xs" px={0} onClick={open}>
            Change delivery
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <Stack gap="xs">
              <Select
                label="Invoices from the billing run"
                data={[
                  { value: OFFICE_DEFAULT, label: `Office default (${DELIVERY_LABEL[officeDefault].toLowerCase()})` },
                  { value: 'email', label: DELIVERY_LABEL.email },
                  { value: 'paper', label: DELIVERY_LABEL.paper },
                  { value: 'both', label: DELIVERY_LABEL.both },
                ]}
                value={choice}
                onChange={(v) => setChoice(v ?? OFFICE_DEFAULT)}
                allowDeselect={false}
                comboboxProps={{ withinPortal: false }}
                error={error}
                description={customer.email ? `Email goes to ${customer.email}` : 'No email on file: email delivery needs one'}
              />
              <Group justify="flex-end" gap="xs">
                <Button variant="default" size="xs" onClick={() => setOpened(false)}>
                  Cancel
                </Button>
                <Button type="submit" size="xs" loading={save.isPending}>
                  Save
                </Button>
              </Group>
            </Stack>
          </form>
        </Popover.Dropdown>
      </Popover>
    </Stack>
  );
}
