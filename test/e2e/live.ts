import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { fixedClock } from '../../src/main/clock';
import { openNodeRuntime } from '../../src/main/runtime';
import { silentLogger } from '../../src/main/log';
import { memorySecretStore } from '../../src/main/documents/ports';
import { addScenarioCustomer, NOW } from './seeded';
import { E2E_ADMIN, screenshotPath } from './server';
import { launchDevWeb } from '../../bin/dev-web.launch';

/**
 * Live updates end to end, as the office runs them: two `npm run dev:web` servers (two processes,
 * each its own runtime and HTTP bridge) on one ledger. The account is open in the browser on
 * workstation A; a payment is taken through workstation B's HTTP API; A's screen shows the new
 * balance within 2 seconds, without anyone touching it.
 */

export const PROMISE_MS = 2_000;
const CUSTOMER = 'CL2050';

export interface Ledger {
  /** PostgreSQL: the office ledger's address. */
  databaseUrl?: string;
  /** SQLite: the file both processes open. */
  ledgerPath?: string;
}

/** One `dev:web` server: its address, token and a signed-in session, and how to stop it. */
export interface Workstation {
  name: string;
  baseUrl: string;
  token: string;
  session: string;
  /** The page's address, ending in `route=` like TestApp.url. */
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** The customer and the administrator the workstations sign in as, written once before either server starts. */
export async function seedLedger(ledger: Ledger, scratch: string): Promise<void> {
  const runtime = await openNodeRuntime({
    ledgerPath: ledger.ledgerPath ?? path.join(scratch, 'seed-ledger.db'),
    ...(ledger.databaseUrl ? { databaseUrl: ledger.databaseUrl } : {}),
    log: silentLogger,
    secrets: memorySecretStore(),
    clock: fixedClock(NOW),
  });
  try {
    await runtime.core.staff.users.create({ id: null, username: 'cli:e2e', name: null }, { ...E2E_ADMIN, role: 'admin', mustChangePassword: false });
    // Through the channels, so the same on both engines.
    await addScenarioCustomer(runtime, {
      customerNumber: CUSTOMER,
      legalName: 'Cedar Row Bakery',
      invoices: [
        { invoiceNumber: 'INV-2050-1', issueDate: '2026-08-01', dueDate: '2026-08-31', cents: 30_000 },
        { invoiceNumber: 'INV-2050-2', issueDate: '2026-09-01', dueDate: '2026-10-01', cents: 45_000 },
        { invoiceNumber: 'INV-2050-3', issueDate: '2026-11-01', dueDate: '2026-12-01', cents: 12_500 },
      ],
    });
  } finally {
    await runtime.close();
  }
}

/** `dev:web` on the given ledger (bin/dev-web.launch.ts), signed in as the end-to-end administrator. */
export async function startDevWeb(name: string, ledger: Ledger, scratch: string): Promise<Workstation> {
  const w = await launchDevWeb({ name, ...ledger, scratch, signIn: { username: E2E_ADMIN.username, password: E2E_ADMIN.password } });
  return {
    name,
    baseUrl: w.baseUrl,
    token: w.token,
    session: w.session,
    url: `${w.baseUrl}/#token=${encodeURIComponent(w.token)}&session=${encodeURIComponent(w.session)}&route=`,
    output: w.output,
    stop: w.stop,
  };
}

/** A temporary folder for the workstations' user data (and the SQLite ledger), removed after. */
export function scratchDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-e2e-live-'));
}

/** Calls a channel on a workstation's bridge the way a page does: token, staff session, JSON. */
async function ask<T>(w: Workstation, channel: string, input: unknown): Promise<T> {
  const res = await fetch(`${w.baseUrl}/ipc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ar-desk-token': w.token, 'x-ar-desk-session': w.session },
    body: JSON.stringify(input),
  });
  const envelope = (await res.json()) as { ok: boolean; data?: T; error?: { code: string; message: string } };
  if (!envelope.ok) throw new Error(`${channel} failed at workstation ${w.name}: ${envelope.error?.code} ${envelope.error?.message}`);
  return envelope.data as T;
}

/** What the page's window holds for the measurement (the Node project has no DOM types). */
interface PageGlobals {
  balanceChangedAt?: number;
  MutationObserver: new (callback: (records: unknown[], observer: { disconnect(): void }) => void) => {
    observe(target: unknown, options: Record<string, boolean>): void;
  };
}

/** Remembers (Date.now() in the page) the moment the open balance first shows something other than `from`. */
async function watchBalance(page: Page, from: string): Promise<void> {
  await page.getByTestId('open-balance').evaluate((el, initial) => {
    const w = globalThis as unknown as PageGlobals;
    const text = () => (el as unknown as { textContent: string | null }).textContent;
    new w.MutationObserver((_records, observer) => {
      if (text() !== initial && w.balanceChangedAt === undefined) {
        w.balanceChangedAt = Date.now();
        observer.disconnect();
      }
    }).observe(el, { childList: true, characterData: true, subtree: true });
  }, from);
}

async function takePaymentAt(b: Workstation, invoiceNumbers: string[]): Promise<{ sentAt: number; answeredAt: number; chargeCents: number }> {
  const quote = await ask<{ ok: boolean; chargeCents: number }>(b, 'payments.quote', { customerNumber: CUSTOMER, invoiceNumbers, creditNumbers: [] });
  expect(quote.ok).toBe(true);
  const sentAt = Date.now();
  const paid = await ask<{ status: string }>(b, 'payments.submit', {
    customerNumber: CUSTOMER,
    invoiceNumbers,
    creditNumbers: [],
    method: { type: 'card', cardNumber: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '314', nameOnCard: 'Ines Duarte', postalCode: '97201', save: false },
    confirmedAmountCents: quote.chargeCents,
    idempotencyKey: crypto.randomUUID(),
  });
  const answeredAt = Date.now();
  expect(paid.status).toBe('approved');
  return { sentAt, answeredAt, chargeCents: quote.chargeCents };
}

const dollars = (cents: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);

export async function balanceFollowsPaymentAtB(page: Page, a: Workstation, b: Workstation, engine: string): Promise<void> {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(`${a.url}/#/customers/${CUSTOMER}`);
  // The first load is not what is measured: it may take its time on a busy machine.
  await expect(page.getByTestId('account-name')).toHaveText('Cedar Row Bakery', { timeout: 30_000 });
  const before = await ask<{ balance: { openCents: number } }>(b, 'customers.account', { customerNumber: CUSTOMER });
  const balance = page.getByTestId('open-balance');
  await expect(balance).toHaveText(dollars(before.balance.openCents), { timeout: 30_000 });
  await watchBalance(page, dollars(before.balance.openCents));

  const { sentAt, answeredAt, chargeCents } = await takePaymentAt(b, ['INV-2050-1']);
  expect(chargeCents).toBeGreaterThan(0);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).balanceChangedAt !== undefined, null, { timeout: 10_000 });
  const changedAt = await page.evaluate(() => (globalThis as unknown as PageGlobals).balanceChangedAt!);
  const delay = changedAt - answeredAt;
  console.log(
    `[${engine}] dev:web A's open balance changed ${delay} ms after dev:web B's payment was answered ` +
      `(from B's submit: answered +${answeredAt - sentAt} ms, A's screen changed +${changedAt - sentAt} ms)`,
  );
  await expect(balance).toHaveText(dollars(before.balance.openCents - chargeCents));
  expect(delay).toBeLessThan(PROMISE_MS);
  await page.getByRole('tab', { name: /Payment history/ }).click();
  await expect(page.getByTestId('payment-history')).toContainText(dollars(chargeCents));
  await page.screenshot({ path: screenshotPath(`live-update-${engine}`) });
}

/**
 * The clerk at A is halfway through taking a payment from the same customer when B's payment
 * lands: the form's invoices refresh (the one B paid goes), and nothing the clerk typed or chose is lost.
 */
export async function formKeepsWhatWasTyped(page: Page, a: Workstation, b: Workstation, engine: string): Promise<void> {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(`${a.url}/#/customers/${CUSTOMER}/pay`);
  await expect(page.getByRole('heading', { name: 'Take a payment' })).toBeVisible({ timeout: 30_000 });
  const paidElsewhere = page.getByRole('checkbox', { name: 'Pay invoice INV-2050-2' });
  await expect(paidElsewhere).toBeVisible({ timeout: 30_000 });
  await page.getByRole('checkbox', { name: 'Pay invoice INV-2050-3' }).check();
  await expect(page.getByTestId('quote-charge')).toHaveText('$125.00');
  await page.getByLabel('Name on card').fill('Ines Duarte');
  await page.getByLabel('Card number').fill('4242 4242');
  await page.getByLabel('Billing ZIP code').fill('97201');

  const { answeredAt } = await takePaymentAt(b, ['INV-2050-2']);
  await expect(paidElsewhere).toHaveCount(0, { timeout: PROMISE_MS });
  console.log(`[${engine}] the payment form at dev:web A dropped the invoice B paid ${Date.now() - answeredAt} ms after B's payment was answered`);
  await expect(page.getByRole('checkbox', { name: 'Pay invoice INV-2050-3' })).toBeChecked();
  await expect(page.getByTestId('quote-charge')).toHaveText('$125.00');
  await expect(page.getByLabel('Name on card')).toHaveValue('Ines Duarte');
  await expect(page.getByLabel('Card number')).toHaveValue(/^4242 4242/);
  await expect(page.getByLabel('Billing ZIP code')).toHaveValue('97201');
  await page.screenshot({ path: screenshotPath(`live-update-form-${engine}`) });
}
