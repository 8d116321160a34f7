import { Grid, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { PaymentsInFlight } from '../../components/PaymentsInFlight';
import { ErrorNotice, Loading } from '../../components/states';
import { ConfirmPaymentModal } from './ConfirmPaymentModal';
import { CreditPicker, InvoicePicker } from './InvoicePicker';
import { ApprovedPanel, PendingPanel } from './PaymentOutcome';
import { MethodSection, PaymentHeader, Section, SummaryPanel } from './TakePaymentPanels';
import { useTakePayment } from './useTakePayment';

export function TakePaymentScreen({ customerNumber }: { customerNumber: string }) {
  const pay = useTakePayment(customerNumber);
  const { account, customer, outcome } = pay;
  // Ctrl+P brought the clerk here; pressed again it must not open the browser's print dialog.
  useHotkeys([['mod+P', () => {}]], []);

  if (account.error) return <ErrorNotice title="The account could not be loaded" error={account.error} onRetry={account.reload} />;
  if (!account.data || !customer) return <Loading what={`account ${customerNumber}`} />;

  if (outcome?.kind === 'approved') {
    return (
      <Stack maw={1100}>
        <Text c="dimmed">
          {customer.customerNumber} · {customer.legalName}
        </Text>
        <ApprovedPanel
          result={outcome.result}
          methodLabel={outcome.methodLabel}
          delivery={outcome.delivery}
          emailTo={outcome.emailTo}
          accountAfter={outcome.accountAfter}
          creditsLeft={outcome.creditsLeft}
          customerNumber={customerNumber}
          onAnother={pay.startOver}
          received={outcome.received ?? false}
        />
      </Stack>
    );
  }
  if (outcome?.kind === 'pending') {
    return (
      <Stack maw={1100}>
        <Text c="dimmed">
          {customer.customerNumber} · {customer.legalName}
        </Text>
        <PendingPanel result={outcome.result} customerNumber={customerNumber} onAnother={pay.startOver} />
      </Stack>
    );
  }
  if (pay.resuming) {
    return (
      <Stack maw={1100}>
        <Text c="dimmed">
          {customer.customerNumber} · {customer.legalName}
        </Text>
        {pay.watchError ? (
          <ErrorNotice title="The payment sent before the reload could not be looked up" error={pay.watchError} onRetry={pay.reloadWatch} />
        ) : (
          <Paper withBorder p="lg" data-testid="payment-resuming" style={{ borderColor: 'var(--mantine-color-yellow-5)', borderWidth: 2 }}>
            <Group gap="sm">
              <Loader size="sm" color="yellow.9" />
              <Title order={2}>Looking for the payment just sent</Title>
            </Group>
            <Text mt="sm">
              This window was reloaded while a payment was on its way. Its outcome appears here as soon as the ledger has it; do
              not take the payment again.
            </Text>
          </Paper>
        )}
      </Stack>
    );
  }

  return (
    <Stack gap="md" maw={1400} data-payment-form>
      <PaymentHeader account={account.data} customerNumber={customerNumber} />
      <PaymentsInFlight customerNumber={customerNumber} />
      <Grid gap="md" align="flex-start">
        <Grid.Col span={7}>
          <Stack gap="md">
            <Section title="Invoices to pay">
              <InvoicePicker invoices={pay.invoices} selection={pay.selection} onChange={pay.setSelection} refusedInvoice={pay.refusal?.invoiceNumber} />
            </Section>
            <Section title="Credits to apply">
              <CreditPicker credits={account.data.credits} selected={pay.credits} onChange={pay.setCredits} />
            </Section>
            <MethodSection pay={pay} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={5} style={{ position: 'sticky', top: 68 }}>
          <SummaryPanel pay={pay} />
        </Grid.Col>
      </Grid>
      <ConfirmPaymentModal confirmation={pay.confirmation} submitting={pay.submitting} onOk={(authorized) => void pay.submit(authorized)} onCancel={pay.cancelConfirmation} />
    </Stack>
  );
}
