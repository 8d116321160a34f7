import fs from 'node:fs';
import path from 'node:path';
import { test } from '@playwright/test';
import { balanceFollowsPaymentAtB, formKeepsWhatWasTyped, scratchDir, seedLedger, startDevWeb, type Workstation } from './live';

/**
 * The same promise on one workstation: two `dev:web` servers on one SQLite file.
 * Only the sqlite project runs it (playwright.config.ts, sqliteOnly).
 */
test.describe('live updates on one SQLite ledger shared by two dev:web servers', () => {
  test.describe.configure({ timeout: 120_000 });
  let scratch: string;
  let a: Workstation;
  let b: Workstation;
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    scratch = scratchDir();
    const ledger = { ledgerPath: path.join(scratch, 'ledger.db') };
    await seedLedger(ledger, scratch);
    [a, b] = await Promise.all([startDevWeb('A', ledger, scratch), startDevWeb('B', ledger, scratch)]);
  });
  test.afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('a payment taken through the other process shows in the open account within 2 seconds', async ({ page }) => {
    await balanceFollowsPaymentAtB(page, a, b, 'sqlite');
  });

  test('a payment form being filled in keeps what was typed when the other process’s payment refreshes it', async ({ page }) => {
    await formKeepsWhatWasTyped(page, a, b, 'sqlite');
  });
});
