import { Badge, Box, Button, Group, Kbd, Paper, Stack, Text, Title } from '@mantine/core';
import { forwardRef, type ReactNode } from 'react';
import type { AddressDto, CustomerDto } from '../../../../shared/contract/customers';
import { isUnitedStates } from '../../../../shared/validation';
import { formatPhone, formatTerms } from '../../lib/format';
import { useFormat } from '../../lib/settings';
import { AccountField } from './AccountField';
import { InvoiceDeliveryField } from './InvoiceDeliveryField';

function addressLines(a: AddressDto | null): string[] {
  if (!a) return [];
  const street = [a.line1, a.line2].filter(Boolean).join(', ');
  const cityLine = [a.city, [a.region, a.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  // The office is in the US: only a foreign country is worth a line.
  const country = a.country && !isUnitedStates(a.country) ? a.country : null;
  return [street, cityLine, country].filter((l): l is string => !!l && l.trim() !== '');
}


function AddressBlock({ address, fallback }: { address: AddressDto | null; fallback: string }) {
  const lines = addressLines(address);
  if (lines.length === 0) return <Text size="sm" c="dimmed">{fallback}</Text>;
  return (
    <>
      {lines.map((l, i) => (
        <Text key={i} size="sm">
          {l}
        </Text>
      ))}
    </>
  );
}

export const AccountHeader = forwardRef<HTMLHeadingElement, {
  customer: CustomerDto;
  onEdit(): void;
  onTakePayment(): void;
  /** More of the account's actions (statement, credit memo, new invoice), before Edit details. */
  actions?: ReactNode;
}>(function AccountHeader({ customer, onEdit, onTakePayment, actions }, titleRef) {
  const format = useFormat();
  const cancelled = customer.cancellation;
  return (
    <Paper withBorder p="md">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={4} miw={0}>
            <Group gap="sm" wrap="nowrap">
              <Badge size="lg" variant="outline" color="indigo" radius="sm" ff="monospace" data-testid="account-number">
                {customer.customerNumber}
              </Badge>
              {customer.status === 'active' ? (
                <Badge color="teal" variant="light">
                  Active
                </Badge>
              ) : (
                <Badge color="gray.7" variant="filled">
                  Cancelled
                </Badge>
              )}
              {customer.taxExempt && (
                <Badge color="grape" variant="light">
                  Tax exempt
                </Badge>
              )}
            </Group>
            {/* A long name wraps, even within a word, rather than running under the buttons. */}
            <Title order={2} ref={titleRef} tabIndex={-1} data-testid="account-name" style={{ outlineOffset: 4, overflowWrap: 'anywhere' }}>
              {customer.legalName}
            </Title>
            {cancelled && (
              <Text size="sm" c="red.8" data-testid="account-cancelled">
                Cancelled {cancelled.mode === 'immediate' ? 'immediately' : 'at the end of its term'}: not billed from {format.date(cancelled.on)}. Reason: {cancelled.reason}{' '}
                <Text span c="dimmed" size="sm">
                  ({cancelled.by}, {format.timestamp(cancelled.at)})
                </Text>
              </Text>
            )}
          </Stack>
          <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
            {actions}
            <Button variant="default" onClick={onEdit}>
              Edit details
            </Button>
            <Button onClick={onTakePayment} rightSection={<Kbd size="xs">Ctrl P</Kbd>}>
              Take payment
            </Button>
          </Group>
        </Group>
        <Box style={{ display: 'grid', gridTemplateColumns: '1fr 0.9fr 1.5fr 0.5fr 1.5fr 1.2fr 1.1fr', gap: 'var(--mantine-spacing-md)' }}>
          <AccountField label="Contact">{customer.billingContact ?? <Text span c="dimmed">None on file</Text>}</AccountField>
          <AccountField label="Phone" testId="account-phone">
            {customer.phone ? formatPhone(customer.phone) : <Text span c="dimmed">None on file</Text>}
          </AccountField>
          <AccountField label="Email" testId="account-email">
            {/* One line, cut with an ellipsis rather than broken mid-word; the whole address in its tooltip. */}
            {customer.email ? (
              <Text span inherit truncate display="block" title={customer.email}>
                {customer.email}
              </Text>
            ) : (
              <Text span c="dimmed">None on file</Text>
            )}
          </AccountField>
          <AccountField label="Terms">{formatTerms(customer.termsDays)}</AccountField>
          <AccountField label="Address">
            <AddressBlock address={customer.address} fallback="None on file" />
          </AccountField>
          <AccountField label="Mailing address">
            {customer.mailingAddress ? (
              <AddressBlock address={customer.mailingAddress} fallback="None on file" />
            ) : (
              <Text size="sm" c="dimmed">
                Same as address
              </Text>
            )}
          </AccountField>
          <AccountField label="Invoices">
            <InvoiceDeliveryField customer={customer} />
          </AccountField>
        </Box>
        {customer.notes && (
          <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
            Notes: {customer.notes}
          </Text>
        )}
      </Stack>
    </Paper>
  );
});
