import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { runCli } from '../../src/main/cli/cli';
import { formatCents } from '../../src/shared/money';
import { expectNoSeriousA11yViolations } from './a11y';
import { AS_OF, callChannel, startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

interface CliAging {
  asOf: string;
  basis: string;
  totals: Record<string, number>;
  customers: ({ customer_number: string; legal_name: string } & Record<string, number>)[];
}

let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp({ customers: 60 });
});
test.afterAll(async () => {
  await app.close();
});
// Dialogs appear without their fade, so screenshots show them whole.
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

async function cliAging(args: string[]): Promise<CliAging> {
  let out = '';
  // The CLI opens the same ledger the app serves, a SQLite file or a PostgreSQL database.
  const ledger = app.databaseUrl ? ['--database-url', app.databaseUrl] : ['--db', app.runtime.ledger.path];
  const code = await runCli([...ledger, 'aging', ...args, '--format', 'json'], {
    out: (t) => (out += t),
    err: (t) => {
      throw new Error(t);
    },
  });
  expect(code).toBe(0);
  return JSON.parse(out) as CliAging;
}

const BUCKETS = ['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90', 'total'] as const;

test.describe('invoice aging', () => {
  test('shows the same totals as the CLI’s aging JSON for the same date, on either basis', async ({ page }) => {
    await page.goto(`${app.url}/#/aging`);
    const cli = await cliAging(['--as-of', AS_OF]);
    for (const key of BUCKETS) {
      await expect(page.getByTestId(`bucket-${key}-amount`), key).toHaveText(formatCents(cli.totals[key]!));
    }
    await expect(page.getByTestId('bucket-extra-amount')).toHaveText(formatCents(cli.totals.unapplied_credits_cents!));
    await expect(page.getByText(`Showing ${cli.customers.length} of ${cli.customers.length} customers`)).toBeVisible();
    await page.screenshot({ path: screenshotPath('aging') });
    await expectNoSeriousA11yViolations(page, 'aging');

    await page.getByText('Invoice date', { exact: true }).click();
    const byInvoice = await cliAging(['--as-of', AS_OF, '--basis', 'invoice']);
    for (const key of BUCKETS) {
      await expect(page.getByTestId(`bucket-${key}-amount`), key).toHaveText(formatCents(byInvoice.totals[key]!));
    }
  });

  test('ages as of another date typed in the date format of the settings', async ({ page }) => {
    await page.goto(`${app.url}/#/aging`);
    const asOf = page.getByRole('textbox', { name: 'As of' });
    await expect(asOf).toHaveValue('11/20/2026');
    await asOf.fill('09/30/2026');
    await asOf.press('Enter');
    await asOf.blur();
    const cli = await cliAging(['--as-of', '2026-09-30']);
    for (const key of BUCKETS) {
      await expect(page.getByTestId(`bucket-${key}-amount`), key).toHaveText(formatCents(cli.totals[key]!));
    }
  });

  test('sorts by any column, filters to past due and by text, and opens an account', async ({ page }) => {
    await page.goto(`${app.url}/#/aging`);
    const cli = await cliAging(['--as-of', AS_OF]);
    const rows = page.getByTestId('aging-row');
    // Biggest total first by default.
    const biggest = [...cli.customers].sort((a, b) => b.total! - a.total! || a.customer_number.localeCompare(b.customer_number))[0]!;
    await expect(rows.first()).toContainText(biggest.customer_number);

    await page.getByRole('button', { name: /Over 90/ }).click();
    const over90 = [...cli.customers].sort((a, b) => b.days_over_90! - a.days_over_90! || a.customer_number.localeCompare(b.customer_number))[0]!;
    await expect(rows.first()).toContainText(over90.customer_number);
    await expect(page.getByRole('columnheader', { name: /Over 90/ })).toHaveAttribute('aria-sort', 'descending');
    await page.getByRole('button', { name: /Over 90/ }).click();
    await expect(page.getByRole('columnheader', { name: /Over 90/ })).toHaveAttribute('aria-sort', 'ascending');

    await page.getByRole('button', { name: /Legal name/ }).click();
    const names = cli.customers.map((c) => c.legal_name).sort(new Intl.Collator('en-US', { sensitivity: 'base', numeric: true }).compare);
    await expect(rows.first()).toContainText(names[0]!);

    const pastDue = cli.customers.filter((c) => c.days_1_30! + c.days_31_60! + c.days_61_90! + c.days_over_90! > 0);
    await page.getByLabel('Past due only').check();
    await expect(page.getByText(`Showing ${pastDue.length} of ${cli.customers.length} customers (filtered)`)).toBeVisible();

    await page.getByLabel('Filter customers').fill('harbor');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Harbor Lane Dental LLC');
    await rows.first().click();
    await expect(page).toHaveURL(/#\/customers\/CL1042$/);
  });

  test('the customer filter finds customers as the lookup does: accents ignored, words in any order', async ({ page }) => {
    await page.goto(`${app.url}/#/aging`);
    const rows = page.getByTestId('aging-row');
    await expect(rows.first()).toBeVisible();
    for (const typed of ['bakery akesson', 'son akesson', 'AK55']) {
      const fromMain = await callChannel(app.runtime, 'aging.report', { asOf: AS_OF, customer: typed });
      expect(fromMain.customers.map((c) => c.customer_number), typed).toContain('AK5521');
      await page.getByLabel('Filter customers').fill(typed);
      await expect(rows, typed).toHaveCount(fromMain.customers.length);
      await expect(rows.filter({ hasText: 'AK5521' }), typed).toContainText('Åkesson & Søn Bakery');
    }
    await page.screenshot({ path: screenshotPath('aging-filter-accents') });
    await page.getByLabel('Filter customers').fill('');
    const all = await callChannel(app.runtime, 'aging.report', { asOf: AS_OF });
    await expect(page.getByText(`Showing ${all.customers.length} of ${all.customers.length} customers`)).toBeVisible();
  });

  test('renders only the rows in view, so long lists scroll smoothly', async ({ page }) => {
    await page.goto(`${app.url}/#/aging`);
    const cli = await cliAging(['--as-of', AS_OF]);
    await expect(page.getByTestId('aging-row').first()).toBeVisible();
    const rendered = await page.getByTestId('aging-row').count();
    expect(cli.customers.length).toBeGreaterThan(rendered);
    const scroller = page.getByTestId('aging-scroll');
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const sortedByTotal = [...cli.customers].sort((a, b) => b.total! - a.total! || a.customer_number.localeCompare(b.customer_number));
    await expect(page.getByTestId('aging-row').filter({ hasText: sortedByTotal.at(-1)!.customer_number })).toBeVisible();
  });

  test('exports the rows as CSV with the report’s amounts', async ({ page }) => {
    await page.goto(`${app.url}/#/aging`);
    const cli = await cliAging(['--as-of', AS_OF]);
    await page.getByLabel('Past due only').check();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /Export CSV/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`aging-${AS_OF}-due.csv`);
    const text = fs.readFileSync(await file.path(), 'utf8').replace(/^\ufeff/, '');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('Customer number,Legal name,Current,1-30 days,31-60 days,61-90 days,Over 90 days,Total,Unapplied credits,Disputed');
    const harbor = lines.find((l) => l.startsWith('CL1042,'));
    const cliHarbor = cli.customers.find((c) => c.customer_number === 'CL1042')!;
    const plain = (c: number) => `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, '0')}`;
    expect(harbor).toBe(
      [
        'CL1042',
        'Harbor Lane Dental LLC',
        ...(['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90', 'total', 'unapplied_credits_cents', 'disputed_cents'] as const).map(
          (k) => plain(cliHarbor[k]!),
        ),
      ].join(','),
    );
    const pastDue = cli.customers.filter((c) => c.days_1_30! + c.days_31_60! + c.days_61_90! + c.days_over_90! > 0);
    expect(lines).toHaveLength(pastDue.length + 1);
  });

  // Last in the file: it adds a customer to the shared ledger.
  test('writes a name a spreadsheet would run as a formula as text in the CSV, and amounts as numbers', async ({ page }) => {
    const name = '=HYPERLINK("http://evil.example","Pay here")';
    await callChannel(app.runtime, 'customers.create', { customerNumber: 'ZZ9001', legalName: name });
    await callChannel(app.runtime, 'invoices.create', {
      customerNumber: 'ZZ9001',
      invoiceNumber: 'INV-ZZ9001',
      issueDate: '2026-10-01',
      dueDate: '2026-10-15',
      taxRateBp: 0,
      lines: [{ description: 'Service', quantity: 1, unitPriceCents: 12_345 }],
    });
    await page.goto(`${app.url}/#/aging`);
    await expect(page.getByTestId('aging-row').first()).toBeVisible();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /Export CSV/ }).click();
    const text = fs.readFileSync(await (await download).path(), 'utf8');
    expect(text).not.toContain('\0');
    // Written out by hand: the name behind a quote mark (OWASP), quoted for its commas; 123.45 past due 36 days.
    expect(text.split('\r\n').find((l) => l.startsWith('ZZ9001,'))).toBe(
      `ZZ9001,"'=HYPERLINK(""http://evil.example"",""Pay here"")",0.00,0.00,123.45,0.00,0.00,123.45,0.00,0.00`,
    );
  });
});
