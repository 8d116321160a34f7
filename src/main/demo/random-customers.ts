/** The generated customers: names, contacts, addresses, plans and paying habits drawn from the seed's stream. */
import { addDays, addMonths, daysBetween } from '../../shared/dates';
import type { BillingFrequency } from '../db/schema';
import { customerNameWords, type CustomerDraft } from '../ledger/customers.rules';
import { MONTHS_PER_PERIOD, type CustomerPlan, type PlannedLine } from './plan';
import type { Rng } from './rng';
import {
  ACCENTED_NAMES,
  ADJECTIVES,
  CITIES,
  COMPANY_SUFFIXES,
  CREDIT_REASONS,
  FIRST_NAMES,
  INDUSTRIES,
  NOTES,
  NOUNS,
  PLACE_WORDS,
  PLAN_NAMES,
  PLAN_PRICES_CENTS,
  PROFESSIONS,
  RECURRING_ADD_ONS,
  STREET_NAMES,
  STREET_TYPES,
  STREET_WORDS,
  SURNAMES,
  UNIT_KINDS,
  type CityInfo,
} from './seed.data';

const FREQUENCY_LABEL: Record<BillingFrequency, string> = {
  monthly: 'monthly',
  quarterly: 'quarterly',
  semiannual: 'semi-annual',
  annual: 'annual',
};

const NUMBER_PREFIXES = ['CL', 'TO', 'AK', 'BR', 'DN', 'EV', 'FM', 'GR', 'HW', 'JP', 'KS', 'LM', 'MR', 'NP', 'OR', 'PD', 'RS', 'SV', 'TW', 'WB'];

export function customerNumberFrom(rng: Rng, taken: Set<string>): string {
  for (;;) {
    const n = rng.int(1, 99_999);
    const number = `${rng.pick(NUMBER_PREFIXES)}${String(n).padStart(4, '0')}`;
    if (!taken.has(number)) {
      taken.add(number);
      return number;
    }
  }
}

function legalNameFrom(rng: Rng, city: CityInfo): string {
  const withSuffix = (base: string): string => {
    const s = rng.pick(COMPANY_SUFFIXES);
    // "Law Group Group" and "Partners Group" read wrong.
    return s && !(s === 'Group' && /(Group|Partners|Associates)$/.test(base)) ? `${base} ${s}` : base;
  };
  const kind = rng.weighted([
    ['place-street', 30],
    ['partners', 18],
    ['surname', 22],
    ['adjective', 14],
    ['place', 13],
    ['accented', 3],
  ] as const);
  switch (kind) {
    case 'place-street':
      return withSuffix(`${rng.pick(PLACE_WORDS)} ${rng.pick(STREET_WORDS)} ${rng.pick(INDUSTRIES)}`);
    case 'partners': {
      const a = rng.pick(SURNAMES);
      let b = rng.pick(SURNAMES);
      if (b === a) b = rng.pick(SURNAMES);
      return withSuffix(`${a} & ${b} ${rng.pick(PROFESSIONS)}`);
    }
    case 'surname':
      return withSuffix(`${rng.pick(SURNAMES)} ${rng.pick(INDUSTRIES)}`);
    case 'adjective':
      return `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)} ${rng.pick(INDUSTRIES)}`;
    case 'place':
      return withSuffix(`${rng.pick(PLACE_WORDS)} ${rng.pick(INDUSTRIES)}`);
    case 'accented':
      // "Café Rouge" itself is the well-known TO0007; others get a branch name.
      return `${rng.pick(ACCENTED_NAMES.slice(1))} ${city.city}`;
  }
}

/** The words of a name that make a plausible mail domain: "harborlanedental.example". */
function domainFor(legalName: string): string {
  const drop = new Set(['llc', 'inc', 'co', 'pc', 'llp', 'group', 'ltd', 'the', 'of']);
  const words = customerNameWords({ legalName }).filter((w) => !drop.has(w) && /^[a-z0-9]+$/.test(w));
  const slug = words.join('').slice(0, 28) || 'customer';
  return `${slug}.example`;
}

function emailLocalPart(rng: Rng, first: string, last: string): string {
  const ascii = (s: string): string =>
    s
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^a-z]/g, '');
  return rng.weighted([
    ['ap', 30],
    ['billing', 25],
    [`${ascii(first)}.${ascii(last)}`, 25],
    [`${ascii(first).slice(0, 1)}${ascii(last)}`, 15],
    ['office', 5],
  ] as const);
}

function formatPhone(rng: Rng, area: string, exchange: string, line: string): string {
  return rng.weighted([
    [`(${area}) ${exchange}-${line}`, 40],
    [`${area}-${exchange}-${line}`, 25],
    [`${area}.${exchange}.${line}`, 15],
    [`${area}${exchange}${line}`, 10],
    [`+1 ${area} ${exchange} ${line}`, 10],
  ] as const);
}

/** Last seven digits of the well-known customers' phones; random customers never get them. */
const RESERVED_PHONE_LINES = new Set(['5550142', '5550107', '5555521']);

function randomPhone(rng: Rng, city: CityInfo): string {
  for (;;) {
    const line = String(rng.int(0, 9999)).padStart(4, '0');
    if (RESERVED_PHONE_LINES.has(`555${line}`)) continue;
    return formatPhone(rng, rng.pick(city.areaCodes), '555', line);
  }
}

function streetAddress(rng: Rng): string {
  return `${rng.int(10, 9899)} ${rng.pick(STREET_NAMES)} ${rng.pick(STREET_TYPES)}`;
}

function planLines(rng: Rng, frequency: BillingFrequency): PlannedLine[] {
  const months = MONTHS_PER_PERIOD[frequency];
  const monthly = rng.pick(PLAN_PRICES_CENTS);
  // Longer prepaid periods get a discount, in whole cents.
  const discountPct = frequency === 'annual' ? 10 : frequency === 'semiannual' ? 5 : 0;
  const periodPrice = Math.floor((monthly * months * (100 - discountPct)) / 100);
  const lines: PlannedLine[] = [
    {
      description: `${rng.pick(PLAN_NAMES)} service plan, ${FREQUENCY_LABEL[frequency]}`,
      quantity: 1,
      unitPriceCents: periodPrice,
      taxable: false,
    },
  ];
  if (rng.chance(0.4)) {
    const addOn = rng.pick(RECURRING_ADD_ONS);
    lines.push({
      description: addOn.description,
      quantity: rng.int(1, addOn.maxQuantity) * months,
      unitPriceCents: addOn.unitPriceCents,
      taxable: addOn.taxable,
    });
  }
  return lines;
}

function habitFor(rng: Rng, asOf: string): CustomerPlan['payDate'] {
  const habit = rng.weighted([
    ['prompt', 52],
    ['late', 26],
    ['slow', 12],
    ['delinquent', 10],
  ] as const);
  // A delinquent customer stopped paying some time ago: everything issued after that stays open.
  const stoppedOn = addDays(asOf, -rng.int(15, 240));
  return (inv, r) => {
    // Now and then any customer forgets an invoice for a few months.
    if (r.chance(0.01)) return addDays(inv.dueDate, r.int(45, 160));
    switch (habit) {
      case 'prompt':
        return addDays(inv.issueDate, r.int(0, Math.max(0, daysBetween(inv.issueDate, inv.dueDate) - 2)));
      case 'late':
        return addDays(inv.dueDate, r.int(1, 28));
      case 'slow':
        return addDays(inv.dueDate, r.int(20, 85));
      case 'delinquent':
        return inv.issueDate > stoppedOn ? null : addDays(inv.dueDate, r.int(1, 28));
    }
  };
}

export function randomCustomerPlan(rng: Rng, number: string, asOf: string): CustomerPlan {
  const city = rng.pick(CITIES);
  const legalName = legalNameFrom(rng, city);
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(SURNAMES);
  const hasMailing = rng.chance(0.1);
  const zip = `${city.zip3}${String(rng.int(1, 99)).padStart(2, '0')}`;
  const frequency = rng.weighted([
    ['monthly', 80],
    ['quarterly', 10],
    ['semiannual', 5],
    ['annual', 5],
  ] as const);
  // Most customers have been with us the whole two-plus years of history; the rest joined since.
  const monthsBack = rng.chance(0.62) ? 28 : rng.int(1, 27);
  const startDate = addDays(addMonths(asOf, -monthsBack), -rng.int(0, 27));
  const cancelled = rng.chance(0.04);
  const cancelDate = cancelled ? addDays(asOf, -rng.int(20, Math.max(20, Math.min(400, daysBetween(startDate, asOf) - 1)))) : null;
  const draft: CustomerDraft = {
    customerNumber: number,
    legalName,
    billingContact: rng.chance(0.92) ? `${first} ${last}` : null,
    email: rng.chance(0.95) ? `${emailLocalPart(rng, first, last)}@${domainFor(legalName)}` : null,
    phone: rng.chance(0.97) ? randomPhone(rng, city) : null,
    address: {
      line1: streetAddress(rng),
      line2: rng.chance(0.2) ? `${rng.pick(UNIT_KINDS)} ${rng.int(100, 950)}` : null,
      city: city.city,
      region: city.region,
      postalCode: zip,
      country: 'US',
    },
    mailingAddress: hasMailing
      ? { line1: `PO Box ${rng.int(100, 99_999)}`, line2: null, city: city.city, region: city.region, postalCode: zip, country: 'US' }
      : null,
    termsDays: rng.weighted([
      [30, 70],
      [15, 10],
      [45, 8],
      [60, 5],
      [0, 7],
    ] as const),
    taxExempt: rng.chance(0.08),
    status: cancelled && cancelDate !== null && cancelDate > startDate ? 'cancelled' : 'active',
    notes: rng.chance(0.1) ? rng.pick(NOTES) : null,
  };
  const creditCount = rng.chance(0.13) ? (rng.chance(0.15) ? 2 : 1) : 0;
  const credits: CustomerPlan['credits'] = [];
  for (let i = 0; i < creditCount; i++) {
    credits.push({
      issueOffsetDays: rng.int(5, Math.max(5, daysBetween(startDate, asOf))),
      amountCents: rng.int(6, 100) * 250,
      reason: rng.pick(CREDIT_REASONS),
      use: rng.weighted([
        ['full', 55],
        ['partial', 15],
        ['none', 30],
      ] as const),
    });
  }
  return {
    draft,
    startDate,
    cancelDate: draft.status === 'cancelled' ? cancelDate : null,
    frequency,
    taxRateBp: city.taxRateBp,
    recurringLines: planLines(rng, frequency),
    payDate: habitFor(rng, asOf),
    disputeChance: 0.02,
    credits,
  };
}
