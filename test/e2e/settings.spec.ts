import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './a11y';
import { callChannel, startSeededApp } from './seeded';
import { screenshotPath, type TestApp } from './server';

let app: TestApp;
test.beforeAll(async () => {
  app = await startSeededApp();
});
test.afterAll(async () => {
  await app.close();
});
// Dialogs appear without their fade, so screenshots show them whole.
test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
});

test.describe('settings', () => {
  // The house rules (edited by an administrator, read-only to a clerk): house-rules.spec.ts.
  test('shows the workstation settings', async ({ page }) => {
    await page.goto(`${app.url}/#/settings`);
    await expect(page.getByRole('combobox', { name: 'Time zone' })).toHaveValue('America/New_York');
    await expect(page.getByText('Today is 11/20/2026 in America/New_York.')).toBeVisible();
    await page.screenshot({ path: screenshotPath('settings') });
    await expectNoSeriousA11yViolations(page, 'settings');
  });

  test('formats money and dates everywhere per the saved number and date formats', async ({ page }) => {
    await page.goto(`${app.url}/#/settings`);
    await page.getByRole('combobox', { name: 'Date format' }).click();
    await page.getByRole('option', { name: /^YYYY-MM-DD/ }).click();
    await page.getByRole('combobox', { name: 'Number format' }).click();
    await page.getByRole('option', { name: 'German (Germany)' }).click();
    await expect(page.getByText('Amounts look like 1.234.567,89 $')).toBeVisible();
    await page.getByRole('combobox', { name: 'Export format' }).click();
    await page.getByRole('option', { name: /semicolon separated/ }).click();
    await page.getByRole('button', { name: 'Save formats' }).click();
    await expect(page.getByText('Formats saved')).toBeVisible();
    expect(app.runtime.core.settings.get().settings).toMatchObject({
      dateFormat: 'YYYY-MM-DD',
      numberFormat: 'de-DE',
      exportFormat: 'csv-semicolon',
    });

    await page.goto(`${app.url}/#/customers/CL1042`);
    await expect(page.getByTestId('open-balance')).toHaveText('1.135,00 $');
    const account = await app.runtime.core.customers.account('CL1042');
    await expect(page.getByTestId('open-invoice-row').first()).toContainText(account.openInvoices[0]!.dueDate);
  });

  test('printing: says when the computer has no printers, keeps the system default, and saves copies, paper and the dialog', async ({ page }) => {
    // This test app's workstation has no print system: printers.list is empty.
    await page.goto(`${app.url}/#/settings`);
    const printing = page.getByRole('region', { name: 'Printing' });
    await expect(printing.getByTestId('printers-problem')).toContainText('This computer has no printers.');
    await expect(printing.getByRole('combobox', { name: 'Printer for payment confirmations' })).toHaveValue('System default (none set)');
    await expect(printing.getByRole('switch', { name: 'Print without the print dialog' })).toBeChecked();
    await expect(printing.getByRole('radio', { name: /^Letter/ })).toBeChecked();

    await printing.getByRole('textbox', { name: 'Copies' }).fill('2');
    await printing.getByRole('radio', { name: /^A4/ }).check();
    await printing.getByRole('switch', { name: 'Print without the print dialog' }).uncheck();
    await printing.getByRole('button', { name: 'Save printing' }).click();
    await expect(page.getByText('Printing saved')).toBeVisible();
    expect(app.runtime.core.settings.get().settings.printing).toEqual({ silent: false, confirmationPrinter: null, statementPrinter: null, copies: 2, paper: 'A4' });
    await page.screenshot({ path: screenshotPath('settings-printing-no-printers') });
    await expectNoSeriousA11yViolations(page, 'settings, printing without printers');

    await page.reload();
    const again = page.getByRole('region', { name: 'Printing' });
    await expect(again.getByRole('textbox', { name: 'Copies' })).toHaveValue('2');
    await expect(again.getByRole('radio', { name: /^A4/ })).toBeChecked();
    await expect(again.getByRole('switch', { name: 'Print without the print dialog' })).not.toBeChecked();
    await callChannel(app.runtime, 'settings.update', { changes: { printing: { silent: true, copies: 1, paper: 'Letter' } } });
  });

  test('exports the aging with semicolons and decimal commas when the export format says so', async ({ page }) => {
    await callChannel(app.runtime, 'settings.update', { changes: { exportFormat: 'csv-semicolon' } });
    const harbor = (await callChannel(app.runtime, 'aging.report', {})).customers.find((c) => c.customer_number === 'CL1042')!;
    await page.goto(`${app.url}/#/aging`);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /Export CSV/ }).click();
    const text = fs.readFileSync(await (await download).path(), 'utf8').replace(/^\ufeff/, '');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('Customer number;Legal name;Current;1-30 days;31-60 days;61-90 days;Over 90 days;Total;Unapplied credits;Disputed');
    const comma = (c: number) => `${Math.trunc(c / 100)},${String(c % 100).padStart(2, '0')}`;
    expect(lines.find((l) => l.startsWith('CL1042;'))).toBe(
      ['CL1042', 'Harbor Lane Dental LLC', ...[harbor.current, harbor.days_1_30, harbor.days_31_60, harbor.days_61_90, harbor.days_over_90, harbor.total, harbor.unapplied_credits_cents, harbor.disputed_cents].map(comma)].join(';'),
    );
  });
});

test.describe('office settings', () => {
  test('edits the letterhead and finds it saved after a reload', async ({ page }) => {
    await page.goto(`${app.url}/#/settings`);
    const letterhead = page.getByRole('region', { name: 'Letterhead' });
    await expect(letterhead.getByRole('textbox', { name: 'Company name' })).toHaveValue('Northwind Services LLC');
    await expect(letterhead.getByRole('button', { name: 'Save letterhead' })).toBeDisabled();
    await letterhead.getByRole('textbox', { name: 'Company name' }).fill('Cascade Billing Co');
    await letterhead.getByRole('textbox', { name: 'Address' }).fill('9 Pine St\nBend, OR 97701');
    await letterhead.getByRole('textbox', { name: 'Phone' }).fill('(541) 555-0110');
    await letterhead.getByRole('button', { name: 'Save letterhead' }).click();
    await expect(page.getByText('Letterhead saved')).toBeVisible();
    expect(app.runtime.core.settings.get().settings.company).toMatchObject({
      name: 'Cascade Billing Co',
      addressLines: ['9 Pine St', 'Bend, OR 97701'],
      phone: '(541) 555-0110',
    });

    await page.reload();
    const again = page.getByRole('region', { name: 'Letterhead' });
    await expect(again.getByRole('textbox', { name: 'Company name' })).toHaveValue('Cascade Billing Co');
    await expect(again.getByRole('textbox', { name: 'Address' })).toHaveValue('9 Pine St\nBend, OR 97701');
    await expect(again.getByRole('textbox', { name: 'Phone' })).toHaveValue('(541) 555-0110');
  });

  test('saves an SMTP password and shows only that one is saved', async ({ page }) => {
    const secret = 'Tr0ub4dor&3-correct-horse';
    await page.goto(`${app.url}/#/settings`);
    const server = page.getByRole('region', { name: 'Email server' });
    const status = server.getByTestId('smtp-password-status');
    await expect(status).toHaveText('No password saved');
    await server.getByRole('button', { name: 'Set password' }).click();
    await server.getByLabel('New password').fill(secret);
    await server.getByRole('button', { name: 'Save password' }).click();
    await expect(status).toHaveText('A password is saved');
    await expect(page.getByText('Password saved', { exact: true })).toBeVisible();
    await expect(server.getByLabel('New password')).toHaveCount(0);
    expect(app.runtime.core.settings.get().smtpPasswordSet).toBe(true);

    await page.reload();
    await expect(page.getByTestId('smtp-password-status')).toHaveText('A password is saved');
    expect(await page.content()).not.toContain(secret);
    const view = await page.evaluate(() =>
      fetch('/ipc/settings.get', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ar-desk-token': sessionStorage.getItem('ar-desk.token') ?? '', 'x-ar-desk-session': sessionStorage.getItem('ar-desk.session') ?? '' },
        body: '{}',
      }).then((r) => r.text()),
    );
    expect(view).toContain('"smtpPasswordSet":true');
    expect(view).not.toContain(secret);

    await page.getByRole('button', { name: 'Clear password' }).click();
    await expect(page.getByTestId('smtp-password-status')).toHaveText('No password saved');

    // This test app has no mail server: the test message says so in words.
    await page.getByRole('button', { name: 'Send test message' }).click();
    const outcome = page.getByRole('status').filter({ hasText: 'The test message was not sent' });
    await expect(outcome).toContainText('No mail server is configured.');
  });

  test('shows the server refusing a bad port on the port field, and an unknown placeholder on its template', async ({ page }) => {
    await page.goto(`${app.url}/#/settings`);
    const server = page.getByRole('region', { name: 'Email server' });
    await server.getByRole('textbox', { name: 'Server' }).fill('smtp.cascade.example');
    const port = server.getByRole('textbox', { name: 'Port' });
    await port.fill('70000');
    await server.getByRole('button', { name: 'Save email server' }).click();
    await expect(server.getByText('Port must be a whole number from 1 to 65535')).toBeVisible();
    await expect(port).toHaveAttribute('aria-invalid', 'true');
    expect(app.runtime.core.settings.get().settings.email).toMatchObject({ smtpHost: '', smtpPort: 587 });

    const templates = page.getByRole('region', { name: 'Email templates' });
    await templates.getByRole('textbox', { name: 'Statement subject' }).fill('Statement {asOf} for {acount}');
    await templates.getByRole('button', { name: 'Save templates' }).click();
    await expect(templates.getByText(/^\{acount\} is not a placeholder a statement email knows/)).toBeVisible();

    // A window tall enough for the whole screen, so the app's fixed header and footer stay where they belong.
    await page.setViewportSize({ width: 1366, height: 2800 });
    await page.screenshot({ path: screenshotPath('settings-office') });
    await page.setViewportSize({ width: 1366, height: 820 });
    await expectNoSeriousA11yViolations(page, 'settings (office, with field errors)');

    await port.fill('465');
    await server.getByRole('switch', { name: /TLS from the start/ }).check();
    await server.getByRole('button', { name: 'Save email server' }).click();
    await expect(page.getByText('Email server saved')).toBeVisible();
    await expect(port).not.toHaveAttribute('aria-invalid', 'true');
    expect(app.runtime.core.settings.get().settings.email).toMatchObject({ smtpHost: 'smtp.cascade.example', smtpPort: 465, secure: true });
  });
});

// Last in the file: it changes the time zone of the shared app.
test.describe('the time zone on first run', () => {
  test('offers the zone of the letterhead address and takes it only when the admin confirms it', async ({ page }) => {
    await page.goto(`${app.url}/#/settings`);
    const setup = page.getByTestId('time-zone-setup');
    // The letterhead saved above is in Bend, Oregon.
    await expect(setup).toContainText('The letterhead address (Bend, OR 97701) is in America/Los_Angeles');
    await expect(setup.getByRole('combobox', { name: 'The office is in' })).toHaveValue('America/Los_Angeles');
    await expect(page.getByRole('combobox', { name: 'Time zone' })).toHaveValue('America/New_York');
    await page.screenshot({ path: screenshotPath('settings-time-zone') });
    await expectNoSeriousA11yViolations(page, 'settings (time zone to confirm)');
    expect(app.runtime.core.settings.get().settings).toMatchObject({ timeZone: 'America/New_York', timeZoneConfirmed: false });

    await setup.getByRole('button', { name: 'Use this time zone' }).click();
    await expect(page.getByText('Time zone confirmed')).toBeVisible();
    await expect(setup).toHaveCount(0);
    await expect(page.getByRole('combobox', { name: 'Time zone' })).toHaveValue('America/Los_Angeles');
    await expect(page.getByText(/Today is .+ in America\/Los_Angeles\./)).toBeVisible();
    expect(app.runtime.core.settings.get().settings).toMatchObject({ timeZone: 'America/Los_Angeles', timeZoneConfirmed: true });
    await page.reload();
    await expect(page.getByRole('combobox', { name: 'Time zone' })).toHaveValue('America/Los_Angeles');
    await expect(page.getByTestId('time-zone-setup')).toHaveCount(0);
  });
});
