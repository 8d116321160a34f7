import { expect, test, type Locator } from '@playwright/test';
import type { AgingWindowInput } from '../../src/shared/contract/aging';
import { formatCents } from '../../src/shared/money';
import { AS_OF, callChannel, startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

/**
 * The aging screen over main's windows: more customers than one page of rows, and one owing
 * $999,999,999.99, which must fit its cells and the totals' cards at 1366 px (the configured viewport).
 */
let app: TestApp;
const BIG = { customerNumber: 'BG0001', legalName: 'Bigelow Continental Holdings', cents: 99_999_999_999 };

test.beforeAll(async () => {
  app = await startSeededApp({
    customers: 400,
    prepare: async (runtime) => {
      await callChannel(runtime, 'customers.create', { customerNumber: BIG.customerNumber, legalName: BIG.legalName });
      await callChannel(runtime, 'invoices.create', {
        customerNumber: BIG.customerNumber,
        invoiceNumber: 'INV-BG0001',
        issueDate: '2026-08-01',
        dueDate: '2026-08-31',
        taxRateBp: 0,
        lines: [{ description: 'Fleet lease', quantity: 1, unitPriceCents: BIG.cents }],
      });
      await callChannel(runtime, 'invoices.setDisputed', { invoiceNumber: 'INV-BG0001', disputed: true, reason: 'Lease terms under review' });
    },
  });
});
test.afterAll(async () => {
  await app.close();
});
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

const windowOf = (input: Partial<AgingWindowInput>) => callChannel(app.runtime, 'aging.window', { asOf: AS_OF, offset: 0, limit: 1, ...input });

/** The element's content is no wider than its box: nothing spills out or is cut. */
async function expectFits(locator: Locator, what: string): Promise<void> {
  const { scrollWidth, clientWidth } = await locator.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  expect(scrollWidth, what).toBeLessThanOrEqual(clientWidth);
}

test.describe('the aging screen at scale', () => {
  test('fits a $999,999,999.99 balance in its cells and in the totals’ cards at 1366 px', async ({ page }) => {
    expect(page.viewportSize()?.width).toBe(1366);
    await page.goto(`${app.url}/#/aging`);
    const rows = page.getByTestId('aging-row');
    // Biggest total first.
    await expect(rows.first()).toContainText(BIG.customerNumber);
    await expect(rows.first()).toContainText(formatCents(BIG.cents));
    for (const key of ['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90', 'total', 'extra']) {
      await expectFits(page.getByTestId(`bucket-${key}`), `card ${key}`);
    }
    const cells = rows.first().getByRole('cell');
    await expect(cells).toHaveCount(10);
    // The money cells (the name is cut with an ellipsis by design, whole in its tooltip).
    for (let i = 2; i < 10; i++) await expectFits(cells.nth(i), `cell ${i}`);
    // The disputed amount's badge shows the whole figure (no ellipsis).
    await expectFits(rows.first().locator('.mantine-Badge-label'), 'disputed badge');
    await expect(rows.first().locator('.mantine-Badge-label')).toHaveText(formatCents(BIG.cents));
    // Each figure sits inside its cell, and the badge of the disputed amount too.
    const figures = await rows.first().evaluate((row) =>
      [...row.querySelectorAll('[role=cell]')].map((cell) => {
        const box = cell.getBoundingClientRect();
        const inner = (cell.firstElementChild ?? cell).getBoundingClientRect();
        return { left: inner.left >= box.left - 0.5, right: inner.right <= box.right + 0.5, text: cell.textContent };
      }),
    );
    for (const f of figures.slice(2)) expect(f, f.text ?? '').toMatchObject({ left: true, right: true });
    await page.screenshot({ path: screenshotPath('aging-1366-large-balance') });
  });

  test('sorts, filters and scrolls through main’s windows, and opens an account', async ({ page }) => {
    await page.goto(`${app.url}/#/aging`);
    const rows = page.getByTestId('aging-row');
    const all = await windowOf({});
    expect(all.count).toBeGreaterThan(200);
    await expect(page.getByText(`Showing ${all.count} of ${all.count} customers`)).toBeVisible();
    // Fewer rows drawn than there are, and not all of them were sent either (a page is 100).
    expect(await rows.count()).toBeLessThan(60);

    await page.getByRole('button', { name: /Legal name/ }).click();
    await expect(page.getByRole('columnheader', { name: /Legal name/ })).toHaveAttribute('aria-sort', 'ascending');
    const byName = await windowOf({ sort: 'legal_name', dir: 'asc', limit: 3 });
    await expect(rows.first()).toContainText(byName.rows[0]!.customer_number);
    await expect(rows.nth(1)).toContainText(byName.rows[1]!.customer_number);

    // The last rows of the list come from a later window.
    const lastByName = await windowOf({ sort: 'legal_name', dir: 'asc', offset: all.count - 1 });
    await page.getByTestId('aging-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(rows.filter({ hasText: lastByName.rows[0]!.customer_number })).toBeVisible();
    await page.screenshot({ path: screenshotPath('aging-scrolled-to-end') });

    await page.getByRole('button', { name: /Over 90/ }).click();
    await page.getByRole('button', { name: /Over 90/ }).click();
    await expect(page.getByRole('columnheader', { name: /Over 90/ })).toHaveAttribute('aria-sort', 'ascending');
    const over90 = await windowOf({ sort: 'days_over_90', dir: 'asc' });
    await expect(rows.first()).toContainText(over90.rows[0]!.customer_number);

    await page.getByLabel('Past due only').check();
    await page.getByLabel('Filter customers').fill('dental');
    const found = await windowOf({ sort: 'days_over_90', dir: 'asc', customer: 'dental', pastDueOnly: true, limit: 500 });
    await expect(page.getByText(`Showing ${found.count} of ${all.count} customers (filtered)`)).toBeVisible();
    await expect(rows).toHaveCount(found.count);
    await expect(page.getByTestId('bucket-total-amount')).toHaveText(formatCents(found.totals.total));
    await rows.first().getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`#/customers/${found.rows[0]!.customer_number}$`));
  });
});
