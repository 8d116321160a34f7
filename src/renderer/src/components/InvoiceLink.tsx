import { Anchor } from '@mantine/core';
import { navigate } from '../lib/router';

/** An invoice number that opens the invoice's screen (#/invoices/INV-…), wherever an invoice is listed. */
export function InvoiceLink({ invoiceNumber }: { invoiceNumber: string }) {
  return (
    <Anchor
      href={`#/invoices/${encodeURIComponent(invoiceNumber)}`}
      fw={600}
      // Dark enough on a selected or refused row's tint as well as on white.
      c="blue.9"
      inherit
      style={{ whiteSpace: 'nowrap' }}
      data-testid="invoice-link"
      onClick={(e) => {
        // Inside a clickable row (the payment's invoice picker) the link opens the invoice, not the row's action.
        e.preventDefault();
        e.stopPropagation();
        navigate('invoices', invoiceNumber);
      }}
    >
      {invoiceNumber}
    </Anchor>
  );
}
