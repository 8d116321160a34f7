import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { auditActions, customerInput, expectHealthy, failure, invoiceInput } from './fixtures';
import { asStaff } from '../../helpers/dispatch';
import { rawSql } from '../../helpers/sql';

let rt: TestRuntime;
beforeEach(async () => {
  rt = await openTestRuntime();
});
afterEach(async () => {
  await rt.dispose();
});

describe('customers', () => {
  it('creates a customer with defaults, normalizes the number and fills the lookup columns', async () => {
    const created = await rt.core.customers.create(
      customerInput({ customerNumber: ' cl1042 ', legalName: 'Crème Brûlée Café & Co.', phone: '+1 (503) 555-0142' }),
      'dana',
    );
    expect(created.customerNumber).toBe('CL1042');
    expect(created.termsDays).toBe(30);
    expect(created.taxExempt).toBe(false);
    expect(created.status).toBe('active');
    expect(created.mailingAddress).toBeNull();
    expect(created.address).toEqual({ line1: '12 River Rd', line2: null, city: 'Portland', region: 'OR', postalCode: '97201', country: 'US' });
    expect(created.createdAt).toBe('2026-11-20T15:00:00.000Z');

    const row = (await rawSql(rt.ledger).get('SELECT id, name_search, phone_digits FROM customers')) as {
      id: number;
      name_search: string;
      phone_digits: string;
    };
    expect(row.name_search).toBe('creme brulee cafe co');
    expect(row.phone_digits).toBe('15035550142');
    const words = (await rawSql(rt.ledger).all('SELECT word FROM customer_name_words WHERE customer_id = ? ORDER BY word', row.id));
    // The legal name's words, the billing contact's and the email's (ap@ is a role mailbox, not a word).
    expect(words.map((w) => (w as { word: string }).word)).toEqual(['brulee', 'cafe', 'clearwater', 'co', 'creme', 'dana', 'ortiz']);
    await expectHealthy(rt);
  });

  it('names every bad field in one VALIDATION error', async () => {
    const error = await failure(
      rt.core.customers.create(
        customerInput({
          customerNumber: 'C1042',
          legalName: '   ',
          email: 'not-an-email',
          phone: '555-01',
          address: { postalCode: '9720', country: 'US' },
          mailingAddress: { line1: 'PO Box 7', postalCode: 'K1A0B1', country: 'Canada' },
          termsDays: 400,
        }),
        'dana',
      ),
    );
    expect(error.code).toBe('VALIDATION');
    const fields = (error.details as { fields: Record<string, string> }).fields;
    expect(Object.keys(fields).sort()).toEqual(['address.postalCode', 'customerNumber', 'email', 'legalName', 'phone', 'termsDays']);
    expect(fields.customerNumber).toMatch(/two capital letters then up to 10 digits/);
    expect(fields.email).toMatch(/not an email address/);
    expect(fields.phone).toMatch(/7 to 15 digits/);
    expect(fields['address.postalCode']).toMatch(/US ZIP code/);
    expect(fields.termsDays).toMatch(/0 to 365/);
    expect(error.message).toMatch(/^customerNumber: /);
    expect(error.message).toContain('email: "not-an-email" is not an email address');
    expect((await rawSql(rt.ledger).get('SELECT count(*) AS n FROM customers'))).toEqual({ n: 0 });
    await expectHealthy(rt);
  });

  it.each([
    ['customerNumber', { customerNumber: 'CLX042' }, /customer number/],
    ['legalName', { legalName: '' }, /is required/],
    ['email', { email: 'ap@clearwater' }, /not an email address/],
    ['phone', { phone: 'call me' }, /not a phone number/],
    ['address.postalCode', { address: { postalCode: 'ABCDE', country: 'US' } }, /US ZIP code/],
    ['mailingAddress.postalCode', { mailingAddress: { postalCode: '12345', country: 'Canada' } }, /Canadian postal code/],
    ['termsDays', { termsDays: -1 }, /0 to 365/],
    ['notes', { notes: 'x'.repeat(4001) }, /too long/],
  ] as const)('refuses a bad %s with a message naming the field', async (field, overrides, problem) => {
    const error = await failure(rt.core.customers.create(customerInput(overrides), 'dana'));
    expect(error.code).toBe('VALIDATION');
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect((error.details as { fields: Record<string, string> }).fields[field]).toMatch(problem);
  });

  it('refuses a customer number already in use with CONFLICT', async () => {
    await rt.core.customers.create(customerInput(), 'dana');
    const error = await failure(rt.core.customers.create(customerInput({ legalName: 'Other' }), 'dana'));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe('Customer number CL1042 is already in use');
    await expectHealthy(rt);
  });

  it('updates only the fields given, re-indexes the name and audits what changed', async () => {
    await rt.core.customers.create(customerInput({ mailingAddress: { line1: 'PO Box 7', city: 'Portland', postalCode: '97207' } }), 'dana');
    rt.clock.advance(60_000);
    const updated = await rt.core.customers.update(
      'CL1042',
      { legalName: 'Riverside Gardens Inc', phone: '503.555.0199', address: { line2: 'Suite 4' }, termsDays: 45 },
      'lee',
    );
    expect(updated.legalName).toBe('Riverside Gardens Inc');
    expect(updated.email).toBe('ap@clearwater.example');
    expect(updated.address.line1).toBe('12 River Rd');
    expect(updated.address.line2).toBe('Suite 4');
    expect(updated.mailingAddress?.line1).toBe('PO Box 7');
    expect(updated.termsDays).toBe(45);
    expect(updated.updatedAt).toBe('2026-11-20T15:01:00.000Z');
    const row = (await rawSql(rt.ledger).get('SELECT id, name_search, phone_digits FROM customers')) as {
      id: number;
      name_search: string;
      phone_digits: string;
    };
    expect(row.name_search).toBe('riverside gardens inc');
    expect(row.phone_digits).toBe('5035550199');
    const words = (await rawSql(rt.ledger).all('SELECT word FROM customer_name_words WHERE customer_id = ? ORDER BY word', row.id));
    expect(words.map((w) => (w as { word: string }).word)).toEqual(['clearwater', 'dana', 'gardens', 'inc', 'ortiz', 'riverside']);

    const cleared = await rt.core.customers.update('CL1042', { mailingAddress: null, email: null }, 'lee');
    expect(cleared.mailingAddress).toBeNull();
    expect(cleared.email).toBeNull();

    const audit = await auditActions(rt);
    expect(audit.map((a) => a.action)).toEqual(['customer.create', 'customer.update', 'customer.update']);
    const changed = JSON.parse(audit[1]!.summary) as { changed: Record<string, { from: unknown; to: unknown }> };
    expect(Object.keys(changed.changed).sort()).toEqual(['address.line2', 'legalName', 'phone', 'termsDays']);
    expect(changed.changed.termsDays).toEqual({ from: 30, to: 45 });
    expect(audit[1]!.actor).toBe('lee');
    await expectHealthy(rt);
  });

  it('refuses an update that would make a field invalid and leaves the customer as it was', async () => {
    await rt.core.customers.create(customerInput(), 'dana');
    const error = await failure(rt.core.customers.update('CL1042', { email: 'nope', termsDays: 366 }, 'lee'));
    expect(error.code).toBe('VALIDATION');
    expect(Object.keys((error.details as { fields: object }).fields).sort()).toEqual(['email', 'termsDays']);
    expect((await rt.core.customers.get('CL1042')).email).toBe('ap@clearwater.example');
    expect(await auditActions(rt)).toHaveLength(1);
  });

  it('answers NOT_FOUND for an unknown customer number', async () => {
    const error = await failure(rt.core.customers.get('ZZ999'));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('No customer ZZ999');
  });

  it('does not accept a customer number among the changes of an update channel call', async () => {
    await rt.core.customers.create(customerInput(), 'dana');
    const r = await dispatch(
      createDispatcher(rt.core),
      'customers.update',
      { customerNumber: 'CL1042', changes: { customerNumber: 'CL2000' } },
      asStaff('lee'),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('VALIDATION');
    expect((await rt.core.customers.get('CL1042')).customerNumber).toBe('CL1042');
  });

  it('loads the account: open invoices oldest first, past-due amount, days past due and unapplied credits', async () => {
    await rt.core.customers.create(customerInput(), 'dana');
    // Business date 2026-11-20 (New York).
    await rt.core.invoices.create(invoiceInput('CL1042', 10_000, { invoiceNumber: 'INV-3', issueDate: '2026-11-01', dueDate: '2026-12-01' }), 'dana');
    await rt.core.invoices.create(invoiceInput('CL1042', 2_550, { invoiceNumber: 'INV-2', issueDate: '2026-09-01', dueDate: '2026-10-01' }), 'dana');
    await rt.core.invoices.create(invoiceInput('CL1042', 7_525, { invoiceNumber: 'INV-1', issueDate: '2026-10-01', dueDate: '2026-11-19' }), 'dana');
    await rt.core.invoices.setDisputed('INV-1', true, 'Service not delivered', 'dana');
    await rt.core.credits.create({ customerNumber: 'CL1042', amountCents: 1_000, reason: 'Goodwill', issueDate: '2026-11-02' }, 'dana');
    await rt.core.credits.create({ customerNumber: 'CL1042', amountCents: 500, reason: 'Refund of late fee', issueDate: '2026-11-03' }, 'dana');
    await rt.core.invoices.create(invoiceInput('CL1042', 500, { invoiceNumber: 'INV-0', issueDate: '2026-07-01', dueDate: '2026-08-01' }), 'dana');
    await rt.core.credits.apply({ customerNumber: 'CL1042', invoiceNumbers: ['INV-0'], creditNumbers: ['CR-100002'] }, 'dana');

    const account = await rt.core.customers.account('cl1042');
    expect(account.asOf).toBe('2026-11-20');
    expect(account.customer.customerNumber).toBe('CL1042');
    expect(account.openInvoices).toEqual([
      { invoiceNumber: 'INV-2', issueDate: '2026-09-01', dueDate: '2026-10-01', totalCents: 2_550, openCents: 2_550, daysPastDue: 50, disputed: false, disputeReason: null },
      { invoiceNumber: 'INV-1', issueDate: '2026-10-01', dueDate: '2026-11-19', totalCents: 7_525, openCents: 7_525, daysPastDue: 1, disputed: true, disputeReason: 'Service not delivered' },
      { invoiceNumber: 'INV-3', issueDate: '2026-11-01', dueDate: '2026-12-01', totalCents: 10_000, openCents: 10_000, daysPastDue: 0, disputed: false, disputeReason: null },
    ]);
    expect(account.balance).toEqual({ openCents: 20_075, pastDueCents: 10_075, unappliedCreditCents: 1_000, onAccountCents: 0 });
    expect(account.credits).toEqual([
      { creditNumber: 'CR-100001', issueDate: '2026-11-02', amountCents: 1_000, remainingCents: 1_000, reason: 'Goodwill' },
    ]);
    await expectHealthy(rt);
  });

  it('serves the customer channels through dispatch with camelCase DTOs', async () => {
    const handlers = createDispatcher(rt.core);
    const created = await dispatch(handlers, 'customers.create', customerInput(), asStaff('dana'));
    expect(created.ok).toBe(true);
    const got = await dispatch(handlers, 'customers.get', { customerNumber: 'CL1042' }, asStaff('dana'));
    expect(got).toEqual(created);
    const bad = await dispatch(handlers, 'customers.create', customerInput({ email: 'x@' }), asStaff('dana'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('VALIDATION');
      expect(bad.error.details).toEqual({ fields: { email: '"x@" is not an email address (e.g. billing@example.com)' } });
    }
    const account = await dispatch(handlers, 'customers.account', { customerNumber: 'CL1042' }, asStaff('dana'));
    expect(account.ok && account.data).toMatchObject({ balance: { openCents: 0, pastDueCents: 0, unappliedCreditCents: 0 } });
  });
});

describe('the audit log', () => {
  it('records who did what and rejects UPDATE and DELETE', async () => {
    await rt.core.customers.create(customerInput(), 'dana');
    const audit = await auditActions(rt);
    expect(audit).toEqual([
      {
        action: 'customer.create',
        entity_id: 'CL1042',
        actor: 'dana',
        summary: JSON.stringify({ legalName: 'Clearwater Landscaping LLC', termsDays: 30, taxExempt: false, status: 'active' }),
      },
    ]);
    await expect(rawSql(rt.ledger).run(`UPDATE audit_log SET actor = 'mallory'`)).rejects.toThrow(/append-only/);
    await expect(rawSql(rt.ledger).run('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    expect(await auditActions(rt)).toEqual(audit);
  });
});
