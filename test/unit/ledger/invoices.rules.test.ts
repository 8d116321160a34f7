import { describe, expect, it } from 'vitest';
import { draftInvoice, invoiceStatusFor } from '../../../src/main/ledger/invoices.rules';

const defaults = { businessDate: '2026-11-20', termsDays: 30, taxRateBp: 825, taxExempt: false };

describe('new invoice drafts', () => {
  it('defaults the issue date to the business date and the due date to issue plus terms, across a month end', () => {
    const r = draftInvoice({ lines: [{ description: 'Visit', quantity: 1, unitPriceCents: 100 }] }, { ...defaults, termsDays: 45 });
    expect(r.ok && [r.draft.issueDate, r.draft.dueDate, r.draft.taxRateBp, r.draft.invoiceNumber]).toEqual(['2026-11-20', '2027-01-04', 825, null]);
  });

  it('computes totals with the tax rule and keeps line amounts as quantity times price', () => {
    const r = draftInvoice(
      {
        taxRateBp: 1_000,
        lines: [
          { description: 'A', quantity: 7, unitPriceCents: 333, taxable: true },
          { description: 'B', quantity: 1, unitPriceCents: 5 },
        ],
      },
      defaults,
    );
    if (!r.ok) throw new Error('refused');
    expect(r.draft.lines.map((l) => l.amountCents)).toEqual([2_331, 5]);
    // 2,331 × 10 % = 233.1 -> 233.
    expect([r.draft.totals.subtotalCents, r.draft.totals.taxCents, r.draft.totals.totalCents]).toEqual([2_336, 233, 2_569]);
    const exempt = draftInvoice({ lines: [{ description: 'A', quantity: 1, unitPriceCents: 1_000, taxable: true }] }, { ...defaults, taxExempt: true });
    expect(exempt.ok && exempt.draft.totals.taxCents).toBe(0);
  });

  it('refuses a blank invoice number, a period ending before it starts and an empty line list', () => {
    const r = draftInvoice({ invoiceNumber: ' ', periodStart: '2026-11-10', periodEnd: '2026-11-01', lines: [] }, defaults);
    expect(r).toEqual({
      ok: false,
      problems: {
        invoiceNumber: 'is blank; leave it out to have one generated',
        periodEnd: '2026-11-01 is before the period start 2026-11-10',
        lines: 'an invoice needs at least one line',
      },
    });
  });

  it('derives the cached status: paid when nothing is open, void stays void', () => {
    expect(invoiceStatusFor('open', 1_000, 1_000)).toBe('paid');
    expect(invoiceStatusFor('paid', 1_000, 999)).toBe('open');
    expect(invoiceStatusFor('void', 1_000, 0)).toBe('void');
  });
});
