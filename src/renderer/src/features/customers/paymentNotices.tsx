import { Anchor } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ReactNode } from 'react';
import type { PaymentSummaryDto } from '../../../../shared/contract/payments';
import { navigate } from '../../lib/router';
import type { Formatters } from '../../lib/settings';

/** How the history's actions name a payment and its confirmation, and tell the clerk what became of it. */

export function ToDocuments({ tab }: { tab: string }) {
  return (
    <Anchor
      href={tab === 'Print queue' ? '#/documents/print' : '#/documents'}
      size="sm"
      onClick={(e) => {
        e.preventDefault();
        if (tab === 'Print queue') navigate('documents', 'print');
        else navigate('documents');
      }}
    >
      Open Documents → {tab}
    </Anchor>
  );
}

export function notify(color: string, title: string, message: ReactNode): void {
  notifications.show({
    color,
    title,
    message,
    autoClose: 8000,
    closeButtonProps: { 'aria-label': 'Close message' },
    // Mantine greys a titled message's text below 4.5:1; what happened to the document is read, not skimmed.
    styles: { description: { color: 'var(--mantine-color-text)' } },
  });
}

/** How the clerk names a payment in a button's label or a message: its confirmation number, else what and when. */
export function paymentName(p: PaymentSummaryDto, format: Formatters): string {
  return p.confirmationNumber ?? `${p.methodLabel} ${format.money(p.amountCents)} of ${format.date(p.receivedOn)}`;
}

/** "Confirmation K7QX-4M2P", or for a payment without a number "The confirmation of the declined payment of $120.00 (...)". */
export function documentName(p: PaymentSummaryDto, format: Formatters): string {
  if (p.confirmationNumber) return `Confirmation ${p.confirmationNumber}`;
  return `The confirmation of the ${p.status} payment of ${format.money(p.amountCents)} (${p.methodLabel}, ${format.date(p.receivedOn)})`;
}

/** A reason from the printer or the mail server, ending as a sentence. */
export function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
