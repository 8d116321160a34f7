import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { CustomerAccountDto } from '../../../../shared/contract/customers';
import type { PaymentDetailDto } from '../../../../shared/contract/payments';
import { ATTEMPT_ARRIVAL_MS, attemptOf, forgetAttempt, type PaymentAttempt } from '../../lib/paymentAttempt';
import { fetchChannel, invalidate, LEDGER_READS, useChannel } from '../../lib/queries';

/** How often a payment still in flight is asked about. */
export const WATCH_EVERY_MS = 1_000;

export type WatchTarget = { paymentId: number } | { idempotencyKey: string };

export type SettledPayment =
  | { kind: 'approved'; detail: PaymentDetailDto; accountAfter: CustomerAccountDto | null }
  | { kind: 'declined'; detail: PaymentDetailDto };

function fetchAccount(client: ReturnType<typeof useQueryClient>, customerNumber: string): Promise<CustomerAccountDto | null> {
  return fetchChannel(client, 'customers.account', { customerNumber }).catch(() => null);
}

/**
 * Follows a payment in the ledger until it settles: the one this screen was told is pending, or the
 * one this tab sent before a Reload (found by its idempotency key). The ledger is the only source:
 * whatever the window did meanwhile, what it shows is what main recorded.
 */
export function usePaymentWatch(
  customerNumber: string,
  pendingPaymentId: number | null,
  onPending: (paymentId: number) => void,
  onSettled: (settled: SettledPayment) => void,
) {
  const client = useQueryClient();
  // Read once: the attempt this tab sent before it was reloaded, if its outcome was never shown.
  const [resume, setResume] = useState<PaymentAttempt | null>(() => attemptOf(customerNumber));
  const target: WatchTarget | null =
    pendingPaymentId !== null ? { paymentId: pendingPaymentId } : resume ? { idempotencyKey: resume.idempotencyKey } : null;
  const watched = useChannel('payments.get', target, target ? { refreshEvery: WATCH_EVERY_MS } : {});
  const handlers = useRef({ onPending, onSettled });
  handlers.current = { onPending, onSettled };
  const settledId = useRef<number | null>(null);

  useEffect(() => {
    if (!target) return;
    const d = watched.data;
    if (!d) {
      // Not in the ledger (yet): a submit cut off by the Reload before it arrived charged nothing.
      if (resume && watched.error?.code === 'NOT_FOUND' && Date.now() - resume.sentAt > ATTEMPT_ARRIVAL_MS) {
        forgetAttempt(customerNumber, resume.idempotencyKey);
        setResume(null);
      }
      return;
    }
    if (d.status === 'pending') {
      handlers.current.onPending(d.paymentId);
      return;
    }
    if (settledId.current === d.paymentId) return;
    settledId.current = d.paymentId;
    if (resume) forgetAttempt(customerNumber, resume.idempotencyKey);
    setResume(null);
    void (async () => {
      // Balances, aging and history changed with it; the account after is read fresh.
      await invalidate(client, LEDGER_READS);
      if (d.status === 'captured' || d.status === 'voided') {
        handlers.current.onSettled({ kind: 'approved', detail: d, accountAfter: await fetchAccount(client, customerNumber) });
      } else {
        handlers.current.onSettled({ kind: 'declined', detail: d });
      }
    })();
  }, [watched.data, watched.error, pendingPaymentId, resume, customerNumber, client]);

  return {
    /** This tab sent a payment before it was reloaded and the ledger has not told yet what became of it. */
    resuming: resume !== null && pendingPaymentId === null,
    error: watched.error && watched.error.code !== 'NOT_FOUND' ? watched.error : undefined,
    reload: watched.reload,
  };
}
