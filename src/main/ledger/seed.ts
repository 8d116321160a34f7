/**
 * The demo ledger: a deterministic, realistic generator of customers, invoices, payments and
 * credits, for demos, screenshots and the speed benchmark.
 *
 * It is a bulk generator, not a use case: to write a million invoices in well under two minutes it
 * goes straight through the raw better-sqlite3 connection with prepared statements inside ONE
 * transaction (all or nothing), bypassing the services. It fills the lookup columns exactly as
 * the customers service does (customerColumns/nameWords from the same rules) and keeps every
 * ledger invariant: line amount = quantity × unit price, total = subtotal + tax (the tax rule of
 * tax.rules.ts), status 'paid' exactly when the applications cover the total, every captured
 * payment fully applied, no credit used beyond its amount. One audit row ('seed') records the run.
 *
 * Same seed + same as-of date + same customer count -> the same ledger, row for row
 * (a small seeded PRNG, never Math.random).
 *
 * Well-known customers, always first and the same whatever the seed (handy for demos):
 * - CL1042 "Harbor Lane Dental LLC", Maria Okafor, (503) 555-0142, ap@harborlanedental.example,
 *   Portland OR, Net 30, billed monthly ($227.00). Everything due more than 120 days before the
 *   as-of date is paid; the rest is open: five invoices, one in each aging bucket (current, 1-30,
 *   31-60, 61-90, over 90 days past due), plus an unapplied $75.00 service outage credit.
 * - TO0007 "Café Rouge", 503.555.0107, hello@caferouge.example, Portland OR, billed monthly,
 *   pays promptly: only its newest invoice is open (current).
 * - AK5521 "Åkesson & Søn Bakery", +1 206 555 5521, Seattle WA, billed quarterly, pays slowly;
 *   its one open invoice, 31-60 days past due, is disputed.
 */
import type Database from 'better-sqlite3';
import { addDays, addMonths, assertIsoDate, daysBetween } from '../../shared/dates';
import { AppError, validationError } from '../../shared/errors';
import type { Ledger } from '../db/connection';
import type { BillingFrequency } from '../db/schema';
import { customerColumns, customerNameWords, type CustomerDraft } from './customers.rules';
import { computeInvoiceTotals, type TaxableLine } from './tax.rules';
import {
  ACCENTED_NAMES,
  ADJECTIVES,
  CITIES,
  COMPANY_SUFFIXES,
  CREDIT_REASONS,
  DISPUTE_REASONS,
  FIRST_NAMES,
  INDUSTRIES,
  NOTES,
  NOUNS,
  ONE_OFF_LINES,
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
  VOID_REASON,
  type CityInfo,
} from './seed.data';

export interface SeedOptions {
  customers: number;
  seed: number;
  /** The last day of generated history, YYYY-MM-DD: nothing is issued or paid after it. */
  asOf: string;
  actor?: string;
  /** When the seed ran, for its audit row; defaults to noon UTC of asOf so the ledger stays deterministic. */
  at?: string;
}

export interface SeedSummary {
  seed: number;
  asOf: string;
  customers: number;
  cancelledCustomers: number;
  invoices: number;
  invoiceLines: number;
  openInvoices: number;
  disputedInvoices: number;
  voidInvoices: number;
  payments: number;
  applications: number;
  creditMemos: number;
}

export const DEFAULT_SEED_CUSTOMERS = 200;
export const MAX_SEED_CUSTOMERS = 500_000;

/** mulberry32: a tiny, fast 32-bit PRNG; good enough for demo data and fully reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** A whole number from min to max inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** Picks by weight: [[value, weight], ...]. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, w] of choices) {
      r -= w;
      if (r < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }
}

const MONTHS_PER_PERIOD: Record<BillingFrequency, number> = { monthly: 1, quarterly: 3, semiannual: 6, annual: 12 };
const FREQUENCY_LABEL: Record<BillingFrequency, string> = {
  monthly: 'monthly',
  quarterly: 'quarterly',
  semiannual: 'semi-annual',
  annual: 'annual',
};

interface PlannedLine extends TaxableLine {
  description: string;
}

interface CustomerPlan {
  draft: CustomerDraft;
  startDate: string;
  cancelDate: string | null;
  frequency: BillingFrequency;
  taxRateBp: number;
  recurringLines: PlannedLine[];
  /** Returns the day this invoice is paid (null: still unpaid). */
  payDate: (inv: { issueDate: string; dueDate: string }, rng: Rng) => string | null;
  disputeChance: number;
  /**
   * Credit memos: issued that many days after the start date (or, when negative, before the
   * as-of date); 'full' and 'partial' ones go on the first invoice issued after them.
   */
  credits: { issueOffsetDays: number; amountCents: number; reason: string; use: 'full' | 'partial' | 'none' }[];
}

interface Statements {
  customer: Database.Statement;
  nameWord: Database.Statement;
  invoice: Database.Statement;
  line: Database.Statement;
  credit: Database.Statement;
  payment: Database.Statement;
  application: Database.Statement;
}

function prepareStatements(sqlite: Database.Database): Statements {
  return {
    customer: sqlite.prepare(
      `INSERT INTO customers (id, customer_number, legal_name, name_search, billing_contact, email, phone, phone_digits,
        address_line1, address_line2, city, region, postal_code, country,
        mailing_line1, mailing_line2, mailing_city, mailing_region, mailing_postal_code, mailing_country,
        terms_days, tax_exempt, status, notes, created_at, updated_at)
       VALUES (@id, @customer_number, @legal_name, @name_search, @billing_contact, @email, @phone, @phone_digits,
        @address_line1, @address_line2, @city, @region, @postal_code, @country,
        @mailing_line1, @mailing_line2, @mailing_city, @mailing_region, @mailing_postal_code, @mailing_country,
        @terms_days, @tax_exempt, @status, @notes, @created_at, @updated_at)`,
    ),
    nameWord: sqlite.prepare(`INSERT OR IGNORE INTO customer_name_words (word, customer_id) VALUES (?, ?)`),
    invoice: sqlite.prepare(
      `INSERT INTO invoices (id, invoice_number, customer_id, issue_date, due_date, period_start, period_end,
        billing_frequency, tax_rate_bp, subtotal_cents, tax_cents, total_cents, status, disputed, dispute_reason,
        void_reason, voided_at, voided_by, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    line: sqlite.prepare(
      `INSERT INTO invoice_lines (invoice_id, line_no, description, quantity, unit_price_cents, amount_cents, taxable)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    credit: sqlite.prepare(
      `INSERT INTO credit_memos (id, credit_number, customer_id, issue_date, amount_cents, reason, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    payment: sqlite.prepare(
      `INSERT INTO payments (id, customer_id, kind, status, amount_cents, received_on, created_at, created_by, settled_at)
       VALUES (?, ?, 'import', 'captured', ?, ?, ?, ?, ?)`,
    ),
    application: sqlite.prepare(
      `INSERT INTO applications (invoice_id, customer_id, source, payment_id, credit_id, amount_cents, applied_on,
        created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Customers

const NUMBER_PREFIXES = ['CL', 'TO', 'AK', 'BR', 'DN', 'EV', 'FM', 'GR', 'HW', 'JP', 'KS', 'LM', 'MR', 'NP', 'OR', 'PD', 'RS', 'SV', 'TW', 'WB'];

function customerNumberFrom(rng: Rng, taken: Set<string>): string {
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

function randomCustomerPlan(rng: Rng, number: string, asOf: string): CustomerPlan {
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

function wellKnownPlans(asOf: string): CustomerPlan[] {
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

// ---------------------------------------------------------------------------------------------
// Writing

interface Ids {
  customer: number;
  invoice: number;
  invoiceNumber: number;
  credit: number;
  creditNumber: number;
  payment: number;
}

interface Context {
  st: Statements;
  asOf: string;
  actor: string;
  ids: Ids;
  summary: SeedSummary;
}

function stamp(date: string, hour: number): string {
  return `${date}T${String(hour).padStart(2, '0')}:00:00.000Z`;
}

interface PlannedInvoice {
  id: number;
  totalCents: number;
  appliedCents: number;
}

/** Writes one customer with its invoices, credits and payments. */
function writeCustomer(ctx: Context, plan: CustomerPlan, rng: Rng): void {
  const { st, asOf, actor, ids, summary } = ctx;
  const customerId = ++ids.customer;
  const columns = customerColumns(plan.draft);
  const createdAt = stamp(plan.startDate < asOf ? plan.startDate : asOf, 16);
  st.customer.run({
    ...columns,
    id: customerId,
    created_at: createdAt,
    updated_at: plan.cancelDate ? stamp(plan.cancelDate, 16) : createdAt,
  });
  for (const word of customerNameWords(plan.draft)) st.nameWord.run(word, customerId);
  summary.customers++;
  if (plan.draft.status === 'cancelled') summary.cancelledCustomers++;

  const months = MONTHS_PER_PERIOD[plan.frequency];
  // Payments made on the same day are one payment covering several invoices.
  const paymentsByDay = new Map<string, { invoice: PlannedInvoice; amountCents: number }[]>();
  const pay = (day: string, invoice: PlannedInvoice, amountCents: number): void => {
    let list = paymentsByDay.get(day);
    if (!list) paymentsByDay.set(day, (list = []));
    list.push({ invoice, amountCents });
    invoice.appliedCents += amountCents;
  };

  const credits = plan.credits
    .map((c) => ({
      ...c,
      issueDate: c.issueOffsetDays < 0 ? addDays(asOf, c.issueOffsetDays) : addDays(plan.startDate, c.issueOffsetDays),
    }))
    .filter((c) => c.issueDate <= asOf)
    .sort((a, b) => (a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : 0))
    .map((c) => ({ ...c, id: ++ids.credit, number: `CR-${++ids.creditNumber}`, usedCents: 0 }));
  for (const c of credits) {
    st.credit.run(c.id, c.number, customerId, c.issueDate, c.amountCents, c.reason, stamp(c.issueDate, 15), actor);
    summary.creditMemos++;
  }

  for (let k = 0; ; k++) {
    const periodStart = addMonths(plan.startDate, k * months);
    if (periodStart > asOf || (plan.cancelDate !== null && periodStart >= plan.cancelDate)) break;
    const periodEnd = addDays(addMonths(plan.startDate, (k + 1) * months), -1);
    const issueDate = periodStart;
    const dueDate = addDays(issueDate, plan.draft.termsDays);
    const lines: PlannedLine[] = [...plan.recurringLines];
    if (rng.chance(0.12)) {
      const extra = rng.pick(ONE_OFF_LINES);
      lines.push({ description: extra.description, quantity: rng.int(1, extra.maxQuantity), unitPriceCents: extra.unitPriceCents, taxable: extra.taxable });
    }
    const totals = computeInvoiceTotals(lines, plan.taxRateBp, plan.draft.taxExempt);
    const isVoid = rng.chance(0.003);
    const invoice: PlannedInvoice = { id: ++ids.invoice, totalCents: totals.totalCents, appliedCents: 0 };
    const invoiceNumber = `INV-${++ids.invoiceNumber}`;
    const creditParts: { creditId: number; amountCents: number }[] = [];

    // Payments are decided before the invoice row is written: its cached status depends on them.
    let disputeReason: string | null = null;
    if (!isVoid) {
      // A credit issued on or before this invoice is used on it first, on its issue date.
      for (const c of credits) {
        if (c.use === 'none' || c.usedCents > 0 || c.issueDate > issueDate) continue;
        const wanted = c.use === 'partial' ? Math.floor(c.amountCents / 2) : c.amountCents;
        const part = Math.min(wanted, invoice.totalCents - invoice.appliedCents);
        if (part <= 0) continue;
        c.usedCents = part;
        invoice.appliedCents += part;
        creditParts.push({ creditId: c.id, amountCents: part });
      }
      const rest = invoice.totalCents - invoice.appliedCents;
      const paidOn = rest > 0 ? plan.payDate({ issueDate, dueDate }, rng) : null;
      if (paidOn !== null && paidOn <= asOf) {
        if (rest >= 2000 && rng.chance(0.03)) {
          // Paid in two instalments; the second may still be outstanding.
          const first = Math.floor(rest / 2);
          pay(paidOn, invoice, first);
          const second = addDays(paidOn, rng.int(10, 45));
          if (second <= asOf) pay(second, invoice, rest - first);
        } else {
          pay(paidOn, invoice, rest);
        }
      }
      if (invoice.appliedCents < invoice.totalCents && rng.chance(plan.disputeChance)) {
        disputeReason = rng.pick(DISPUTE_REASONS);
      }
    }

    const status = isVoid ? 'void' : invoice.appliedCents === invoice.totalCents ? 'paid' : 'open';
    st.invoice.run(
      invoice.id,
      invoiceNumber,
      customerId,
      issueDate,
      dueDate,
      periodStart,
      periodEnd,
      plan.frequency,
      plan.taxRateBp,
      totals.subtotalCents,
      totals.taxCents,
      totals.totalCents,
      status,
      disputeReason ? 1 : 0,
      disputeReason,
      isVoid ? VOID_REASON : null,
      isVoid ? stamp(addDays(issueDate, 2) <= asOf ? addDays(issueDate, 2) : asOf, 18) : null,
      isVoid ? actor : null,
      stamp(issueDate, 14),
      actor,
    );
    lines.forEach((line, i) => {
      st.line.run(invoice.id, i + 1, line.description, line.quantity, line.unitPriceCents, line.quantity * line.unitPriceCents, line.taxable ? 1 : 0);
    });
    summary.invoices++;
    summary.invoiceLines += lines.length;
    if (status === 'open') summary.openInvoices++;
    if (status === 'void') summary.voidInvoices++;
    if (disputeReason) summary.disputedInvoices++;

    for (const part of creditParts) {
      st.application.run(invoice.id, customerId, 'credit', null, part.creditId, part.amountCents, issueDate, stamp(issueDate, 15), actor);
      summary.applications++;
    }
  }

  const days = [...paymentsByDay.keys()].sort();
  for (const day of days) {
    const parts = paymentsByDay.get(day)!;
    const paymentId = ++ids.payment;
    const amount = parts.reduce((s, p) => s + p.amountCents, 0);
    const at = stamp(day, 17);
    st.payment.run(paymentId, customerId, amount, day, at, actor, at);
    summary.payments++;
    for (const p of parts) {
      st.application.run(p.invoice.id, customerId, 'payment', paymentId, null, p.amountCents, day, at, actor);
      summary.applications++;
    }
  }
}

function maxId(sqlite: Database.Database, table: string): number {
  return (sqlite.prepare(`SELECT coalesce(max(id), 0) AS n FROM ${table}`).get() as { n: number }).n;
}

/** Highest number already used in the generated format (INV-100001…), so seeded numbers never collide. */
function highestNumber(sqlite: Database.Database, table: string, column: string, prefix: string): number {
  const row = sqlite
    .prepare(
      `SELECT max(CAST(substr(${column}, ${prefix.length + 1}) AS INTEGER)) AS n FROM ${table}
       WHERE ${column} GLOB '${prefix}[0-9]*'`,
    )
    .get() as { n: number | null };
  return Math.max(row.n ?? 0, 100_000);
}

/**
 * Fills an empty ledger with a demo book of business (see the top of this file).
 * Refuses (CONFLICT) when the ledger already has customers.
 */
export async function seedDemoLedger(ledger: Ledger, options: SeedOptions): Promise<SeedSummary> {
  const { customers, seed, asOf } = options;
  if (!Number.isSafeInteger(customers) || customers < 1 || customers > MAX_SEED_CUSTOMERS) {
    throw validationError('customers', `must be a whole number from 1 to ${MAX_SEED_CUSTOMERS}, got ${customers}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw validationError('seed', `must be a whole number from 0 to ${0xffff_ffff}, got ${seed}`);
  }
  assertIsoDate(asOf, 'asOf');
  const actor = options.actor ?? 'seed';
  const sqlite = ledger.sqlite;
  const summary: SeedSummary = {
    seed,
    asOf,
    customers: 0,
    cancelledCustomers: 0,
    invoices: 0,
    invoiceLines: 0,
    openInvoices: 0,
    disputedInvoices: 0,
    voidInvoices: 0,
    payments: 0,
    applications: 0,
    creditMemos: 0,
  };

  const run = sqlite.transaction(() => {
    const existing = (sqlite.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;
    if (existing > 0) {
      throw new AppError('CONFLICT', `The ledger already has ${existing} customers; demo data goes only into an empty ledger.`, {
        customers: existing,
      });
    }
    const ctx: Context = {
      st: prepareStatements(sqlite),
      asOf,
      actor,
      summary,
      ids: {
        customer: maxId(sqlite, 'customers'),
        invoice: maxId(sqlite, 'invoices'),
        invoiceNumber: highestNumber(sqlite, 'invoices', 'invoice_number', 'INV-'),
        credit: maxId(sqlite, 'credit_memos'),
        creditNumber: highestNumber(sqlite, 'credit_memos', 'credit_number', 'CR-'),
        payment: maxId(sqlite, 'payments'),
      },
    };
    const taken = new Set<string>();
    // The well-known customers draw from their own fixed stream, so they look the same whatever the seed.
    const fixedRng = new Rng(0x5eed);
    for (const plan of wellKnownPlans(asOf).slice(0, customers)) {
      taken.add(plan.draft.customerNumber);
      writeCustomer(ctx, plan, fixedRng);
    }
    const rng = new Rng(seed);
    while (summary.customers < customers) {
      const number = customerNumberFrom(rng, taken);
      writeCustomer(ctx, randomCustomerPlan(rng, number, asOf), rng);
    }
    // Generated numbers continue after the seeded ones.
    const setCounter = sqlite.prepare(
      `INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)`,
    );
    setCounter.run('invoice_number', ctx.ids.invoiceNumber);
    setCounter.run('credit_number', ctx.ids.creditNumber);
    sqlite
      .prepare(`INSERT INTO audit_log (at, actor, action, entity, entity_id, summary) VALUES (?, ?, 'seed', 'ledger', 'demo', ?)`)
      .run(options.at ?? stamp(asOf, 12), actor, JSON.stringify(summary));
  });

  // A bigger page cache for the one large transaction, put back afterwards.
  const previousCache = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma('cache_size = -262144');
  try {
    run();
  } finally {
    sqlite.pragma(`cache_size = ${previousCache}`);
  }
  return summary;
}
