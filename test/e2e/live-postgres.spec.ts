import fs from 'node:fs';
import { test } from '@playwright/test';
import { createE2eDatabase, type E2eDatabase } from './engine';
import { balanceFollowsPaymentAtB, formKeepsWhatWasTyped, scratchDir, seedLedger, startDevWeb, type Workstation } from './live';

/**
 * The office ledger on PostgreSQL, the case the office-ledger issue is about: two `dev:web` servers
 * on one fresh database of the test cluster (AR_DESK_TEST_DATABASE_URL), dropped after.
 * Only the postgres project runs it (playwright.config.ts, postgresOnly).
 */
test.describe('live updates on the office ledger (PostgreSQL), two dev:web servers', () => {
  test.describe.configure({ timeout: 120_000 });
  let database: E2eDatabase;
  let scratch: string;
  let a: Workstation;
  let b: Workstation;
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    database = await createE2eDatabase('t_e2e_live');
    scratch = scratchDir();
    await seedLedger({ databaseUrl: database.url }, scratch);
    [a, b] = await Promise.all([startDevWeb('A', { databaseUrl: database.url }, scratch), startDevWeb('B', { databaseUrl: database.url }, scratch)]);
  });
  test.afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('a payment taken at another workstation shows in the open account within 2 seconds', async ({ page }) => {
    await balanceFollowsPaymentAtB(page, a, b, 'postgres');
  });

  test('a payment form being filled in keeps what was typed when another workstation’s payment refreshes it', async ({ page }) => {
    await formKeepsWhatWasTyped(page, a, b, 'postgres');
  });
});
