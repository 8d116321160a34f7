import { addDays, addMonths, daysBetween } from '../../shared/dates';
import type { CustomerPlan } from './plan';
import { CITIES } from './seed.data';

/** The well-known demo customers (CL1042, TO0007, AK5521), the same whatever the seed; see seed.ts. */
export function wellKnownPlans(asOf: string): CustomerPlan[] {
  const portland = CITIES[0]!;
  const seattle = CITIES.find((c) => c.city === 'Seattle')!;
  const base = { mailingAddress: null, taxExempt: false, status: 'active' as const, notes: null };
  const harborLane: CustomerPlan = {
    draft: {
      ...base,
      customerNumber: 'CL1042',
      legalName: 'Harbor Lane Dental LLC',
      billingContact: 'Maria Okafor',
      email: 'ap@harborlanedental.example',
      phone: '(503) 555-0142',
      address: { line1: '1420 NW Lovejoy St', line2: 'Suite 210', city: 'Portland', region: 'OR', postalCode: '97209', country: 'US' },
      termsDays: 30,
      notes: 'Ask for Maria in accounts payable.',
    },
    // Billed mid-cycle so its five open invoices fall squarely in the five aging buckets.
    startDate: addDays(addMonths(asOf, -24), -15),
    cancelDate: null,
    frequency: 'monthly',
    taxRateBp: portland.taxRateBp,
    recurringLines: [
      { description: 'Professional service plan, monthly', quantity: 1, unitPriceCents: 18900, taxable: false },
      { description: 'Additional user seats', quantity: 4, unitPriceCents: 950, taxable: false },
    ],
    payDate: (inv) => (daysBetween(inv.dueDate, asOf) > 120 ? addDays(inv.dueDate, -3) : null),
    disputeChance: 0,
    credits: [{ issueOffsetDays: -10, amountCents: 7500, reason: 'Service outage credit', use: 'none' }],
  };
  const cafeRouge: CustomerPlan = {
    draft: {
      ...base,
      customerNumber: 'TO0007',
      legalName: 'Café Rouge',
      billingContact: 'Renée Dubois',
      email: 'hello@caferouge.example',
      phone: '503.555.0107',
      address: { line1: '2310 SE Division St', line2: null, city: 'Portland', region: 'OR', postalCode: '97202', country: 'US' },
      termsDays: 15,
    },
    startDate: addMonths(asOf, -18),
    cancelDate: null,
    frequency: 'monthly',
    taxRateBp: portland.taxRateBp,
    recurringLines: [
      { description: 'Essentials service plan, monthly', quantity: 1, unitPriceCents: 8900, taxable: false },
      { description: 'Equipment rental', quantity: 1, unitPriceCents: 2500, taxable: true },
    ],
    // Pays ten days after issue; only an invoice issued in the last ten days is still open.
    payDate: (inv) => addDays(inv.issueDate, 10),
    disputeChance: 0,
    credits: [],
  };
  const akesson: CustomerPlan = {
    draft: {
      ...base,
      customerNumber: 'AK5521',
      legalName: 'Åkesson & Søn Bakery',
      billingContact: 'Søren Åkesson',
      email: 'soren@akessonbakery.example',
      phone: '+1 206 555 5521',
      address: { line1: '88 Pike St', line2: null, city: 'Seattle', region: 'WA', postalCode: '98101', country: 'US' },
      termsDays: 30,
    },
    startDate: addDays(addMonths(asOf, -26), -10),
    cancelDate: null,
    frequency: 'quarterly',
    taxRateBp: seattle.taxRateBp,
    recurringLines: [
      { description: 'Business service plan, quarterly', quantity: 1, unitPriceCents: 74700, taxable: false },
      { description: 'Equipment rental', quantity: 3, unitPriceCents: 2500, taxable: true },
    ],
    payDate: (inv) => (daysBetween(inv.dueDate, asOf) > 120 ? addDays(inv.dueDate, 45) : null),
    disputeChance: 1,
    credits: [],
  };
  return [harborLane, cafeRouge, akesson];
}
