import { describe, expect, it } from 'vitest';
import {
  applyCustomerChanges,
  changedCustomerFields,
  customerColumns,
  customerProblems,
  draftFromCreateInput,
} from '../../../src/main/ledger/customers.rules';

const base = draftFromCreateInput({
  customerNumber: 'cl1042',
  legalName: '  Clearwater Landscaping  ',
  email: '  ',
  phone: '(503) 555-0142',
  address: { line1: '12 River Rd', postalCode: '97201' },
  mailingAddress: { line1: ' ', city: '' },
});

describe('customer drafts', () => {
  it('trims text, turns blanks into nothing, upper-cases the number and fills defaults', () => {
    expect(base).toMatchObject({
      customerNumber: 'CL1042',
      legalName: 'Clearwater Landscaping',
      email: null,
      termsDays: 30,
      taxExempt: false,
      status: 'active',
      mailingAddress: null,
    });
    expect(customerProblems(base)).toEqual({});
  });

  it('changes only the keys given, merges address parts, and clears the mailing address with null', () => {
    const withMailing = applyCustomerChanges(base, { mailingAddress: { line1: 'PO Box 7', postalCode: '97207' } });
    expect(withMailing.mailingAddress).toEqual({ line1: 'PO Box 7', line2: null, city: null, region: null, postalCode: '97207', country: null });
    const moved = applyCustomerChanges(withMailing, { address: { city: 'Salem' } });
    expect(moved.address).toEqual({ line1: '12 River Rd', line2: null, city: 'Salem', region: null, postalCode: '97201', country: null });
    expect(moved.mailingAddress?.line1).toBe('PO Box 7');
    expect(applyCustomerChanges(moved, { mailingAddress: null }).mailingAddress).toBeNull();
    expect(changedCustomerFields(base, moved)).toEqual({
      'address.city': { from: null, to: 'Salem' },
      'mailingAddress.line1': { from: null, to: 'PO Box 7' },
      'mailingAddress.postalCode': { from: null, to: '97207' },
    });
  });

  it('derives the lookup columns from the name and phone', () => {
    const cols = customerColumns(applyCustomerChanges(base, { legalName: 'Société Générale—Nord', phone: '+33 1 42 14 20 00' }));
    expect(cols.name_search).toBe('societe generale nord');
    expect(cols.phone_digits).toBe('33142142000');
    expect(customerColumns(applyCustomerChanges(base, { phone: null })).phone_digits).toBeNull();
  });
});
