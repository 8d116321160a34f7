import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareNatural,
  computeCreditApplication,
  computeQuote,
  DEFAULT_PAYMENT_POLICY,
  sortCreditsOldestFirst,
  sortOldestFirst,
  type AvailableCredit,
  type OpenInvoice,
  type PaymentPolicy,
  type QuoteAccepted,
  type QuoteInput,
  type QuoteResult,
} from '../../../src/main/ledger/allocation.rules';

// ----------------------------------------------------------------------------------------------
// Fixtures

function inv(invoiceNumber: string, dueDate: string, openCents: number, more: Partial<OpenInvoice> = {}): OpenInvoice {
  return { invoiceNumber, issueDate: more.issueDate ?? '2026-01-01', dueDate, openCents, disputed: false, ...more };
}

function credit(creditNumber: string, issueDate: string, remainingCents: number): AvailableCredit {
  return { creditNumber, issueDate, remainingCents };
}

const EXACT: PaymentPolicy = { exactInvoicePayments: true, overpayment: 'refuse' };
const PARTIAL_REFUSE: PaymentPolicy = { exactInvoicePayments: false, overpayment: 'refuse' };
const PARTIAL_KEEP: PaymentPolicy = { exactInvoicePayments: false, overpayment: 'unapplied_credit' };

// Three invoices listed out of order on purpose; oldest first is 1008, 1009, 1010.
const INVOICES: OpenInvoice[] = [
  inv('INV-1010', '2026-03-01', 30_000),
  inv('INV-1008', '2026-01-15', 10_000),
  inv('INV-1009', '2026-02-01', 5_000),
];

function quote(overrides: Partial<QuoteInput>): QuoteResult {
  return computeQuote({
    openInvoices: INVOICES,
    selection: 'all',
    credits: [],
    selectedCredits: [],
    policy: EXACT,
    ...overrides,
  });
}

function accepted(r: QuoteResult): QuoteAccepted {
  if (!r.ok) throw new Error(`expected a quote, got ${r.code}: ${r.message}`);
  return r;
}

// ----------------------------------------------------------------------------------------------
// Ordering

describe('compareNatural', () => {
  it.each([
    ['INV-999', 'INV-1000', -1],
    ['INV-1000', 'INV-999', 1],
    ['INV-2', 'INV-10', -1],
    ['INV-10', 'INV-10', 0],
    ['A-1', 'B-0', -1],
    ['INV-1', 'INV-1a', -1],
    ['INV-2024-9', 'INV-2024-10', -1],
    ['INV-99999999999999999999', 'INV-100000000000000000000', -1],
  ])('orders %s before/after %s as %i', (a, b, c) => {
    expect(compareNatural(a, b)).toBe(c);
  });

  it('keeps a total order between numbers that differ only by leading zeros', () => {
    expect(compareNatural('INV-01', 'INV-1')).not.toBe(0);
    expect(compareNatural('INV-01', 'INV-1')).toBe(-compareNatural('INV-1', 'INV-01'));
  });

  it('is antisymmetric and transitive', () => {
    const ids = fc.stringMatching(/^[A-C]{0,2}-?[0-9]{0,3}[a-b]?$/);
    fc.assert(
      fc.property(ids, ids, ids, (a, b, c) => {
        expect(compareNatural(a, b)).toBe(-compareNatural(b, a) || 0);
        if (compareNatural(a, b) <= 0 && compareNatural(b, c) <= 0) expect(compareNatural(a, c)).toBeLessThanOrEqual(0);
        expect(compareNatural(a, b) === 0).toBe(a === b);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('sortOldestFirst', () => {
  it('orders by due date, then issue date, then invoice number in natural order', () => {
    const sorted = sortOldestFirst([
      inv('INV-1000', '2026-02-01', 1, { issueDate: '2026-01-01' }),
      inv('INV-999', '2026-02-01', 1, { issueDate: '2026-01-01' }),
      inv('INV-5', '2026-02-01', 1, { issueDate: '2026-01-02' }),
      inv('INV-7', '2026-01-31', 1, { issueDate: '2026-01-20' }),
    ]);
    expect(sorted.map((i) => i.invoiceNumber)).toEqual(['INV-7', 'INV-999', 'INV-1000', 'INV-5']);
  });

  it('returns a new array and leaves its input alone', () => {
    const input = [...INVOICES];
    const sorted = sortOldestFirst(input);
    expect(sorted).not.toBe(input);
    expect(input).toEqual(INVOICES);
  });
});

describe('sortCreditsOldestFirst', () => {
  it('orders credits by issue date, then credit number in natural order', () => {
    const sorted = sortCreditsOldestFirst([
      credit('CM-10', '2026-01-05', 1),
      credit('CM-9', '2026-01-05', 1),
      credit('CM-1', '2026-02-01', 1),
      credit('CM-50', '2025-12-01', 1),
    ]);
    expect(sorted.map((c) => c.creditNumber)).toEqual(['CM-50', 'CM-9', 'CM-10', 'CM-1']);
  });
});

// ----------------------------------------------------------------------------------------------
// Quotes: examples

describe('computeQuote with exact invoice payments', () => {
  it('charges the full open amount of every selected invoice, oldest first', () => {
    const q = accepted(quote({}));
    expect(q.lines.map((l) => [l.invoiceNumber, l.chargeCents, l.remainingCents])).toEqual([
      ['INV-1008', 10_000, 0],
      ['INV-1009', 5_000, 0],
      ['INV-1010', 30_000, 0],
    ]);
    expect(q).toMatchObject({
      totalOpenCents: 45_000,
      totalCreditCents: 0,
      chargeCents: 45_000,
      unappliedCents: 0,
      creditsUsed: [],
      creditsLeft: [],
    });
  });

  it('copies each invoice’s dates and open amount onto its line', () => {
    const q = accepted(quote({ selection: ['INV-1009'] }));
    expect(q.lines).toEqual([
      {
        invoiceNumber: 'INV-1009',
        dueDate: '2026-02-01',
        issueDate: '2026-01-01',
        openCents: 5_000,
        creditParts: [],
        creditCents: 0,
        chargeCents: 5_000,
        remainingCents: 0,
      },
    ]);
  });

  it('uses the default policy of exact payments and no overpayment', () => {
    expect(DEFAULT_PAYMENT_POLICY).toEqual({ exactInvoicePayments: true, overpayment: 'refuse' });
    expect(accepted(quote({ policy: DEFAULT_PAYMENT_POLICY })).chargeCents).toBe(45_000);
  });

  it('leaves disputed invoices out of Pay All', () => {
    const q = accepted(quote({ openInvoices: [...INVOICES, inv('INV-1007', '2025-12-01', 99_00, { disputed: true })] }));
    expect(q.lines.map((l) => l.invoiceNumber)).toEqual(['INV-1008', 'INV-1009', 'INV-1010']);
    expect(q.chargeCents).toBe(45_000);
  });

  it('pays a disputed invoice the clerk selects by hand', () => {
    const disputed = inv('INV-1007', '2025-12-01', 9_900, { disputed: true });
    const q = accepted(quote({ openInvoices: [...INVOICES, disputed], selection: ['INV-1007'] }));
    expect(q.chargeCents).toBe(9_900);
  });

  it('settles only the selected invoices, in oldest-first order whatever the selection order', () => {
    const q = accepted(quote({ selection: ['INV-1010', 'INV-1008'] }));
    expect(q.lines.map((l) => l.invoiceNumber)).toEqual(['INV-1008', 'INV-1010']);
    expect(q.chargeCents).toBe(40_000);
  });

  it('accepts an amount equal to what is due', () => {
    expect(accepted(quote({ amountCents: 45_000 })).chargeCents).toBe(45_000);
  });

  it('refuses a lower amount, naming the first invoice that would not be paid in full', () => {
    expect(quote({ amountCents: 12_000 })).toEqual({
      ok: false,
      code: 'PARTIAL_PAYMENT_NOT_ALLOWED',
      message: 'Invoice INV-1009 would be paid in part; partial payments are not allowed',
      invoiceNumber: 'INV-1009',
    });
  });

  it('says an invoice would not be paid when the amount runs out just before it', () => {
    const r = quote({ amountCents: 15_000 });
    expect(r).toMatchObject({ ok: false, code: 'PARTIAL_PAYMENT_NOT_ALLOWED', invoiceNumber: 'INV-1010' });
    expect(!r.ok && r.message).toBe('Invoice INV-1010 would not be paid; partial payments are not allowed');
  });

  it('refuses a higher amount as an overpayment', () => {
    expect(quote({ amountCents: 50_000 })).toEqual({
      ok: false,
      code: 'OVERPAYMENT_NOT_ALLOWED',
      message: 'Payment of $500.00 is more than the $450.00 due on the selected invoices; overpayments are not allowed',
    });
  });

  it('refuses an overpayment even when the policy would keep overpayments as credit', () => {
    const r = quote({ amountCents: 50_000, policy: { exactInvoicePayments: true, overpayment: 'unapplied_credit' } });
    expect(r).toMatchObject({ ok: false, code: 'OVERPAYMENT_NOT_ALLOWED' });
  });

  it('applies credits to the oldest invoice first and charges the rest', () => {
    const q = accepted(quote({ credits: [credit('CM-1', '2026-01-10', 12_000)], selectedCredits: ['CM-1'] }));
    expect(q.lines.map((l) => [l.invoiceNumber, l.creditCents, l.chargeCents])).toEqual([
      ['INV-1008', 10_000, 0],
      ['INV-1009', 2_000, 3_000],
      ['INV-1010', 0, 30_000],
    ]);
    expect(q.lines[0]!.creditParts).toEqual([{ creditNumber: 'CM-1', amountCents: 10_000 }]);
    expect(q.lines[1]!.creditParts).toEqual([{ creditNumber: 'CM-1', amountCents: 2_000 }]);
    expect(q).toMatchObject({
      totalCreditCents: 12_000,
      chargeCents: 33_000,
      creditsUsed: [{ creditNumber: 'CM-1', amountCents: 12_000 }],
      creditsLeft: [],
    });
  });

  it('uses the oldest credit first, by issue date then credit number', () => {
    const credits = [credit('CM-10', '2026-01-05', 4_000), credit('CM-9', '2026-01-05', 3_000), credit('CM-1', '2026-02-01', 5_000)];
    const q = accepted(
      quote({ selection: ['INV-1008'], credits, selectedCredits: ['CM-1', 'CM-10', 'CM-9'] }),
    );
    expect(q.lines[0]!.creditParts).toEqual([
      { creditNumber: 'CM-9', amountCents: 3_000 },
      { creditNumber: 'CM-10', amountCents: 4_000 },
      { creditNumber: 'CM-1', amountCents: 3_000 },
    ]);
    expect(q.chargeCents).toBe(0);
    expect(q.creditsLeft).toEqual([{ creditNumber: 'CM-1', remainingCents: 2_000 }]);
  });

  it('spends a small credit in full on part of an invoice and charges the rest of it', () => {
    const q = accepted(quote({ selection: ['INV-1010'], credits: [credit('CM-1', '2026-01-01', 2_500)], selectedCredits: ['CM-1'] }));
    expect(q.lines[0]).toMatchObject({ creditCents: 2_500, chargeCents: 27_500, remainingCents: 0 });
    expect(q.creditsLeft).toEqual([]);
  });

  it('spends part of a large credit to pay an invoice in full and keeps the rest available', () => {
    const q = accepted(quote({ selection: ['INV-1009'], credits: [credit('CM-1', '2026-01-01', 8_000)], selectedCredits: ['CM-1'] }));
    expect(q.lines[0]).toMatchObject({ creditCents: 5_000, chargeCents: 0, remainingCents: 0 });
    expect(q).toMatchObject({
      chargeCents: 0,
      creditsUsed: [{ creditNumber: 'CM-1', amountCents: 5_000 }],
      creditsLeft: [{ creditNumber: 'CM-1', remainingCents: 3_000 }],
    });
  });

  it('keeps selected credits that nothing needs in creditsLeft, without refusing', () => {
    const credits = [credit('CM-1', '2026-01-01', 5_000), credit('CM-2', '2026-01-02', 700)];
    const q = accepted(quote({ selection: ['INV-1009'], credits, selectedCredits: ['CM-1', 'CM-2'] }));
    expect(q.creditsUsed).toEqual([{ creditNumber: 'CM-1', amountCents: 5_000 }]);
    expect(q.creditsLeft).toEqual([{ creditNumber: 'CM-2', remainingCents: 700 }]);
  });

  it('ignores the customer’s credits the clerk did not select', () => {
    const q = accepted(quote({ credits: [credit('CM-1', '2026-01-01', 5_000)], selectedCredits: [] }));
    expect(q).toMatchObject({ totalCreditCents: 0, chargeCents: 45_000, creditsLeft: [] });
  });

  it('measures an amount against what is due after credits', () => {
    const credits = [credit('CM-1', '2026-01-01', 5_000)];
    expect(accepted(quote({ credits, selectedCredits: ['CM-1'], amountCents: 40_000 })).chargeCents).toBe(40_000);
    expect(quote({ credits, selectedCredits: ['CM-1'], amountCents: 45_000 })).toMatchObject({
      ok: false,
      code: 'OVERPAYMENT_NOT_ALLOWED',
      message: 'Payment of $450.00 is more than the $400.00 due on the selected invoices after credits; overpayments are not allowed',
    });
  });
});

describe('computeQuote with partial payments allowed', () => {
  it('requires the amount to charge', () => {
    expect(quote({ policy: PARTIAL_REFUSE })).toMatchObject({ ok: false, code: 'AMOUNT_REQUIRED' });
  });

  it('applies the amount oldest first and leaves the last invoice reached partly paid', () => {
    const q = accepted(quote({ policy: PARTIAL_REFUSE, amountCents: 20_000 }));
    expect(q.lines.map((l) => [l.invoiceNumber, l.chargeCents, l.remainingCents])).toEqual([
      ['INV-1008', 10_000, 0],
      ['INV-1009', 5_000, 0],
      ['INV-1010', 5_000, 25_000],
    ]);
    expect(q).toMatchObject({ chargeCents: 20_000, unappliedCents: 0 });
  });

  it('applies credits before the card', () => {
    const q = accepted(
      quote({ policy: PARTIAL_REFUSE, amountCents: 10_000, credits: [credit('CM-1', '2026-01-01', 12_000)], selectedCredits: ['CM-1'] }),
    );
    expect(q.lines.map((l) => [l.creditCents, l.chargeCents, l.remainingCents])).toEqual([
      [10_000, 0, 0],
      [2_000, 3_000, 0],
      [0, 7_000, 23_000],
    ]);
  });

  it('refuses when a selected invoice would receive nothing, naming it', () => {
    expect(quote({ policy: PARTIAL_REFUSE, amountCents: 15_000 })).toEqual({
      ok: false,
      code: 'INVOICE_RECEIVES_NOTHING',
      message: 'Invoice INV-1010 would receive nothing from this payment; raise the amount or leave the invoice out',
      invoiceNumber: 'INV-1010',
    });
  });

  it('refuses an amount of zero when nothing else pays the invoices', () => {
    expect(quote({ policy: PARTIAL_REFUSE, amountCents: 0 })).toMatchObject({ code: 'INVOICE_RECEIVES_NOTHING', invoiceNumber: 'INV-1008' });
  });

  it('accepts an amount of zero when credits reach every invoice', () => {
    const q = accepted(
      quote({ policy: PARTIAL_REFUSE, amountCents: 0, selection: ['INV-1009'], credits: [credit('CM-1', '2026-01-01', 1_000)], selectedCredits: ['CM-1'] }),
    );
    expect(q.lines[0]).toMatchObject({ creditCents: 1_000, chargeCents: 0, remainingCents: 4_000 });
  });

  it('refuses an amount above what is due when overpayments are refused', () => {
    expect(quote({ policy: PARTIAL_REFUSE, amountCents: 45_001 })).toEqual({
      ok: false,
      code: 'OVERPAYMENT_NOT_ALLOWED',
      message: 'Payment of $450.01 is more than the $450.00 due on the selected invoices; overpayments are not allowed',
    });
  });

  it('keeps an amount above what is due as unapplied credit when the policy says so', () => {
    const q = accepted(quote({ policy: PARTIAL_KEEP, amountCents: 50_000 }));
    expect(q).toMatchObject({ chargeCents: 50_000, unappliedCents: 5_000, totalOpenCents: 45_000 });
    expect(q.lines.every((l) => l.remainingCents === 0)).toBe(true);
  });

  it('accepts the exact amount due, like exact mode', () => {
    const q = accepted(quote({ policy: PARTIAL_REFUSE, amountCents: 45_000 }));
    expect(q).toMatchObject({ chargeCents: 45_000, unappliedCents: 0 });
  });
});

describe('computeQuote refusals', () => {
  it.each([
    ['an empty selection', { selection: [] }, 'NOTHING_SELECTED', 'Select at least one invoice to pay'],
    ['Pay All with nothing open', { openInvoices: [] }, 'NOTHING_SELECTED', 'The customer has no open invoices to pay'],
    [
      'Pay All when every open invoice is disputed',
      { openInvoices: [inv('INV-1', '2026-01-01', 100, { disputed: true })] },
      'NOTHING_SELECTED',
      'Every open invoice of the customer is disputed; select the invoices to pay by hand',
    ],
    [
      'an unknown invoice',
      { selection: ['INV-1008', 'INV-4040'] },
      'INVOICE_NOT_OPEN',
      'Invoice INV-4040 is not an open invoice of this customer',
    ],
    [
      'an invoice with nothing open',
      { openInvoices: [...INVOICES, inv('INV-1', '2026-01-01', 0)], selection: ['INV-1'] },
      'INVOICE_NOT_OPEN',
      'Invoice INV-1 is not an open invoice of this customer',
    ],
    ['a duplicate invoice', { selection: ['INV-1008', 'INV-1008'] }, 'DUPLICATE_INVOICE', 'Invoice INV-1008 is selected more than once'],
    [
      'an unknown credit',
      { credits: [credit('CM-1', '2026-01-01', 100)], selectedCredits: ['CM-2'] },
      'CREDIT_NOT_AVAILABLE',
      'Credit CM-2 is not an available credit of this customer',
    ],
    [
      'a used-up credit',
      { credits: [credit('CM-1', '2026-01-01', 0)], selectedCredits: ['CM-1'] },
      'CREDIT_NOT_AVAILABLE',
      'Credit CM-1 has been used up',
    ],
    [
      'a duplicate credit',
      { credits: [credit('CM-1', '2026-01-01', 100)], selectedCredits: ['CM-1', 'CM-1'] },
      'DUPLICATE_CREDIT',
      'Credit CM-1 is selected more than once',
    ],
    ['a negative amount', { amountCents: -1 }, 'INVALID_AMOUNT', 'The amount must be a whole, non-negative number of cents, got -1'],
    ['a fractional amount', { amountCents: 100.5 }, 'INVALID_AMOUNT', 'The amount must be a whole, non-negative number of cents, got 100.5'],
    ['an amount that is not a number', { amountCents: Number.NaN }, 'INVALID_AMOUNT', 'The amount must be a whole, non-negative number of cents, got NaN'],
  ] as [string, Partial<QuoteInput>, string, string][])('refuses %s', (_what, overrides, code, message) => {
    const r = quote(overrides);
    expect(r.ok).toBe(false);
    expect(r).toMatchObject({ code, message });
  });

  it('names the invoice or credit a refusal is about', () => {
    expect(quote({ selection: ['INV-4040'] })).toMatchObject({ invoiceNumber: 'INV-4040' });
    expect(quote({ credits: [], selectedCredits: ['CM-7'] })).toMatchObject({ creditNumber: 'CM-7' });
  });

  it('throws on ledger rows that cannot be right, since those are bugs and not clerk mistakes', () => {
    expect(() => quote({ openInvoices: [inv('INV-1', '2026-02-30', 100)] })).toThrow('due date of invoice INV-1');
    expect(() => quote({ openInvoices: [inv('INV-1', '2026-02-01', -100)] })).toThrow('open amount of invoice INV-1');
    expect(() => quote({ openInvoices: [inv('INV-1', '2026-02-01', 1), inv('INV-1', '2026-02-02', 2)] })).toThrow('listed twice');
    expect(() => quote({ credits: [credit('CM-1', '2026-01-01', 1.5)] })).toThrow('credit CM-1');
    expect(() => quote({ policy: { exactInvoicePayments: true, overpayment: 'maybe' as 'refuse' } })).toThrow('payment policy');
  });

  it('does not change its input', () => {
    const input: QuoteInput = {
      openInvoices: INVOICES.map((i) => ({ ...i })),
      selection: ['INV-1010', 'INV-1008'],
      credits: [credit('CM-1', '2026-01-01', 12_000)],
      selectedCredits: ['CM-1'],
      policy: EXACT,
    };
    const before = structuredClone(input);
    computeQuote(input);
    expect(input).toEqual(before);
  });
});

// ----------------------------------------------------------------------------------------------
// Credit application: examples

describe('computeCreditApplication', () => {
  const base = { openInvoices: INVOICES, selection: ['INV-1008', 'INV-1009'] as string[], policy: EXACT };

  it('settles the selected invoices from credits alone, charging nothing', () => {
    const r = accepted(
      computeCreditApplication({ ...base, credits: [credit('CM-1', '2026-01-01', 20_000)], selectedCredits: ['CM-1'] }),
    );
    expect(r.lines.map((l) => [l.invoiceNumber, l.creditCents, l.chargeCents, l.remainingCents])).toEqual([
      ['INV-1008', 10_000, 0, 0],
      ['INV-1009', 5_000, 0, 0],
    ]);
    expect(r).toMatchObject({ chargeCents: 0, unappliedCents: 0, totalCreditCents: 15_000 });
    expect(r.creditsLeft).toEqual([{ creditNumber: 'CM-1', remainingCents: 5_000 }]);
  });

  it('refuses under exact payments when the credits fall short, naming the invoice paid in part', () => {
    const r = computeCreditApplication({ ...base, credits: [credit('CM-1', '2026-01-01', 12_000)], selectedCredits: ['CM-1'] });
    expect(r).toEqual({
      ok: false,
      code: 'PARTIAL_PAYMENT_NOT_ALLOWED',
      message: 'Invoice INV-1009 would be paid in part by the selected credits; partial payments are not allowed',
      invoiceNumber: 'INV-1009',
    });
  });

  it('refuses under exact payments when the credits run out before an invoice', () => {
    const r = computeCreditApplication({ ...base, credits: [credit('CM-1', '2026-01-01', 10_000)], selectedCredits: ['CM-1'] });
    expect(r).toMatchObject({
      code: 'PARTIAL_PAYMENT_NOT_ALLOWED',
      message: 'Invoice INV-1009 would not be paid by the selected credits; partial payments are not allowed',
    });
  });

  it('pays the last invoice reached in part when partial payments are allowed', () => {
    const r = accepted(
      computeCreditApplication({ ...base, policy: PARTIAL_REFUSE, credits: [credit('CM-1', '2026-01-01', 12_000)], selectedCredits: ['CM-1'] }),
    );
    expect(r.lines.map((l) => l.remainingCents)).toEqual([0, 3_000]);
    expect(r.creditsLeft).toEqual([]);
  });

  it('refuses an invoice the credits would not reach even when partial payments are allowed', () => {
    const r = computeCreditApplication({ ...base, policy: PARTIAL_REFUSE, credits: [credit('CM-1', '2026-01-01', 10_000)], selectedCredits: ['CM-1'] });
    expect(r).toEqual({
      ok: false,
      code: 'INVOICE_RECEIVES_NOTHING',
      message: 'Invoice INV-1009 would receive nothing from the selected credits; leave it out or select more credits',
      invoiceNumber: 'INV-1009',
    });
  });

  it('refuses when no credit is selected', () => {
    expect(computeCreditApplication({ ...base, credits: [credit('CM-1', '2026-01-01', 1)], selectedCredits: [] })).toMatchObject({
      ok: false,
      code: 'NO_CREDIT_SELECTED',
    });
  });

  it('refuses the same selection mistakes as a quote', () => {
    expect(computeCreditApplication({ ...base, selection: [], credits: [], selectedCredits: [] })).toMatchObject({ code: 'NOTHING_SELECTED' });
    expect(computeCreditApplication({ ...base, credits: [], selectedCredits: ['CM-1'] })).toMatchObject({ code: 'CREDIT_NOT_AVAILABLE' });
  });
});

// ----------------------------------------------------------------------------------------------
// Properties

const numbered = (prefix: string, max: number) => fc.integer({ min: 1, max }).map((n) => `${prefix}-${n}`);
// A narrow range of dates so equal due and issue dates, and so the tie-breaks, come up often.
const day = fc.integer({ min: 0, max: 40 }).map((n) => `2026-01-${String(1 + (n % 28)).padStart(2, '0')}`);

const invoicesArb = fc
  .uniqueArray(numbered('INV', 1200), { minLength: 0, maxLength: 8 })
  .chain((numbers) =>
    fc.tuple(
      ...numbers.map((invoiceNumber) =>
        fc.record({
          invoiceNumber: fc.constant(invoiceNumber),
          issueDate: day,
          dueDate: day,
          // Mostly open; now and then an invoice with nothing open that the repo should not have sent.
          openCents: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 60_000 }) }, { weight: 1, arbitrary: fc.constant(0) }),
          disputed: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
        }),
      ),
    ),
  );

const creditsArb = fc.uniqueArray(numbered('CM', 30), { minLength: 0, maxLength: 5 }).chain((numbers) =>
  fc.tuple(
    ...numbers.map((creditNumber) =>
      fc.record({
        creditNumber: fc.constant(creditNumber),
        issueDate: day,
        remainingCents: fc.integer({ min: 1, max: 40_000 }),
      }),
    ),
  ),
);

const policyArb = fc.record({
  exactInvoicePayments: fc.boolean(),
  overpayment: fc.constantFrom<'refuse' | 'unapplied_credit'>('refuse', 'unapplied_credit'),
});

const quoteInputArb: fc.Arbitrary<QuoteInput> = fc
  .tuple(invoicesArb, creditsArb, policyArb)
  .chain(([openInvoices, credits, policy]) =>
    fc.record({
      openInvoices: fc.constant(openInvoices as OpenInvoice[]),
      selection: fc.oneof(
        fc.constant<'all'>('all'),
        fc.shuffledSubarray(openInvoices.map((i) => i.invoiceNumber)),
      ),
      credits: fc.constant(credits as AvailableCredit[]),
      selectedCredits: fc.shuffledSubarray(credits.map((c) => c.creditNumber)),
      policy: fc.constant(policy),
      amountCents: fc.option(fc.integer({ min: 0, max: 400_000 }), { nil: undefined }),
    }),
  );

/** The invoices a selection means, or null when it should be refused. */
function selectedInvoices(input: QuoteInput): OpenInvoice[] | null {
  const open = input.openInvoices.filter((i) => i.openCents > 0);
  const chosen =
    input.selection === 'all'
      ? open.filter((i) => !i.disputed)
      : input.selection.map((n) => open.find((i) => i.invoiceNumber === n));
  if (chosen.length === 0 || chosen.some((i) => i === undefined)) return null;
  return byKey(chosen as OpenInvoice[], (i) => `${i.dueDate} ${i.issueDate} ${numberPart(i.invoiceNumber)}`);
}

/**
 * Oldest first written out by hand, not with the sort under test: one text key per item (dates,
 * then the number zero-padded), in plain string order. The generated numbers are PREFIX-n, n < 10,000.
 */
function numberPart(documentNumber: string): string {
  return documentNumber.split('-')[1]!.padStart(4, '0');
}
function byKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, k: key(item) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.item);
}

function sumOf(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** What must hold of any accepted quote or credit application. */
function checkAccepted(input: QuoteInput, q: QuoteAccepted): void {
  const expected = selectedInvoices(input);
  expect(expected).not.toBeNull();
  expect(q.lines.map((l) => l.invoiceNumber)).toEqual(expected!.map((i) => i.invoiceNumber));

  // Oldest first, checked against the fields rather than the sort function.
  for (let i = 1; i < q.lines.length; i++) {
    const a = q.lines[i - 1]!;
    const b = q.lines[i]!;
    expect(a.dueDate <= b.dueDate).toBe(true);
    if (a.dueDate === b.dueDate) {
      expect(a.issueDate <= b.issueDate).toBe(true);
      if (a.issueDate === b.issueDate) expect(Number(a.invoiceNumber.slice(4)) < Number(b.invoiceNumber.slice(4))).toBe(true);
    }
  }

  // No negative or fractional cents, no invoice paid beyond what is open.
  for (const l of q.lines) {
    for (const v of [l.creditCents, l.chargeCents, l.remainingCents, ...l.creditParts.map((p) => p.amountCents)]) {
      expect(Number.isInteger(v) && v >= 0).toBe(true);
    }
    expect(l.creditCents + l.chargeCents + l.remainingCents).toBe(l.openCents);
    expect(sumOf(l.creditParts.map((p) => p.amountCents))).toBe(l.creditCents);
    expect(l.creditParts.every((p) => p.amountCents > 0)).toBe(true);
  }
  expect(q.totalOpenCents).toBe(sumOf(q.lines.map((l) => l.openCents)));
  expect(q.totalCreditCents).toBe(sumOf(q.lines.map((l) => l.creditCents)));
  expect(q.unappliedCents >= 0 && Number.isInteger(q.unappliedCents)).toBe(true);
  expect(q.chargeCents).toBe(sumOf(q.lines.map((l) => l.chargeCents)) + q.unappliedCents);

  // Credits: each selected credit is split between used and left, never over-used.
  const selected = input.selectedCredits.map((n) => input.credits.find((c) => c.creditNumber === n)!);
  const usedOnLines = new Map<string, number>();
  for (const l of q.lines) for (const p of l.creditParts) usedOnLines.set(p.creditNumber, (usedOnLines.get(p.creditNumber) ?? 0) + p.amountCents);
  for (const c of selected) {
    const used = q.creditsUsed.find((u) => u.creditNumber === c.creditNumber)?.amountCents ?? 0;
    const left = q.creditsLeft.find((u) => u.creditNumber === c.creditNumber)?.remainingCents ?? 0;
    expect(used + left).toBe(c.remainingCents);
    expect(usedOnLines.get(c.creditNumber) ?? 0).toBe(used);
  }
  const reported = [...q.creditsUsed.map((c) => c.creditNumber), ...q.creditsLeft.map((c) => c.creditNumber)];
  expect(reported.every((n) => input.selectedCredits.includes(n))).toBe(true);
  // Credits cover everything they can: total = min(what is open, what the credits hold).
  expect(q.totalCreditCents).toBe(Math.min(q.totalOpenCents, sumOf(selected.map((c) => c.remainingCents))));

  // Oldest first for credits: a credit is drawn on only when every older one is used up.
  const creditOrder = byKey(selected, (c) => `${c.issueDate} ${numberPart(c.creditNumber)}`);
  creditOrder.forEach((c, k) => {
    if (usedOnLines.has(c.creditNumber)) {
      for (const older of creditOrder.slice(0, k)) expect(q.creditsLeft.some((l) => l.creditNumber === older.creditNumber)).toBe(false);
    }
  });
  // ...and invoices: a later invoice gets credit or charge only when every earlier one is settled.
  q.lines.forEach((l, j) => {
    if (l.creditCents > 0) for (const e of q.lines.slice(0, j)) expect(e.creditCents).toBe(e.openCents);
    if (l.chargeCents > 0) for (const e of q.lines.slice(0, j)) expect(e.remainingCents).toBe(0);
  });
}

describe('computeQuote properties', () => {
  it('balances every accepted quote: lines oldest first, nothing overpaid, no credit over-used', () => {
    fc.assert(
      fc.property(quoteInputArb, (input) => {
        const r = computeQuote(input);
        if (r.ok) checkAccepted(input, r);
        else expect(r.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });

  it('under exact payments charges exactly what credits leave due, and refuses only a wrong amount or selection', () => {
    // The amount is left out, right, or off by some cents either way, so every branch is common.
    const offBy = fc.oneof(fc.constant(null), fc.constant(0), fc.integer({ min: -50_000, max: 50_000 }));
    fc.assert(
      fc.property(quoteInputArb, offBy, (generated, delta) => {
        const invoices = selectedInvoices(generated);
        const totalOpen = sumOf((invoices ?? []).map((i) => i.openCents));
        const credits = sumOf(generated.selectedCredits.map((n) => generated.credits.find((c) => c.creditNumber === n)!.remainingCents));
        const due = totalOpen - Math.min(totalOpen, credits);
        const amountCents = delta === null ? undefined : Math.max(0, due + delta);
        const r = computeQuote({ ...generated, policy: EXACT, amountCents });
        if (invoices === null) {
          expect(r).toMatchObject({ ok: false });
          return;
        }
        if (amountCents === undefined || amountCents === due) {
          const q = accepted(r);
          expect(q.chargeCents + q.totalCreditCents).toBe(totalOpen);
          expect(q.chargeCents).toBe(due);
          expect(q.unappliedCents).toBe(0);
          expect(q.lines.every((l) => l.remainingCents === 0)).toBe(true);
        } else {
          expect(r).toMatchObject({
            ok: false,
            code: amountCents < due ? 'PARTIAL_PAYMENT_NOT_ALLOWED' : 'OVERPAYMENT_NOT_ALLOWED',
          });
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('with partial payments allowed, accepts exactly when every invoice is reached and any excess may be kept', () => {
    fc.assert(
      fc.property(quoteInputArb, fc.integer({ min: 0, max: 200_000 }), (generated, amountCents) => {
        const input = { ...generated, amountCents, policy: { ...generated.policy, exactInvoicePayments: false } };
        const r = computeQuote(input);
        const invoices = selectedInvoices(input);
        if (invoices === null) {
          expect(r).toMatchObject({ ok: false });
          return;
        }
        const credits = sumOf(input.selectedCredits.map((n) => input.credits.find((c) => c.creditNumber === n)!.remainingCents));
        const totalOpen = sumOf(invoices.map((i) => i.openCents));
        const openBeforeLast = totalOpen - invoices[invoices.length - 1]!.openCents;
        const reachesAll = openBeforeLast < credits + amountCents;
        const excess = Math.max(0, amountCents - (totalOpen - Math.min(totalOpen, credits)));
        const expectOk = reachesAll && (excess === 0 || input.policy.overpayment === 'unapplied_credit');
        expect(r.ok).toBe(expectOk);
        if (r.ok) {
          expect(r.chargeCents).toBe(amountCents);
          expect(r.unappliedCents).toBe(excess);
          expect(r.lines.every((l) => l.creditCents + l.chargeCents > 0)).toBe(true);
        } else if (!reachesAll) {
          expect(r.code).toBe('INVOICE_RECEIVES_NOTHING');
        } else {
          expect(r.code).toBe('OVERPAYMENT_NOT_ALLOWED');
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('computeCreditApplication properties', () => {
  it('balances, charges nothing, and refuses exactly when the credits cannot settle the selection', () => {
    fc.assert(
      fc.property(quoteInputArb, (generated) => {
        const { amountCents: _ignored, ...input } = generated;
        const r = computeCreditApplication(input);
        const invoices = selectedInvoices(generated);
        if (invoices === null || input.selectedCredits.length === 0) {
          expect(r).toMatchObject({ ok: false });
          return;
        }
        const credits = sumOf(input.selectedCredits.map((n) => input.credits.find((c) => c.creditNumber === n)!.remainingCents));
        const totalOpen = sumOf(invoices.map((i) => i.openCents));
        const openBeforeLast = totalOpen - invoices[invoices.length - 1]!.openCents;
        const expectOk = input.policy.exactInvoicePayments ? credits >= totalOpen : openBeforeLast < credits;
        expect(r.ok).toBe(expectOk);
        if (r.ok) {
          checkAccepted(generated, r);
          expect(r.chargeCents).toBe(0);
          expect(r.unappliedCents).toBe(0);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
