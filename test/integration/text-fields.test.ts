import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/ipc/handlers';
import { asStaff } from '../helpers/dispatch';
import { dispatch } from '../../src/main/ipc/dispatch';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import type { AppErrorShape, Envelope } from '../../src/shared/errors';
import { openTestRuntime, type TestRuntime } from '../helpers/runtime';

// One-line text fields (names, addresses, the letterhead) refuse control characters, line breaks
// included, with a field error: a line break would split a name on documents and in exports.

const runtimes: TestRuntime[] = [];
afterEach(async () => {
  for (const rt of runtimes.splice(0)) await rt.dispose();
});

async function runtime(): Promise<TestRuntime> {
  const rt = await openTestRuntime();
  runtimes.push(rt);
  return rt;
}

const call = (rt: TestRuntime, channel: string, input: unknown): Promise<Envelope<unknown>> =>
  dispatch(createDispatcher(rt.core), channel, input, asStaff('dana'));

async function refused(rt: TestRuntime, channel: string, input: unknown): Promise<Record<string, string>> {
  const res = await call(rt, channel, input);
  if (res.ok) throw new Error(`${channel} took ${JSON.stringify(input)}`);
  const error: AppErrorShape = res.error;
  expect(error.code).toBe('VALIDATION');
  const fields = (error.details as { fields: Record<string, string> }).fields;
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.replace(/^changes\./, ''), v]));
}

const customer = { customerNumber: 'CL1042', legalName: 'Harbor Lane Dental', address: { line1: '12 River Rd', postalCode: '97201' } };

describe('customer text fields', () => {
  it('refuses a line break, a tab, a NUL or another control character in the name, the contact, the phone and the addresses', async () => {
    const rt = await runtime();
    const fields = await refused(rt, 'customers.create', {
      ...customer,
      legalName: 'Harbor Lane\r\nDental',
      billingContact: 'Dana\0Whitfield',
      phone: '503 555\n0142',
      address: { line1: '12 River\tRd', city: 'Port\u0085land', postalCode: '97201' },
      mailingAddress: { line1: 'PO Box\u20287', postalCode: '97207' },
    });
    expect(fields).toEqual({
      legalName: 'must be one line of plain text; it holds a line break',
      billingContact: 'must be one line of plain text; it holds a control character (U+0000)',
      phone: 'must be one line of plain text; it holds a line break',
      'address.line1': 'must be one line of plain text; it holds a tab',
      'address.city': 'must be one line of plain text; it holds a control character (U+0085)',
      'mailingAddress.line1': 'must be one line of plain text; it holds a line break',
    });
    expect(await refused(rt, 'customers.create', { ...customer, email: 'billing\u0007@harbor.example' })).toEqual({
      email: expect.stringContaining('is not an email address'),
    });
    expect((await rt.ledger.db.selectFrom('customers').select('id').execute()).length).toBe(0);
  });

  it('refuses one in a change of an existing customer and keeps the record as it was', async () => {
    const rt = await runtime();
    expect((await call(rt, 'customers.create', { ...customer, legalName: '=Harbor Lane Dental' })).ok).toBe(true);
    expect(await refused(rt, 'customers.update', { customerNumber: 'CL1042', changes: { legalName: 'Harbor\rLane' } })).toEqual({
      legalName: 'must be one line of plain text; it holds a line break',
    });
    const row = await rt.ledger.db.selectFrom('customers').select('legal_name').executeTakeFirstOrThrow();
    // A name may begin with "=": the exports neutralise it, the record keeps what the clerk typed.
    expect(row.legal_name).toBe('=Harbor Lane Dental');
  });
});

describe('letterhead text fields', () => {
  it('refuses a control character in the company name, an address line, the phone, the sender and the mail user', async () => {
    const rt = await runtime();
    const fields = await refused(rt, 'settings.updateOffice', {
      changes: {
        company: { name: 'Northwind\r\nServices', addressLines: ['100 Harbor Way', 'Portland,\tOR 97201'], phone: '(503) 555-0100\0' },
        email: { from: 'Northwind\u0008 <billing@northwind.example>', user: 'billing\u001b' },
      },
    });
    expect(fields).toEqual({
      'company.name': 'must be one line of plain text; it holds a line break',
      'company.addressLines': 'line 2 must be one line of plain text; it holds a tab',
      'company.phone': 'must be one line of plain text; it holds a control character (U+0000)',
      'email.from': 'must be one line of plain text; it holds a control character (U+0008)',
      'email.user': 'must be one line of plain text; it holds a control character (U+001B)',
    });
    expect(rt.core.settings.get().settings.company).toEqual(DEFAULT_SETTINGS.company);
  });
});

describe('imported customers', () => {
  it('refuses a file whose quoted name holds a line break, naming the line and the column, and imports nothing', async () => {
    const rt = await runtime();
    const file = ['customer_number,legal_name,address_line1', 'CL1042,Harbor Lane Dental,12 River Rd', 'CL2000,"Twin\r\nPeaks Bakery","4 Oak\tSt"', ''].join('\r\n');
    expect(await rt.core.imports.importCsv('customers', file, 'admin')).toEqual({
      ok: false,
      errors: [
        {
          line: 3,
          message: 'legal_name must be one line of plain text; it holds a line break; address_line1 must be one line of plain text; it holds a tab',
        },
      ],
    });
    expect((await rt.ledger.db.selectFrom('customers').select('id').execute()).length).toBe(0);
  });
});
