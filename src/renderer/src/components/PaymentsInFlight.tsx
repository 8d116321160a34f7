import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { PaymentSummaryDto } from '../../../shared/contract/payments';
import { ATTEMPT_ARRIVAL_MS, attemptOf, forgetAttempt } from '../lib/paymentAttempt';
import { invalidate, LEDGER_READS, useChannel } from '../lib/queries';
import { useFormat } from '../lib/settings';

/** How often payments still in flight are asked about. */
const WATCH_EVERY_MS = 1_000;

const settled = (p: PaymentSummaryDto) => p.status !== 'pending';

/**
 * The customer's payments in flight, from the ledger: every pending one (whichever window or clerk
 * sent it), and, once settled, each one seen pending here or sent by this tab before it left the
 * payment screen (Back, Reload), with its confirmation number or the reason it was declined. The
 * list is asked again every second while anything is in flight, and balances are refreshed when a
 * payment settles.
 */
function usePaymentsInFlight(customerNumber: string, withAttempt: boolean) {
  const client = useQueryClient();
  const [attempt, setAttempt] = useState(() => (withAttempt ? attemptOf(customerNumber) : null));
  const [watched, setWatched] = useState<ReadonlySet<number>>(new Set());
  const [dismissed, setDismissed] = useState<ReadonlySet<number>>(new Set());
  const refreshed = useRef(new Set<number>());

  // This tab's own attempt: which payment it became (it may have settled before this screen opened).
  const ownInput = attempt ? { idempotencyKey: attempt.idempotencyKey } : null;
  const ownFollowed = useChannel('payments.get', ownInput);
  const ownSettled = ownFollowed.data !== undefined && settled(ownFollowed.data);
  const own = useChannel('payments.get', ownSettled ? null : ownInput, { refreshEvery: WATCH_EVERY_MS });
  const ownDetail = ownFollowed.data ?? own.data;
  const ownId = ownDetail?.paymentId ?? null;

  const [polling, setPolling] = useState(false);
  const list = useChannel('payments.list', { customerNumber }, polling ? { refreshEvery: WATCH_EVERY_MS } : {});
  const payments = useMemo(() => list.data?.payments ?? [], [list.data]);
  const inFlight = payments.some((p) => p.status === 'pending') || (attempt !== null && (ownId === null || ownDetail?.status === 'pending'));
  useEffect(() => setPolling(inFlight), [inFlight]);

  useEffect(() => {
    if (!attempt) return;
    if (ownDetail && settled(ownDetail)) {
      // Shown here from now on; the tab no longer needs to remember it.
      forgetAttempt(customerNumber, attempt.idempotencyKey);
    } else if (!ownDetail && own.error?.code === 'NOT_FOUND' && Date.now() - attempt.sentAt > ATTEMPT_ARRIVAL_MS) {
      forgetAttempt(customerNumber, attempt.idempotencyKey);
      setAttempt(null);
    }
  }, [attempt, ownDetail, own.error, customerNumber]);

  useEffect(() => {
    const pending = payments.filter((p) => p.status === 'pending' && !watched.has(p.paymentId));
    if (pending.length > 0) setWatched((w) => new Set([...w, ...pending.map((p) => p.paymentId)]));
    const justSettled = payments.filter((p) => settled(p) && (watched.has(p.paymentId) || p.paymentId === ownId) && !refreshed.current.has(p.paymentId));
    if (justSettled.length > 0) {
      for (const p of justSettled) refreshed.current.add(p.paymentId);
      // The balance, the invoices and the aging changed with it.
      void invalidate(client, LEDGER_READS.filter((c) => c !== 'payments.list'));
    }
  }, [payments, watched, ownId, client]);

  const shown = payments.filter(
    (p) => !dismissed.has(p.paymentId) && (p.status === 'pending' || watched.has(p.paymentId) || p.paymentId === ownId),
  );
  const waitingForOwn = attempt !== null && ownId === null;
  return {
    shown,
    waitingForOwn,
    dismiss: (paymentId: number) => setDismissed((d) => new Set([...d, paymentId])),
  };
}

function invoicesOf(p: PaymentSummaryDto): string {
  const numbers = [...new Set(p.applied.map((a) => a.invoiceNumber))];
  return numbers.length === 0 ? '' : ` for ${numbers.join(', ')}`;
}

/** Payments in flight on this customer's account, above the figures they are about to change. */
export function PaymentsInFlight({ customerNumber, withAttempt = false }: { customerNumber: string; withAttempt?: boolean }) {
  const format = useFormat();
  const { shown, waitingForOwn, dismiss } = usePaymentsInFlight(customerNumber, withAttempt);
  if (shown.length === 0 && !waitingForOwn) return null;
  return (
    <Stack gap="xs" data-testid="payments-in-flight" aria-live="polite">
      {waitingForOwn && shown.length === 0 && (
        <Alert color="yellow" variant="light" icon={<Loader size="xs" color="yellow.9" />} title="Looking for the payment just sent" data-testid="inflight-looking">
          The payment screen was left while a payment was being sent. Its outcome appears here; do not take it again.
        </Alert>
      )}
      {shown.map((p) => {
        const what = `${format.money(p.amountCents)} · ${p.methodLabel}${invoicesOf(p)}`;
        if (p.status === 'pending') {
          return (
            <Alert
              key={p.paymentId}
              color="yellow"
              variant="light"
              icon={<Loader size="xs" color="yellow.9" />}
              title="Payment in progress — waiting for the card processor"
              data-testid="inflight-pending"
            >
              <Text size="sm">
                {what}, taken by {p.clerk}. Do not take it again: this updates on its own when the processor answers.
              </Text>
            </Alert>
          );
        }
        const approved = p.status === 'captured' || p.status === 'voided';
        return (
          <Alert
            key={p.paymentId}
            color={approved ? 'teal' : 'red'}
            variant="light"
            title={approved ? 'Payment approved' : 'Payment declined — the customer was not charged'}
            data-testid={approved ? 'inflight-approved' : 'inflight-declined'}
            withCloseButton={false}
          >
            <Group justify="space-between" align="flex-end" wrap="nowrap">
              <Stack gap={2}>
                {approved && (
                  <Text size="sm">
                    Confirmation number{' '}
                    <Text span ff="monospace" fw={800} fz="lg" style={{ letterSpacing: '0.06em' }} data-testid="inflight-confirmation">
                      {p.confirmationNumber}
                    </Text>
                  </Text>
                )}
                <Text size="sm">{approved ? what : `${what}: ${p.declineMessage ?? 'not approved'}`}</Text>
              </Stack>
              <Button size="xs" variant="default" onClick={() => dismiss(p.paymentId)} aria-label={`Dismiss: ${p.confirmationNumber ?? 'payment'}`}>
                OK
              </Button>
            </Group>
          </Alert>
        );
      })}
    </Stack>
  );
}
