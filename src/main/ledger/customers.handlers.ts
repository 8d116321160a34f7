import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';
import { postingTime } from './posting';

export function customersHandlers(core: Core): HandlersFor<'customers'> {
  return {
    'customers.get': (input) => core.customers.get(input.customerNumber),
    'customers.create': (input, ctx) => core.customers.create(input, ctx.actor),
    'customers.update': (input, ctx) => core.customers.update(input.customerNumber, input.changes, ctx.actor),
    'customers.account': (input) => core.customers.account(input.customerNumber),
    // Every subscription is cancelled with the account: billing owns that (subscriptions.cancel.ts).
    'customers.cancelAccount': (input, ctx) =>
      core.subscriptions.cancelAccount({ ...input, asOf: input.asOf ?? postingTime(core.deps).businessDate }, ctx.actor),
    'customers.setInvoiceDelivery': (input, ctx) => core.customers.setInvoiceDelivery(input.customerNumber, input.delivery, ctx.actor),
  };
}
