import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import { asStaff } from '../../helpers/dispatch';
import type { AgingReport } from '../../../src/shared/contract/aging';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';

/** The aging report's customer filter finds customers the way the lookup box does. */
let rt: TestRuntime;

const address = { line1: '1 Main St', city: 'Portland', region: 'OR', postalCode: '97201', country: 'US' };

beforeAll(async () => {
  rt = await openTestRuntime({ now: '2026-11-20T15:00:00Z' });
  const customers = [
    { customerNumber: 'LZ0001', legalName: 'Łódź Import Partners', billingContact: 'Paweł Wróbel', email: 'biuro@lodzimport.example', cents: 10_000 },
    { customerNumber: 'OR0002', legalName: 'Ørsted Wind Services', billingContact: null, email: null, cents: 20_000 },
    { customerNumber: 'ST0003', legalName: 'Bäckerei an der Straße', billingContact: null, email: null, cents: 30_000 },
    { customerNumber: 'CL1042', legalName: 'Harbor Lane Dental LLC', billingContact: 'Maria Okafor', email: 'ap@harborlanedental.example', cents: 40_000 },
    { customerNumber: 'CL1043', legalName: 'Dental Partners of Portland', billingContact: null, email: null, cents: 50_000 },
  ];
  for (const { cents, ...c } of customers) {
    await rt.core.customers.create({ ...c, address }, 'dana');
    await rt.core.invoices.create(
      { customerNumber: c.customerNumber, invoiceNumber: `INV-${c.customerNumber}`, issueDate: '2026-09-01', dueDate: '2026-10-01', lines: [{ description: 'Service', quantity: 1, unitPriceCents: cents }] },
      'dana',
    );
  }
});

afterAll(async () => {
  await rt.dispose();
});

async function filtered(customer: string): Promise<AgingReport> {
  return rt.core.aging.report({ asOf: '2026-11-20', customer });
}
const numbers = (r: AgingReport) => r.customers.map((c) => c.customer_number);

describe('the aging report filtered by customer', () => {
  it('folds accents and letters without an accent to strip, typed either way', async () => {
    expect(numbers(await filtered('lodz'))).toEqual(['LZ0001']);
    expect(numbers(await filtered('ŁÓDŹ'))).toEqual(['LZ0001']);
    expect(numbers(await filtered('orsted'))).toEqual(['OR0002']);
    expect(numbers(await filtered('strasse'))).toEqual(['ST0003']);
    expect(numbers(await filtered('backerei'))).toEqual(['ST0003']);
  });

  it('takes several words in any order, each starting a word', async () => {
    expect(numbers(await filtered('partners lodz'))).toEqual(['LZ0001']);
    expect(numbers(await filtered('dental harbor'))).toEqual(['CL1042']);
    expect(numbers(await filtered('dent part'))).toEqual(['CL1043']);
    expect(numbers(await filtered('dental'))).toEqual(['CL1042', 'CL1043']);
    expect(numbers(await filtered('dental zebra'))).toEqual([]);
  });

  it('matches the contact, the email words and the start of a customer number, as lookup does', async () => {
    expect(numbers(await filtered('okafor'))).toEqual(['CL1042']);
    expect(numbers(await filtered('harborlanedental'))).toEqual(['CL1042']);
    expect(numbers(await filtered('cl104'))).toEqual(['CL1042', 'CL1043']);
  });

  it('sums only the rows kept, and keeps every row for blank text', async () => {
    const dental = await filtered('dental');
    expect(dental.totals.total).toBe(90_000);
    expect(dental.totals.days_31_60).toBe(90_000);
    const all = await filtered('  ');
    expect(all.customers).toHaveLength(5);
    expect(all.totals.total).toBe(150_000);
    expect(await rt.core.aging.report({ asOf: '2026-11-20' })).toEqual(all);
  });

  it('is served by the aging.report channel', async () => {
    const r = await dispatch(createDispatcher(rt.core), 'aging.report', { asOf: '2026-11-20', customer: 'lodz' }, asStaff('t'));
    expect(r.ok && numbers(r.data as AgingReport)).toEqual(['LZ0001']);
  });
});
