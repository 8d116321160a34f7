import { Alert, Anchor, Badge, Box, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import type { ReactNode, Ref } from 'react';
import type { CustomerAccountDto } from '../../../../shared/contract/customers';
import { BankForm, CardForm } from '../../components/MethodForms';
import { ErrorNotice, Loading } from '../../components/states';
import { navigate } from '../../lib/router';
import { useFormat, useSettings } from '../../lib/settings';
import { MethodPicker } from './MethodPicker';
import { QuoteSummary } from './QuoteSummary';
import { ReceivedForm } from './ReceivedForm';
import type { TakePayment } from './useTakePayment';

/** The layout of the payment screen; what it shows and does is useTakePayment's. */

export function Section({
  title,
  children,
  aside,
  sectionRef,
}: {
  title: string;
  children: ReactNode;
  aside?: ReactNode;
  sectionRef?: Ref<HTMLElement>;
}) {
  return (
    // The margin keeps a section scrolled into view clear of the fixed header.
    <Paper withBorder p="md" component="section" aria-label={title} ref={sectionRef} style={{ scrollMarginTop: 68 }}>
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h5">
          {title}
        </Title>
        {aside}
      </Group>
      {children}
    </Paper>
  );
}

/** Back to the account, the title, who is paying and what they owe. */
export function PaymentHeader({ account, customerNumber }: { account: CustomerAccountDto; customerNumber: string }) {
  const format = useFormat();
  const { customer, balance } = account;
  return (
    <Group justify="space-between" align="flex-end" wrap="nowrap">
      <Stack gap={2} miw={0}>
        <Anchor
          href={`#/customers/${encodeURIComponent(customerNumber)}`}
          size="sm"
          onClick={(e) => {
            e.preventDefault();
            navigate('customers', customerNumber);
          }}
        >
          ← Back to the account
        </Anchor>
        <Title order={2}>Take a payment</Title>
        <Text style={{ overflowWrap: 'anywhere' }} data-testid="payment-customer">
          <Text span fw={700} ff="monospace">
            {customer.customerNumber}
          </Text>{' '}
          · {customer.legalName}
        </Text>
      </Stack>
      <Group gap="xl" wrap="nowrap" style={{ flexShrink: 0 }}>
        <div>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            Open balance
          </Text>
          <Text fz="xl" fw={700} className="num" ta="left">
            {format.money(balance.openCents)}
          </Text>
        </div>
        <div>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            Past due
          </Text>
          <Text fz="xl" fw={700} className="num" ta="left" c={balance.pastDueCents > 0 ? 'red.8' : undefined}>
            {format.money(balance.pastDueCents)}
          </Text>
        </div>
      </Group>
    </Group>
  );
}

/** A saved method, or a new card or bank account typed in; after a decline, the reason above the form. */
export function MethodSection({ pay }: { pay: TakePayment }) {
  const { methods, choice, declined } = pay;
  return (
    <Section title="Payment method" sectionRef={pay.methodSectionRef}>
      {methods.error ? (
        <ErrorNotice title="The payment methods could not be loaded" error={methods.error} onRetry={methods.reload} />
      ) : !methods.data || choice === null ? (
        <Loading what="payment methods" />
      ) : (
        <Stack gap="md">
          {declined && (
            <Alert color="red.9" variant="filled" title="Declined — the customer was not charged" role="alert" data-testid="payment-declined">
              {declined.message}
            </Alert>
          )}
          <MethodPicker methods={methods.data.methods} value={choice} onChange={pay.chooseMethod} />
          {choice === 'new-card' && (
            <Box ref={pay.cardNumberRef}>
              <CardForm value={pay.card} onChange={pay.setCard} errors={pay.errors} />
            </Box>
          )}
          {choice === 'new-bank' && <BankForm value={pay.bank} onChange={pay.setBank} errors={pay.errors} />}
          {pay.received.active && <ReceivedForm received={pay.received} today={pay.today} />}
        </Stack>
      )}
    </Section>
  );
}

/** The amount, main's quote for the selection, the receipt and the Submit buttons. */
export function SummaryPanel({ pay }: { pay: TakePayment }) {
  const { settings } = useSettings();
  const exactOnly = settings.policy.exactInvoicePayments;
  const { quote, nothingSelected } = pay;
  const submitDisabled = !pay.canSubmit;
  return (
    <Paper withBorder p="md" component="section" aria-label="Payment summary" shadow="xs">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h5">
            Summary
          </Title>
          {pay.selection === 'all' && (
            <Badge variant="light" color="indigo">
              Pay All
            </Badge>
          )}
        </Group>
        {!nothingSelected && (
          <TextInput
            id="payment-amount"
            label="Amount the customer pays"
            placeholder={exactOnly ? 'The full amount due' : 'Required'}
            description={
              exactOnly
                ? 'Leave empty to pay in full. House rule: invoices are paid in full only.'
                : 'Partial payments are allowed: the oldest invoice is paid first.'
            }
            value={pay.amountText}
            onChange={(e) => pay.setAmountText(e.currentTarget.value)}
            error={pay.amount.error}
            inputMode="decimal"
            autoComplete="off"
            size="sm"
          />
        )}
        <QuoteSummary
          quote={quote.data}
          previous={quote.previous}
          error={quote.error}
          loading={quote.loading}
          nothingSelected={nothingSelected}
          amountError={pay.amount.error}
          {...(pay.received.active ? { chargeLabel: 'Amount received' } : {})}
        />
        {pay.okQuote && (
          <Text size="sm" c="dimmed">
            Paying with: <Text span fw={600} c="dark">{pay.payingWith}</Text>
          </Text>
        )}
        {pay.problem && (
          <Alert color="red" variant="light" role="alert" data-testid="payment-problem">
            {pay.problem}
          </Alert>
        )}
        <TextInput
          id="receipt-email"
          label="Email the confirmation to"
          value={pay.emailTo}
          onChange={(e) => pay.setEmailTo(e.currentTarget.value)}
          error={pay.emailError}
          size="sm"
        />
        <Stack gap="xs">
          <Button size="md" onClick={() => pay.startSubmit('none')} disabled={submitDisabled} data-testid="submit">
            Submit
          </Button>
          <Group grow gap="xs">
            <Button onClick={() => pay.startSubmit('print')} disabled={submitDisabled} variant="light" data-testid="submit-print">
              Submit &amp; Print
            </Button>
            <Button onClick={() => pay.startSubmit('email')} disabled={submitDisabled} variant="light" data-testid="submit-email">
              Submit &amp; Email
            </Button>
          </Group>
        </Stack>
        {pay.refusal && (
          <Text size="xs" c="red.8">
            Change the amount or the selection: the house rules refuse this one, so it cannot be submitted.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
