// The core @tanstack/react-query re-exports, without React's types (which would change the DOM stubs of the Node project).
import { QueryClient, QueryObserver } from '@tanstack/query-core';
import { describe, expect, it } from 'vitest';
import { holdRefreshes, refresherFor } from '../../../src/renderer/src/lib/refreshOnChange';

/** A query on screen (one observer) whose answers are counted. */
function onScreen(client: QueryClient, channel: string) {
  let asked = 0;
  const observer = new QueryObserver(client, { queryKey: [channel, { customerNumber: 'CL1042' }], queryFn: async () => ++asked });
  const stop = observer.subscribe(() => undefined);
  return { asked: () => asked, stop };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('the refresh after a live update', () => {
  it('asks again for every ledger read on screen, but not for the ones no ledger change can change', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const account = onScreen(client, 'customers.account');
    const printers = onScreen(client, 'printers.list');
    await settle();
    expect([account.asked(), printers.asked()]).toEqual([1, 1]);
    refresherFor(client).refresh();
    await settle();
    expect([account.asked(), printers.asked()]).toEqual([2, 1]);
    account.stop();
    printers.stop();
  });

  it('waits while a write is on its way and refreshes once when it settles', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const account = onScreen(client, 'customers.account');
    await settle();
    let answer!: () => void;
    const submit = client.getMutationCache().build(client, { mutationFn: () => new Promise<void>((r) => (answer = r)) });
    const submitting = submit.execute(undefined);
    expect(client.isMutating()).toBe(1);

    const refresher = refresherFor(client);
    refresher.refresh();
    refresher.refresh();
    await settle();
    expect(account.asked()).toBe(1);
    expect(client.getQueryState(['customers.account', { customerNumber: 'CL1042' }])?.isInvalidated).toBe(false);

    answer();
    await submitting;
    await settle();
    expect(account.asked()).toBe(2);
    account.stop();
  });

  it('waits while a screen holds refreshes back (the amount being read back), then refreshes once', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const quote = onScreen(client, 'payments.quote');
    await settle();
    const refresher = refresherFor(client);
    const release = holdRefreshes(client);
    refresher.refresh();
    refresher.refresh();
    await settle();
    expect(quote.asked()).toBe(1);
    release();
    release();
    await settle();
    expect(quote.asked()).toBe(2);
    refresher.refresh();
    await settle();
    expect(quote.asked()).toBe(3);
    refresher.stop();
    quote.stop();
  });
});
