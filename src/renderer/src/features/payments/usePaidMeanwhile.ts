import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { InvoiceSelection } from './InvoicePicker';
import { fetchChannel } from '../../lib/queries';

/**
 * Live updates refresh the payment screen while the clerk is still choosing: when an invoice of the
 * selection has left the open invoices (another workstation's payment paid it), it is taken off the
 * selection and the clerk is told, naming that payment, in the words Submit would have used. Not
 * while the amount is being read back or sent (`busy`): the screen holds refreshes back then, and
 * main refuses a stale payment itself.
 */
export function usePaidMeanwhile(options: {
  customerNumber: string;
  /** The account's open invoices now; undefined while loading. */
  openInvoiceNumbers: readonly string[] | undefined;
  selection: InvoiceSelection;
  setSelection(update: (s: InvoiceSelection) => InvoiceSelection): void;
  busy: boolean;
  tell(message: string): void;
}): void {
  const client = useQueryClient();
  const { customerNumber, openInvoiceNumbers, selection, setSelection, busy, tell } = options;
  useEffect(() => {
    if (busy || !openInvoiceNumbers || selection === 'all') return;
    const open = new Set(openInvoiceNumbers);
    const gone = selection.filter((n) => !open.has(n));
    if (gone.length === 0) return;
    setSelection((s) => (s === 'all' ? s : s.filter((n) => open.has(n))));
    void fetchChannel(client, 'payments.list', { customerNumber })
      .then(({ payments }) => payments)
      .catch(() => [])
      .then((payments) => {
        const told = gone.map((invoiceNumber) => {
          const paidBy = payments.find((p) => p.status === 'captured' && p.applied.some((a) => a.invoiceNumber === invoiceNumber));
          return paidBy?.confirmationNumber
            ? `${invoiceNumber} was paid a moment ago by another payment (${paidBy.confirmationNumber})`
            : `${invoiceNumber} is no longer open`;
        });
        tell(`${told.join('; ')}; nothing was charged. The selection has been updated: check the amount before you submit.`);
      });
  }, [busy, openInvoiceNumbers, selection, setSelection, customerNumber, client, tell]);
}
