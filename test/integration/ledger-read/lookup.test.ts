import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import { auditInvariants } from '../../../src/main/ledger/invariants';
import type { LookupResult } from '../../../src/shared/contract/lookup';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { asStaff } from '../../helpers/dispatch';

let rt: TestRuntime;

const address = { line1: '1 Main St', city: 'Portland', region: 'OR', postalCode: '97201', country: 'US' };

beforeAll(async () => {
  rt = await openTestRuntime({ now: '2026-11-20T15:00:00Z' });
  const customers = [
    { customerNumber: 'CL1042', legalName: 'Harbor Lane Dental LLC', phone: '(503) 555-0142', email: 'ap@harborlanedental.example' },
    { customerNumber: 'CL10420', legalName: 'Zeta Plumbing', phone: '503-555-7788', email: 'billing@zetaplumbing.example' },
    { customerNumber: 'cl10421', legalName: 'Acme Rentals', phone: '206 555 1234', email: null },
    { customerNumber: 'TO0007', legalName: 'Café Rouge', phone: '503.555.0107', email: 'hello@caferouge.example' },
    { customerNumber: 'BR2002', legalName: 'Rouge River Café', phone: '(541) 555-2002', email: 'Cafe@RougeRiver.example' },
    { customerNumber: 'AK5521', legalName: 'Åkesson & Søn Bakery', phone: '+1 206 555 5521', email: 'soren@akesson.example' },
  ];
  for (const c of customers) await rt.core.customers.create({ ...c, address }, 'dana');
  const line = (cents: number) => [{ description: 'Monthly service', quantity: 1, unitPriceCents: cents }];
  // CL1042 owes 100.00 past due and 50.00 not yet due.
  await rt.core.invoices.create({ customerNumber: 'CL1042', invoiceNumber: 'Inv-Mixed-7', issueDate: '2026-09-01', dueDate: '2026-10-01', lines: line(10000) }, 'dana');
  await rt.core.invoices.create({ customerNumber: 'CL1042', invoiceNumber: 'INV-2002', issueDate: '2026-11-10', dueDate: '2026-12-10', lines: line(5000) }, 'dana');
  // An invoice whose number looks like a customer number, to pin down the ranking.
  await rt.core.invoices.create({ customerNumber: 'TO0007', invoiceNumber: 'CL1042', issueDate: '2026-11-19', dueDate: '2026-11-19', lines: line(2500) }, 'dana');
});

afterAll(async () => {
  await rt.dispose();
});

async function search(query: string, limit?: number): Promise<LookupResult[]> {
  return (await rt.core.lookup.search(limit === undefined ? { query } : { query, limit })).results;
}

const numbers = (results: LookupResult[]) => results.map((r) => r.customerNumber);

describe('the lookup box', () => {
  it('runs on a healthy ledger', async () => {
    expect(await auditInvariants(rt.ledger.db)).toEqual([]);
  });

  it('puts the exact customer number first, then the exact invoice number, then the rest by name', async () => {
    const results = await search('cl1042');
    expect(results.map((r) => [r.customerNumber, r.matchedBy, r.invoiceNumber])).toEqual([
      ['CL1042', 'number', undefined],
      ['TO0007', 'invoice', 'CL1042'],
      ['CL10421', 'number', undefined],
      ['CL10420', 'number', undefined],
    ]);
  });

  it('finds customer numbers by prefix in any case', async () => {
    expect(numbers(await search('Cl104'))).toEqual(['CL10421', 'CL1042', 'CL10420']);
    expect(numbers(await search('to0'))).toEqual(['TO0007']);
    expect(await search('CL9')).toEqual([]);
  });

  it('finds a name by the prefix of any word, ignoring case and accents', async () => {
    const cafe = await search('cafe');
    expect(cafe.map((r) => [r.legalName, r.matchedBy])).toEqual([
      ['Café Rouge', 'name'],
      ['Rouge River Café', 'name'],
    ]);
    expect(numbers(await search('CAFÉ'))).toEqual(['TO0007', 'BR2002']);
    expect(numbers(await search('åkes'))).toEqual(['AK5521']);
    expect(numbers(await search('akesson'))).toEqual(['AK5521']);
    expect(numbers(await search('DENT'))).toEqual(['CL1042']);
  });

  it('needs every word of a multi-word query to start a word of the name', async () => {
    expect(numbers(await search('harbor den'))).toEqual(['CL1042']);
    expect(numbers(await search('rouge caf'))).toEqual(['TO0007', 'BR2002']);
    expect(numbers(await search('river caf'))).toEqual(['BR2002']);
    expect(await search('rouge zebra')).toEqual([]);
  });

  it('matches phone digits whatever the formatting, by the local number or the leading digits', async () => {
    for (const typed of ['(503) 555-0142', '503.555.0142', '5035550142', '555-0142', '+1 503 555 0142', '1-503-555-0142', '0142']) {
      const results = await search(typed);
      expect(numbers(results), typed).toEqual(['CL1042']);
      expect(results[0]!.matchedBy).toBe('phone');
    }
    expect(numbers(await search('(206) 555-5521'))).toEqual(['AK5521']);
    expect(numbers(await search('503 555'))).toEqual(['TO0007', 'CL1042', 'CL10420']);
    // Fewer than four digits is not a phone search.
    expect(await search('014')).toEqual([]);
  });

  it('finds an email by its start or in full, ignoring case', async () => {
    const byPrefix = await search('AP@HarborLane');
    expect(byPrefix.map((r) => [r.customerNumber, r.matchedBy, r.email])).toEqual([['CL1042', 'email', 'ap@harborlanedental.example']]);
    expect(numbers(await search('cafe@rougeriver.example'))).toEqual(['BR2002']);
    expect(numbers(await search('hello@'))).toEqual(['TO0007']);
  });

  it('finds the customer of an invoice number typed in any case', async () => {
    for (const typed of ['Inv-Mixed-7', 'inv-mixed-7', 'INV-MIXED-7']) {
      expect((await search(typed)).map((r) => [r.customerNumber, r.matchedBy, r.invoiceNumber]), typed).toEqual([
        ['CL1042', 'invoice', 'Inv-Mixed-7'],
      ]);
    }
    expect(await search('INV-9999')).toEqual([]);
  });

  it('carries the open balance and the past-due part to the cent', async () => {
    const [harbor] = await search('CL1042');
    expect(harbor).toEqual({
      customerNumber: 'CL1042',
      legalName: 'Harbor Lane Dental LLC',
      phone: '(503) 555-0142',
      email: 'ap@harborlanedental.example',
      openCents: 15000,
      pastDueCents: 10000,
      matchedBy: 'number',
    });
    // Due on 2026-11-19, the day before the business date: past due.
    const [cafe] = await search('TO0007');
    expect([cafe!.openCents, cafe!.pastDueCents]).toEqual([2500, 2500]);
    const [zeta] = await search('zeta');
    expect([zeta!.openCents, zeta!.pastDueCents]).toEqual([0, 0]);
  });

  it('lists a customer found several ways once, with the strongest reason', async () => {
    // "rouge" is a name word of both; BR2002's email starts with "cafe" too.
    const results = await search('cafe');
    expect(results.filter((r) => r.customerNumber === 'BR2002')).toHaveLength(1);
    expect(results.find((r) => r.customerNumber === 'BR2002')!.matchedBy).toBe('name');
  });

  it('answers nothing for a blank query and keeps to the limit', async () => {
    expect(await search('')).toEqual([]);
    expect(await search('   ')).toEqual([]);
    expect(numbers(await search('cl104', 2))).toEqual(['CL10421', 'CL1042']);
  });

  it('serves the channel and refuses a limit out of range with VALIDATION', async () => {
    const handlers = createDispatcher(rt.core);
    const ok = await dispatch(handlers, 'lookup.search', { query: 'harbor' }, asStaff('t'));
    expect(ok.ok && (ok.data as { results: LookupResult[] }).results.map((r) => r.customerNumber)).toEqual(['CL1042']);
    for (const limit of [0, 101, 2.5]) {
      const bad = await dispatch(handlers, 'lookup.search', { query: 'harbor', limit }, asStaff('t'));
      expect(bad.ok ? 'ok' : bad.error.code, `limit ${limit}`).toBe('VALIDATION');
    }
  });
});
