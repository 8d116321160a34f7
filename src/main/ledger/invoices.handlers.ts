import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function invoicesHandlers(core: Core): HandlersFor<'invoices'> {
  return {
    'invoices.get': (input) => core.invoices.get(input.invoiceNumber),
    'invoices.preview': (input) => core.invoices.preview(input),
    'invoices.create': (input, ctx) => core.invoices.create(input, ctx.actor),
    'invoices.void': (input, ctx) => core.invoices.void(input.invoiceNumber, input.reason, ctx.actor),
    'invoices.setDisputed': (input, ctx) =>
      core.invoices.setDisputed(input.invoiceNumber, input.disputed, input.reason, ctx.actor),
  };
}
