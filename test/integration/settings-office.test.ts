import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/ipc/handlers';
import { dispatch } from '../../src/main/ipc/dispatch';
import { memorySecretStore, SMTP_PASSWORD_SECRET, type SecretStore } from '../../src/main/documents/ports';
import { createSmtpMailer } from '../../src/main/documents/smtp.mailer';
import { memorySettingsStore } from '../../src/main/settings/settings.store';
import { TEMPLATE_PLACEHOLDERS } from '../../src/shared/contract/settings';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import type { Envelope } from '../../src/shared/errors';
import { buildDocumentScene } from '../helpers/documents-fixtures';
import { openTestRuntime, type TestRuntime } from '../helpers/runtime';
import { startSmtp, type TestSmtp } from './documents/smtp';
import { asStaff } from '../helpers/dispatch';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function runtime(options: Parameters<typeof openTestRuntime>[0] = {}): Promise<TestRuntime> {
  const rt = await openTestRuntime({ now: '2026-11-20T15:00:00Z', ...options });
  cleanups.push(() => rt.dispose());
  return rt;
}

async function smtp(options: Parameters<typeof startSmtp>[0] = {}): Promise<TestSmtp> {
  const server = await startSmtp(options);
  cleanups.push(() => server.close());
  return server;
}

const call = (rt: TestRuntime, channel: string, input: unknown): Promise<Envelope<unknown>> =>
  dispatch(createDispatcher(rt.core), channel, input, asStaff('dana'));

/** The field messages of a refused call, keyed as the Settings screen reads them ("email.smtpPort"). */
async function refusedFields(rt: TestRuntime, changes: unknown): Promise<Record<string, string>> {
  const res = await call(rt, 'settings.updateOffice', { changes });
  if (res.ok) throw new Error(`expected a refusal of ${JSON.stringify(changes)}`);
  expect(res.error.code).toBe('VALIDATION');
  const fields = (res.error.details as { fields: Record<string, string> }).fields;
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.replace(/^changes\./, ''), v]));
}

function officeAuditRows(rt: TestRuntime) {
  return rt.ledger.db.selectFrom('audit_log').selectAll().where('entity', '=', 'settings').orderBy('id').execute();
}

describe('office settings: validation', () => {
  it('refuses a blank company name, no address, a blank phone and a malformed company email, naming each field', async () => {
    const rt = await runtime();
    const fields = await refusedFields(rt, { company: { name: '   ', addressLines: ['', '  '], phone: ' ', email: 'billing at northwind' } });
    expect(fields).toEqual({
      'company.name': expect.stringContaining('enter the company name'),
      'company.addressLines': expect.stringContaining('at least one address line'),
      'company.phone': expect.stringContaining('phone number'),
      'company.email': '"billing at northwind" is not an email address (e.g. billing@example.com)',
    });
    expect(rt.core.settings.get().settings.company).toEqual(DEFAULT_SETTINGS.company);
    expect(await officeAuditRows(rt)).toHaveLength(0);
  });

  it('refuses more than four address lines', async () => {
    const rt = await runtime();
    expect(await refusedFields(rt, { company: { addressLines: ['1', '2', '3', '4', '5'] } })).toEqual({
      'company.addressLines': 'must be at most 4 lines',
    });
  });

  it('refuses a port outside 1..65535 or with a fraction, saying the range', async () => {
    const rt = await runtime();
    for (const port of [0, 65536, 70000, 587.5, -25]) {
      expect(await refusedFields(rt, { email: { smtpPort: port } }), String(port)).toEqual({
        'email.smtpPort': 'must be a whole number from 1 to 65535',
      });
    }
    expect(await refusedFields(rt, { email: { smtpPort: '587' } })).toEqual({ 'email.smtpPort': expect.stringContaining('1 to 65535') });
    expect(rt.core.settings.get().settings.email.smtpPort).toBe(587);
  });

  it('refuses a server written as a URL or with the port after it, and a sender that is not an address', async () => {
    const rt = await runtime();
    expect(await refusedFields(rt, { email: { smtpHost: 'smtp://mail.example.com', from: 'Northwind Billing' } })).toEqual({
      'email.smtpHost': 'enter the server name only, without smtp:// (e.g. smtp.office365.com)',
      'email.from': '"Northwind Billing" is not a sender address (e.g. Northwind Billing <billing@example.com>)',
    });
    expect(await refusedFields(rt, { email: { smtpHost: 'mail.example.com:587', from: 'Billing <billing@>' } })).toEqual({
      'email.smtpHost': 'enter the port in the Port field, not after the server name',
      'email.from': expect.stringContaining('is not a sender address'),
    });
    expect(await refusedFields(rt, { email: { smtpHost: 'mail server', user: 'bill ing' } })).toEqual({
      'email.smtpHost': expect.stringContaining('"mail server" is not a server name'),
      'email.user': 'must not contain spaces',
    });
  });

  it('refuses unknown placeholders in a template, naming them and the ones that kind of email knows', async () => {
    const rt = await runtime();
    const fields = await refusedFields(rt, {
      email: {
        templates: {
          confirmationSubject: 'Receipt {confirmationNumber} for {amout}',
          // {confirmationNumber} is filled in confirmations only, never in statements.
          statementBody: 'Dear {customerName}, your balance is {balanceDue}. Ref {confirmationNumber} {invoiceNumber}',
        },
      },
    });
    expect(fields['email.templates.confirmationSubject']).toBe(
      '{amout} is not a placeholder a confirmation email knows; use {customerName}, {customerNumber}, {confirmationNumber}, {amount}, {date}, {time}, {companyName}, {companyPhone}, {companyEmail}',
    );
    expect(fields['email.templates.statementBody']).toMatch(/^\{confirmationNumber\}, \{invoiceNumber\} are not placeholders a statement email knows; use .*\{balanceDue\}/);
    expect(Object.keys(fields)).toHaveLength(2);
    expect(rt.core.settings.get().settings.email.templates).toEqual(DEFAULT_SETTINGS.email.templates);
  });

  it('refuses an empty template and a subject of more than one line', async () => {
    const rt = await runtime();
    expect(await refusedFields(rt, { email: { templates: { statementSubject: '  ', confirmationBody: '', confirmationSubject: 'Paid\nBcc: x@evil.example' } } })).toEqual({
      'email.templates.statementSubject': 'enter a subject line',
      'email.templates.confirmationBody': 'enter the text of the message',
      'email.templates.confirmationSubject': 'must be one line',
    });
  });

  it('takes the tax rate as typed percent text and keeps it as basis points without float rounding', async () => {
    const rt = await runtime();
    const cases: [string, number, string][] = [
      ['8.25', 825, '8.25'],
      ['8,25 %', 825, '8.25'],
      ['7', 700, '7'],
      ['.5', 50, '0.5'],
      ['10.1', 1010, '10.1'],
      ['0.29', 29, '0.29'],
      ['100', 10000, '100'],
      ['0', 0, '0'],
    ];
    for (const [typed, bp, shown] of cases) {
      const res = await call(rt, 'settings.updateOffice', { changes: { defaultTaxRatePercent: typed } });
      expect(res, typed).toMatchObject({ ok: true, data: { settings: { defaultTaxRateBp: bp }, defaultTaxRatePercent: shown } });
    }
    for (const typed of ['8.255', '100.01', '-1', 'abc', '', '8.2.5', '1e2']) {
      expect(await refusedFields(rt, { defaultTaxRatePercent: typed }), typed).toEqual({
        defaultTaxRatePercent: expect.stringContaining('is not a percentage from 0 to 100 with at most two decimals'),
      });
    }
    expect(rt.core.settings.get().settings.defaultTaxRateBp).toBe(0);
  });

  it('takes no password, logo path or house rule in cents through the office channel', async () => {
    const rt = await runtime();
    const password = await call(rt, 'settings.updateOffice', { changes: { email: { password: 'hunter2-secret' } } });
    expect(password).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(JSON.stringify(password)).not.toContain('hunter2-secret');
    // The write-off limit comes as typed money text, read in main; a figure in cents is not taken.
    expect(await call(rt, 'settings.updateOffice', { changes: { policy: { exactInvoicePayments: false, writeOffLimitCents: 1 } } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await call(rt, 'settings.updateOffice', { changes: { company: { logoPath: '/etc/passwd' } } })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(rt.core.settings.get().settings.policy).toEqual(DEFAULT_SETTINGS.policy);
    expect(rt.core.settings.get().settings.company.logoPath).toBeNull();
  });
});

describe('office settings: changes and the audit log', () => {
  it('saves the letterhead tidied and records each field that changed, from and to, in one audit row', async () => {
    const rt = await runtime();
    const res = await call(rt, 'settings.updateOffice', {
      changes: {
        company: { name: ' Cascade Billing Co ', addressLines: ['  9 Pine St ', '', 'Bend, OR 97701'], phone: '(541) 555-0110', email: DEFAULT_SETTINGS.company.email },
      },
    });
    expect(res).toMatchObject({
      ok: true,
      data: { settings: { company: { name: 'Cascade Billing Co', addressLines: ['9 Pine St', 'Bend, OR 97701'], phone: '(541) 555-0110' } } },
    });
    const rows = await officeAuditRows(rt);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: 'dana', action: 'settings.updateOffice', entity_id: 'office', at: '2026-11-20T15:00:00.000Z' });
    expect(JSON.parse(rows[0]!.summary)).toEqual({
      changes: {
        'company.name': { from: 'Northwind Services LLC', to: 'Cascade Billing Co' },
        'company.addressLines': { from: ['100 Harbor Way, Suite 400', 'Portland, OR 97201'], to: ['9 Pine St', 'Bend, OR 97701'] },
        'company.phone': { from: '(503) 555-0100', to: '(541) 555-0110' },
      },
    });
  });

  it('records mail server, template and tax changes, and writes no row when nothing actually changes', async () => {
    const rt = await runtime();
    await call(rt, 'settings.updateOffice', {
      changes: { email: { smtpHost: 'smtp.example.com', smtpPort: 465, secure: true, user: 'billing', templates: { statementSubject: 'Statement {asOf}' } }, defaultTaxRatePercent: '8.25' },
    });
    const same = await call(rt, 'settings.updateOffice', {
      changes: { email: { smtpHost: ' smtp.example.com ', smtpPort: 465, templates: { statementSubject: 'Statement {asOf} ' } }, defaultTaxRatePercent: '8.25' },
    });
    expect(same.ok).toBe(true);
    const rows = await officeAuditRows(rt);
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.summary)).toEqual({
      changes: {
        'email.smtpHost': { from: '', to: 'smtp.example.com' },
        'email.smtpPort': { from: 587, to: 465 },
        'email.secure': { from: false, to: true },
        'email.user': { from: '', to: 'billing' },
        'email.templates.statementSubject': { from: DEFAULT_SETTINGS.email.templates.statementSubject, to: 'Statement {asOf}' },
        defaultTaxRateBp: { from: 0, to: 825 },
      },
    });
  });

  it('keeps the workstation settings and the office settings apart', async () => {
    const rt = await runtime();
    await call(rt, 'settings.update', { changes: { timeZone: 'America/Chicago' } });
    await call(rt, 'settings.updateOffice', { changes: { company: { phone: '(312) 555-0100' } } });
    const settings = rt.core.settings.get().settings;
    expect(settings.timeZone).toBe('America/Chicago');
    expect(settings.company.phone).toBe('(312) 555-0100');
    expect((await officeAuditRows(rt)).map((r) => [r.action, r.entity_id])).toEqual([
      ['settings.update', 'workstation'],
      ['settings.updateOffice', 'office'],
    ]);
    expect(await call(rt, 'settings.update', { changes: { company: { phone: 'x' } } })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    // Printing is each workstation's own (settings.update), not the office's.
    expect(await call(rt, 'settings.updateOffice', { changes: { printing: { silent: false } } })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(rt.core.settings.get().settings.printing.silent).toBe(true);
  });
});

describe('the SMTP password', () => {
  const PASSWORD = 'Tr0ub4dor&3-correct-horse';

  it('is saved in the secret store, reported only as set or not, and appears nowhere in the ledger file or the log', async () => {
    const secrets = memorySecretStore();
    const rt = await runtime({ secrets });
    expect(await call(rt, 'settings.get', {})).toMatchObject({ ok: true, data: { smtpPasswordSet: false } });

    const set = await call(rt, 'settings.setSmtpPassword', { password: PASSWORD });
    expect(set).toEqual({ ok: true, data: { smtpPasswordSet: true } });
    expect(await secrets.get(SMTP_PASSWORD_SECRET)).toBe(PASSWORD);
    const view = await call(rt, 'settings.get', {});
    expect(view).toMatchObject({ ok: true, data: { smtpPasswordSet: true } });
    expect(JSON.stringify(view)).not.toContain(PASSWORD);

    // Saving the same password again is not a change.
    await call(rt, 'settings.setSmtpPassword', { password: PASSWORD });
    const rows = await officeAuditRows(rt);
    expect(rows.map((r) => [r.action, JSON.parse(r.summary)])).toEqual([['settings.setSmtpPassword', { smtpPasswordSet: true, wasSet: false }]]);

    await rt.ledger.close();
    for (const file of [rt.ledger.path, `${rt.ledger.path}-wal`, `${rt.ledger.path}-shm`]) {
      if (!fs.existsSync(file)) continue;
      const bytes = fs.readFileSync(file);
      expect(bytes.includes(Buffer.from(PASSWORD, 'utf8')), file).toBe(false);
      expect(bytes.includes(Buffer.from(PASSWORD, 'utf16le')), file).toBe(false);
    }
    expect(rt.log.lines.join('\n')).not.toContain(PASSWORD);
  });

  it('is cleared by an empty one, which the audit log records without any value', async () => {
    const rt = await runtime({ secrets: memorySecretStore({ [SMTP_PASSWORD_SECRET]: PASSWORD }) });
    expect(rt.core.settings.get().smtpPasswordSet).toBe(true);
    expect(await call(rt, 'settings.setSmtpPassword', { password: '' })).toEqual({ ok: true, data: { smtpPasswordSet: false } });
    expect(rt.core.settings.get().smtpPasswordSet).toBe(false);
    // Clearing what is already clear changes nothing.
    await call(rt, 'settings.setSmtpPassword', { password: '' });
    const rows = await officeAuditRows(rt);
    expect(rows.map((r) => [r.action, JSON.parse(r.summary)])).toEqual([['settings.clearSmtpPassword', { smtpPasswordSet: false, wasSet: true }]]);
    expect(rows[0]!.summary).not.toContain(PASSWORD);
  });

  it('keeps the old password when the store refuses the new one, and audits only the failed attempt', async () => {
    const inner = memorySecretStore({ [SMTP_PASSWORD_SECRET]: 'old-one' });
    const failing: SecretStore = {
      has: (name) => inner.has(name),
      get: (name) => inner.get(name),
      set: async () => {
        throw new Error('keychain locked');
      },
    };
    const rt = await runtime({ secrets: failing });
    const res = await call(rt, 'settings.setSmtpPassword', { password: PASSWORD });
    expect(res).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: 'The password could not be saved: keychain locked' } });
    // Failed attempts are audited too (PCI DSS 10.2), without the password.
    const rows = await officeAuditRows(rt);
    expect(rows.map((r) => [r.action, r.outcome, r.error_code])).toEqual([['settings.setSmtpPassword', 'failure', 'UNAVAILABLE']]);
    expect(rows[0]!.summary).not.toContain(PASSWORD);
    expect(rt.log.lines.join('\n')).not.toContain(PASSWORD);
  });
});

describe('sending mail with the settings made on the Settings screen', () => {
  it('delivers through the newly set server, port, user and password, with the new sender and subject template', async () => {
    const server = await smtp({ auth: { user: 'billing@cascade.example', pass: 'mail-pass-42' } });
    const settings = memorySettingsStore();
    const secrets = memorySecretStore();
    // As in the app, the mailer reads the core's settings: the outgoing mail is the office record's.
    let rt: TestRuntime | undefined;
    const officeView = { get: () => rt!.core.deps.settings.get(), set: () => {} };
    const mailer = createSmtpMailer({ settings: officeView, secrets, transport: { ignoreTLS: true, connectionTimeout: 3000 } });
    rt = await runtime({ settings, secrets, mailer });
    await buildDocumentScene(rt.ledger.db);

    // Nothing set up yet: the test message says why in words.
    expect(await call(rt, 'settings.testEmail', { to: 'me@cascade.example' })).toEqual({
      ok: true,
      data: { sent: false, reason: 'No mail server is set up (Settings: email SMTP host).' },
    });

    const updated = await call(rt, 'settings.updateOffice', {
      changes: {
        company: { name: 'Cascade Billing Co' },
        email: {
          smtpHost: '127.0.0.1',
          smtpPort: server.port,
          secure: false,
          user: 'billing@cascade.example',
          from: 'Cascade Billing <billing@cascade.example>',
          templates: { statementSubject: '{companyName}: statement for {customerNumber} as of {asOf}' },
        },
      },
    });
    expect(updated.ok).toBe(true);

    await call(rt, 'settings.setSmtpPassword', { password: 'not-the-password' });
    const refused = await call(rt, 'settings.testEmail', { to: 'me@cascade.example' });
    expect(refused).toMatchObject({ ok: true, data: { sent: false, reason: expect.stringContaining('535') } });
    expect(JSON.stringify(refused)).not.toContain('not-the-password');

    await call(rt, 'settings.setSmtpPassword', { password: 'mail-pass-42' });
    expect(await call(rt, 'settings.testEmail', { to: 'me@cascade.example' })).toMatchObject({
      ok: true,
      data: { sent: true, serverAnswer: expect.stringMatching(/^250/) },
    });
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.subject).toBe('Test message from Cascade Billing Co');
    expect(server.received[0]!.from?.text).toBe('"Cascade Billing" <billing@cascade.example>');

    const queued = await rt.core.documents.emailStatement({ customerNumber: 'CL1042', asOf: '2026-11-20' }, 'dana');
    expect(await rt.core.documents.sender.sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(server.received).toHaveLength(2);
    const statement = server.received[1]!;
    expect(statement.subject).toBe('Cascade Billing Co: statement for CL1042 as of 11/20/2026');
    expect(statement.from?.text).toBe('"Cascade Billing" <billing@cascade.example>');
    expect(statement.to?.text).toBe('ap@harborlanedental.example');
    expect(statement.messageId).toBe(queued.messageId);
    expect(statement.attachments[0]!.filename).toBe('statement-CL1042-2026-11-20.pdf');

    const tests = (await officeAuditRows(rt)).filter((r) => r.action === 'settings.testEmail').map((r) => JSON.parse(r.summary));
    expect(tests).toEqual([
      { to: 'me@cascade.example', server: 'no server', sent: false, reason: 'No mail server is set up (Settings: email SMTP host).' },
      { to: 'me@cascade.example', server: `127.0.0.1:${server.port}`, sent: false, reason: expect.stringContaining('535') },
      { to: 'me@cascade.example', server: `127.0.0.1:${server.port}`, sent: true },
    ]);
  });

  it('refuses a test message to something that is not an address', async () => {
    const rt = await runtime();
    expect(await call(rt, 'settings.testEmail', { to: 'front desk' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { fields: { to: '"front desk" is not an email address' } } },
    });
  });

  it('fills every placeholder the Settings screen lists, in confirmations and statements', async () => {
    const rt = await runtime();
    const scene = await buildDocumentScene(rt.ledger.db);
    const all = (kind: keyof typeof TEMPLATE_PLACEHOLDERS) => TEMPLATE_PLACEHOLDERS[kind].map((p) => `${p.name}={${p.name}}`).join(' | ');
    // A subject is at most 200 characters: the bare placeholders fit.
    const bare = (kind: keyof typeof TEMPLATE_PLACEHOLDERS) => TEMPLATE_PLACEHOLDERS[kind].map((p) => `{${p.name}}`).join(' ');
    const res = await call(rt, 'settings.updateOffice', {
      changes: {
        email: {
          templates: {
            confirmationSubject: bare('confirmation'),
            confirmationBody: all('confirmation'),
            statementSubject: bare('statement'),
            statementBody: all('statement'),
          },
        },
      },
    });
    expect(res.ok).toBe(true);
    const confirmation = await rt.core.documents.emailConfirmation({ paymentId: scene.payments.paid }, 'dana');
    const statement = await rt.core.documents.emailStatement({ customerNumber: 'CL1042', asOf: '2026-11-20' }, 'dana');
    for (const text of [confirmation.subject, statement.subject]) expect(text).not.toMatch(/[{}]/);
    for (const text of [confirmation.body, statement.body]) {
      expect(text).not.toMatch(/[{}]/);
      // Every placeholder has a value: none is left empty.
      expect(text).not.toMatch(/=( \||$)/);
    }
    expect(confirmation.body).toContain('amount=$379.00 | date=11/20/2026');
    expect(statement.body).toContain('customerNumber=CL1042 | asOf=11/20/2026');
  });
});
