import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LookupResult } from '../../../src/shared/contract/lookup';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';

/**
 * What a caller says, as the clerk types it: letters without an accent to strip (Ł, Ø, ß, Æ)
 * typed in plain ASCII, the billing contact's name, a word of the email address, a phone number
 * read out with its extension. Customers are written through the services, so the index is the
 * one every write keeps.
 */
let rt: TestRuntime;

const address = { line1: '1 Main St', city: 'Portland', region: 'OR', postalCode: '97201', country: 'US' };

beforeAll(async () => {
  rt = await openTestRuntime({ now: '2026-11-20T15:00:00Z' });
  const customers = [
    { customerNumber: 'CL1042', legalName: 'Harbor Lane Dental LLC', billingContact: 'Maria Okafor', phone: '(503) 555-0142', email: 'ap@harborlanedental.example' },
    { customerNumber: 'LZ0001', legalName: 'Łódź Import Partners', billingContact: 'Paweł Wróbel', phone: null, email: 'biuro@lodzimport.example' },
    { customerNumber: 'OR0002', legalName: 'Ørsted Wind Services', billingContact: null, phone: null, email: null },
    { customerNumber: 'ST0003', legalName: 'Bäckerei an der Straße', billingContact: null, phone: null, email: null },
    { customerNumber: 'AE0004', legalName: 'Æsir Games', billingContact: 'Søren Ågård', phone: null, email: 'hello@aesirgames.example' },
    { customerNumber: 'ZP0005', legalName: 'Zeta Plumbing', billingContact: 'Dana Harbor', phone: '503-555-7788', email: 'billing@zetaplumbing.example' },
  ];
  for (const c of customers) await rt.core.customers.create({ ...c, address }, 'dana');
});

afterAll(async () => {
  await rt.dispose();
});

async function search(query: string): Promise<LookupResult[]> {
  return (await rt.core.lookup.search({ query })).results;
}

const found = async (query: string) => (await search(query)).map((r) => [r.customerNumber, r.matchedBy]);

describe('lookup finds what a caller says', () => {
  it('matches letters that have no accent to strip, typed in plain ASCII or as written', async () => {
    expect(await found('lodz')).toEqual([['LZ0001', 'name']]);
    expect(await found('Łódź')).toEqual([['LZ0001', 'name']]);
    expect(await found('import lodz')).toEqual([['LZ0001', 'name']]);
    expect(await found('orsted')).toEqual([['OR0002', 'name']]);
    expect(await found('ØRSTED WIND')).toEqual([['OR0002', 'name']]);
    expect(await found('strasse')).toEqual([['ST0003', 'name']]);
    expect(await found('straße')).toEqual([['ST0003', 'name']]);
    expect(await found('backerei')).toEqual([['ST0003', 'name']]);
    expect(await found('aesir')).toEqual([['AE0004', 'name']]);
    expect(await found('Æsir')).toEqual([['AE0004', 'name']]);
  });

  it("matches the billing contact's name, alone or with words of the legal name", async () => {
    expect(await found('okafor')).toEqual([['CL1042', 'name']]);
    expect(await found('maria okafor')).toEqual([['CL1042', 'name']]);
    expect(await found('okafor dental')).toEqual([['CL1042', 'name']]);
    expect(await found('pawel wrobel')).toEqual([['LZ0001', 'name']]);
    expect(await found('soren agard')).toEqual([['AE0004', 'name']]);
    // "harbor" is a word of one legal name and of another's contact: both, by name.
    expect(await found('harbor')).toEqual([
      ['CL1042', 'name'],
      ['ZP0005', 'name'],
    ]);
  });

  it('matches any word of the email address: its local part and its domain', async () => {
    expect(await found('harborlanedental')).toEqual([['CL1042', 'email']]);
    expect(await found('zetaplumbing')).toEqual([['ZP0005', 'email']]);
    expect(await found('lodzimport')).toEqual([['LZ0001', 'email']]);
    expect(await found('biuro')).toEqual([['LZ0001', 'email']]);
    // The final label is on nearly every address and finds nobody by itself; nor does a role
    // mailbox's name as a word (it still finds the address by its start, as before).
    expect(await found('example')).toEqual([]);
    expect(await found('ap')).toEqual([]);
    expect(await found('billing')).toEqual([['ZP0005', 'email']]);
    expect(await found('billing zeta')).toEqual([]);
  });

  it('matches a phone number typed with its extension', async () => {
    for (const typed of ['503 555 0142 ext 2', '(503) 555-0142 ext. 12', '503-555-0142 x2', '503.555.0142 #7', '+1 503 555 0142 extension 2']) {
      expect(await found(typed), typed).toEqual([['CL1042', 'phone']]);
    }
  });

  it('re-indexes a customer whose contact or email changes', async () => {
    await rt.core.customers.update('OR0002', { billingContact: 'Jens Kjær', email: 'ap@orsted-wind.example' }, 'dana');
    expect(await found('kjaer')).toEqual([['OR0002', 'name']]);
    expect(await found('orsted')).toEqual([['OR0002', 'name']]);
    expect(await found('wind')).toEqual([['OR0002', 'name']]);
    await rt.core.customers.update('OR0002', { billingContact: null, email: 'billing@vindkraft.example' }, 'dana');
    expect(await found('kjaer')).toEqual([]);
    expect(await found('vindkraft')).toEqual([['OR0002', 'email']]);
  });

  it('indexes imported customers the same way', async () => {
    const file = [
      'customer_number,legal_name,email,phone',
      'GD0100,Gdańsk Żegluga,faktury@zegluga.example,(206) 555-0199',
    ].join('\n');
    expect(await rt.core.imports.importCsv('customers', file, 'admin')).toMatchObject({ ok: true });
    expect(await found('gdansk zegluga')).toEqual([['GD0100', 'name']]);
    expect(await found('zegluga')).toEqual([['GD0100', 'name']]);
    expect(await found('faktury')).toEqual([['GD0100', 'email']]);
    expect(await found('206 555 0199 ext 4')).toEqual([['GD0100', 'phone']]);
  });
});

describe('lookup by words lists customers in name order', () => {
  it('lists the first customers by name, each once, a renamed or imported customer in its place, equal names by number', async () => {
    const own = await openTestRuntime({ now: '2026-11-20T15:00:00Z' });
    try {
      const customers = [
        // Two words starting "mar": still one result.
        { customerNumber: 'MA0001', legalName: 'Marlow Marine Supply', billingContact: null },
        // Found by its contact's name, listed by its legal name.
        { customerNumber: 'MA0002', legalName: 'Zephyr Tools', billingContact: 'Mark Ames' },
        { customerNumber: 'MA0006', legalName: 'Acme Market', billingContact: null },
        { customerNumber: 'MA0003', legalName: 'Acme Market', billingContact: null },
        { customerNumber: 'MA0004', legalName: 'Bolt Hardware', billingContact: null },
      ];
      for (const c of customers) await own.core.customers.create({ ...c, phone: null, email: null, address }, 'dana');
      const numbers = async (query: string, limit?: number) =>
        (await own.core.lookup.search(limit === undefined ? { query } : { query, limit })).results.map((r) => r.customerNumber);

      expect(await numbers('mar')).toEqual(['MA0003', 'MA0006', 'MA0001', 'MA0002']);
      expect(await numbers('mar', 2)).toEqual(['MA0003', 'MA0006']);
      expect(await numbers('marine mar')).toEqual(['MA0001']);
      expect(await numbers('mark ames')).toEqual(['MA0002']);

      // A new legal name moves the customer in the list; one that drops the word drops it.
      await own.core.customers.update('MA0002', { legalName: 'Able Zephyr Tools' }, 'dana');
      await own.core.customers.update('MA0004', { legalName: 'Bolt Marine' }, 'dana');
      await own.core.customers.update('MA0006', { legalName: 'Acme Hardware' }, 'dana');
      expect(await numbers('mar')).toEqual(['MA0002', 'MA0003', 'MA0004', 'MA0001']);
      expect(await numbers('mar', 3)).toEqual(['MA0002', 'MA0003', 'MA0004']);

      const file = ['customer_number,legal_name', 'MA0005,Aardvark Marketing'].join('\n');
      expect(await own.core.imports.importCsv('customers', file, 'admin')).toMatchObject({ ok: true });
      expect(await numbers('mar', 2)).toEqual(['MA0005', 'MA0002']);
    } finally {
      await own.dispose();
    }
  });
});
