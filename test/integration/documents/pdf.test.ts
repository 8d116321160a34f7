import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import {
  buildDocumentScene,
  insertCustomer,
  insertInvoice,
  keepPdf,
  pdfPages,
  pdfText,
  renderPng,
} from '../../helpers/documents-fixtures';
import { addDays } from '../../../src/shared/dates';
import { openInvoicesFor, creditsFor } from '../../../src/main/ledger/balances.repo';
import { seedDemoLedger } from '../../../src/main/demo/seed';
import { createAgingService } from '../../../src/main/ledger/aging.service';
import { memorySettingsStore } from '../../../src/main/settings/settings.store';

/** Collapses runs of spaces so assertions do not depend on pdftotext's column layout. */
const flat = (s: string) => s.replace(/[ \t]+/g, ' ');

let rt: TestRuntime;
let scene: Awaited<ReturnType<typeof buildDocumentScene>>;

beforeAll(async () => {
  rt = await openTestRuntime({ now: '2026-11-20T23:00:00Z' });
  scene = await buildDocumentScene(rt.ledger.db);
});
afterAll(async () => {
  await rt.dispose();
});

describe('payment confirmation PDF', () => {
  it('shows the letterhead, customer, time in the office zone, method, each invoice with card and credit amounts, credits left and the new balance', async () => {
    const doc = await rt.core.documents.build({ kind: 'confirmation', paymentId: scene.payments.paid });
    const file = keepPdf('confirmation-captured', doc.bytes);
    renderPng(file);
    const text = flat(pdfText(file));
    expect(doc.pageCount).toBe(1);
    for (const expected of [
      'Northwind Services LLC',
      '100 Harbor Way, Suite 400',
      '(503) 555-0100',
      'billing@northwind.example',
      'PAYMENT CONFIRMATION',
      'Harbor Lane Dental LLC',
      'Customer number CL1042',
      '1200 SE Morrison St',
      'Suite 210',
      'Portland, OR 97214',
      'K7QX4M2P',
      'Date 11/20/2026',
      'Time 10:00 AM EST',
      'Method Visa ending 4242',
      'Amount charged $379.00',
      'Clerk Dana Whitfield',
      'Invoices paid',
      'Invoice INV-1001 $227.00 $0.00 $227.00',
      'Invoice INV-1002 $152.00 $75.00 $227.00',
      'Credit CM-2001 $75.00',
      'Total $379.00 $75.00 $454.00',
      'Credit CM-2001: $75.00 used, $0.00 left',
      'Credits applied $75.00',
      'Credits left on account $0.00',
      // 22700 (INV-1003) + 34117 (INV-1004) + 22700 (INV-1005)
      'New open balance $795.17',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toMatch(/declined|voided/i);
  });

  it('says DECLINED with the reason for a declined payment and never says paid', async () => {
    const doc = await rt.core.documents.build({ kind: 'confirmation', paymentId: scene.payments.declined });
    const file = keepPdf('confirmation-declined', doc.bytes);
    renderPng(file);
    const text = flat(pdfText(file));
    expect(text).toContain('PAYMENT DECLINED');
    expect(text).toContain('DECLINED. This payment was declined and nothing was charged. Reason:');
    expect(text).toContain('Insufficient funds');
    expect(text).toContain('Method Mastercard ending 4444');
    expect(text).toContain('Amount declined $227.00');
    expect(text).toContain('Open balance (unchanged) $795.17');
    expect(text).not.toMatch(/paid/i);
    expect(text).not.toContain('CONFIRMATION NUMBER');
  });

  it('says VOIDED for a voided payment, with when and why, the reopened balance, and never says paid', async () => {
    const doc = await rt.core.documents.build({ kind: 'confirmation', paymentId: scene.payments.voided });
    const file = keepPdf('confirmation-voided', doc.bytes);
    renderPng(file);
    const text = flat(pdfText(file));
    expect(text).toContain('PAYMENT VOIDED');
    expect(text).toContain('VOIDED. This payment was voided on 11/20/2026 at 12:30 PM EST');
    expect(text).toContain('V9VOID23');
    expect(text).toContain('Amount voided $227.00');
    expect(text).toContain('Invoice INV-1003 $227.00 $0.00 $227.00');
    expect(text).toContain('Open balance after the void $795.17');
    expect(text).toContain('Voided $227.00 on 11/20/2026 at 12:30 PM EST by Dana Whitfield: Customer asked to pay by check instead');
    expect(text).not.toMatch(/paid/i);
  });

  it('rebuilds the same bytes later, even after other money moved, with the record time as the PDF date', async () => {
    const first = await rt.core.documents.build({ kind: 'confirmation', paymentId: scene.payments.paid });
    // Later activity on the account: a new invoice does not change a reprint of this confirmation.
    await insertInvoice(rt.ledger.db, {
      customerId: scene.customers.cl,
      number: 'INV-1099',
      issueDate: '2026-11-25',
      dueDate: '2026-12-25',
      lines: [{ description: 'Later work', unitPriceCents: 5000 }],
      createdAt: '2026-11-25T12:00:00.000Z',
    });
    rt.clock.advance(86_400_000 * 30);
    const again = await rt.core.documents.build({ kind: 'confirmation', paymentId: scene.payments.paid });
    expect(Buffer.from(again.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    const file = keepPdf('confirmation-reprint', again.bytes);
    const info = execFileSync('/usr/bin/pdfinfo', ['-isodates', file], { encoding: 'utf8' });
    expect(info).toMatch(/CreationDate:\s+2026-11-20T15:00:00/);
    expect(info).toMatch(/ModDate:\s+2026-11-20T15:00:00/);
    expect(info).toMatch(/Producer:\s+AR Desk/);
    expect(flat(pdfText(file))).toContain('New open balance $795.17');
  });
});

describe('customer statements PDF', () => {
  it('shows open invoices, aging buckets, past due and balance due as of a date, to the cent', async () => {
    const doc = await rt.core.documents.build({ kind: 'statement', customerNumber: 'CL1042', asOf: '2026-11-20' });
    const file = keepPdf('statement-CL1042', doc.bytes);
    renderPng(file);
    const text = flat(pdfText(file));
    for (const expected of [
      'STATEMENT',
      'Statement date 11/20/2026',
      'Customer number CL1042',
      'Attn: Maria Okafor',
      'INV-1003 09/01/2026 10/01/2026 $227.00 $227.00 50',
      'INV-1004 10/01/2026 10/31/2026 $341.17 $341.17 20',
      'INV-1005 11/01/2026 12/01/2026 $227.00 $227.00 Current',
      'Total open invoices $795.17',
      'Past due $568.17',
      'Balance due $795.17',
      'HOW TO PAY',
    ]) {
      expect(text).toContain(expected);
    }
    // the aging strip: current, 1-30, 31-60, 61-90, over 90, total
    expect(text).toMatch(/\$227\.00 \$341\.17 \$227\.00 \$0\.00 \$0\.00 \$795\.17/);
    expect(text).not.toContain('INV-1001');
  });

  it('shows an earlier date as it stood then: paid invoices open again, credits unused', async () => {
    const doc = await rt.core.documents.build({ kind: 'statement', customerNumber: 'CL1042', asOf: '2026-10-20' });
    const text = flat(pdfText(keepPdf('statement-CL1042-2026-10-20', doc.bytes)));
    // INV-1001..1004 were open on 2026-10-20 (INV-1005 not issued yet); CM-2001 was unused
    expect(text).toContain('Total open invoices $1,022.17');
    expect(text).toContain('CM-2001 10/15/2026 Service outage credit $75.00');
    expect(text).toContain('Less unapplied credits -$75.00');
    expect(text).toContain('Balance due $947.17');
    expect(text).not.toContain('INV-1005');
  });

  it('matches the ledger balances for today', async () => {
    const open = (await openInvoicesFor(rt.ledger.db, scene.customers.to)).reduce((s, i) => s + i.openCents, 0);
    const credits = (await creditsFor(rt.ledger.db, scene.customers.to)).reduce((s, c) => s + c.remainingCents, 0);
    const doc = await rt.core.documents.build({ kind: 'statement', customerNumber: 'TO0007', asOf: '2026-11-20' });
    expect(doc.figures.balanceDueCents).toBe(open - credits);
    expect(doc.figures.balanceDueCents).toBe(7900);
    const text = flat(pdfText(keepPdf('statement-TO0007', doc.bytes)));
    expect(text).toContain('Café Rouge');
    expect(text).toContain('CM-2101 11/06/2026 Goodwill credit $10.00');
    expect(text).toContain('Balance due $79.00');
  });

  it('runs a long statement onto more pages with the header repeated and the pages numbered', async () => {
    const big = await insertCustomer(rt.ledger.db, { number: 'BG0100', legalName: 'Big Ledger Holdings LLC' });
    let total = 0;
    for (let i = 0; i < 45; i++) {
      const issue = addDays('2026-03-01', i * 3);
      await insertInvoice(rt.ledger.db, {
        customerId: big,
        number: `BG-${1000 + i}`,
        issueDate: issue,
        dueDate: addDays(issue, 30),
        lines: [{ description: 'Service', unitPriceCents: 1000 + i }],
      });
      total += 1000 + i;
    }
    const doc = await rt.core.documents.build({ kind: 'statement', customerNumber: 'BG0100', asOf: '2026-11-20' });
    const file = keepPdf('statement-multipage', doc.bytes);
    renderPng(file);
    const pages = pdfPages(file).map(flat);
    expect(doc.pageCount).toBe(2);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('BG-1000');
    expect(pages[1]).toContain('Invoice (continued)');
    expect(pages[1]).toContain('Statement for BG0100 as of 11/20/2026 (continued)');
    expect(pages[0]).toContain('Page 1 of 2');
    expect(pages[1]).toContain('Page 2 of 2');
    expect(total).toBe(45990);
    expect(pages[1]).toContain('Balance due $459.90');
    for (let i = 0; i < 45; i++) expect(pages.join('\n')).toContain(`BG-${1000 + i} `);
  });

  it('puts one statement per customer with a balance in a batch, each from a new page, and past-due-only leaves current accounts out', async () => {
    const all = await rt.core.documents.build({ kind: 'statements', asOf: '2026-11-20', pastDueOnly: false });
    const file = keepPdf('statements-batch', all.bytes);
    renderPng(file);
    expect(all.statements?.map((s) => s.customerNumber)).toEqual(['BG0100', 'CL1042', 'TO0007']);
    expect(all.statements?.map((s) => s.firstPage)).toEqual([1, 3, 4]);
    expect(all.pageCount).toBe(4);
    const pages = pdfPages(file).map(flat);
    expect(pages[2]).toContain('Customer number CL1042');
    expect(pages[2]).toContain('Page 1 of 1');
    expect(pages[3]).toContain('Customer number TO0007');
    expect(pages.join('')).not.toContain('AK5521');

    const pastDue = await rt.core.documents.build({ kind: 'statements', asOf: '2026-11-20', pastDueOnly: true });
    expect(pastDue.statements?.map((s) => s.customerNumber)).toEqual(['BG0100', 'CL1042']);
  });
});

describe('statements of a seeded ledger', () => {
  it('has one statement for each customer the aging shows with money open, with the same totals', async () => {
    const seeded = await openTestRuntime({ now: '2026-11-20T20:00:00Z', settings: memorySettingsStore() });
    try {
      await seedDemoLedger(seeded.ledger, { customers: 40, seed: 7, asOf: '2026-11-20' });
      const aging = await createAgingService(seeded.core.deps).report({ asOf: '2026-11-20', basis: 'due' });
      const owing = aging.customers.filter((c) => c.total > 0);
      const started = performance.now();
      const doc = await seeded.core.documents.build({ kind: 'statements', asOf: '2026-11-20', pastDueOnly: false });
      const ms = performance.now() - started;
      const file = keepPdf('statements-seeded', doc.bytes);
      const parts = doc.statements!;
      expect(parts.map((p) => p.customerNumber)).toEqual(owing.map((c) => c.customer_number));
      expect(parts.reduce((s, p) => s + p.balanceDueCents, 0)).toBe(
        owing.reduce((s, c) => s + c.total - c.unapplied_credits_cents, 0),
      );
      expect(doc.pageCount).toBe(parts.reduce((s, p) => s + p.pageCount, 0));
      const pages = pdfPages(file).map(flat);
      expect(pages).toHaveLength(doc.pageCount);
      for (const [i, p] of parts.entries()) {
        const row = owing[i]!;
        const first = pages[p.firstPage - 1]!;
        const last = pages[p.firstPage + p.pageCount - 2]!;
        expect(first).toContain(`Customer number ${row.customer_number}`);
        expect(last).toContain(`Page ${p.pageCount} of ${p.pageCount}`);
        const money = (c: number) => `$${(c / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
        expect(last).toContain(`Total open invoices ${money(row.total)}`);
      }
      expect(ms).toBeLessThan(10_000);
      const ak = await seeded.core.documents.build({ kind: 'statement', customerNumber: 'AK5521', asOf: '2026-11-20' });
      const akText = flat(pdfText(keepPdf('statement-seeded-AK5521', ak.bytes)));
      expect(akText).toContain('(disputed)');
      renderPng(keepPdf('statement-seeded-CL1042', (await seeded.core.documents.build({ kind: 'statement', customerNumber: 'CL1042', asOf: '2026-11-20' })).bytes));
    } finally {
      await seeded.dispose();
    }
  });
});

describe('invoice PDF', () => {
  it('reprints the invoice as issued: lines, tax and total, with the address in the envelope window', async () => {
    const doc = await rt.core.documents.build({ kind: 'invoice', invoiceNumber: 'INV-1004' });
    const file = keepPdf('invoice-INV-1004', doc.bytes);
    renderPng(file);
    const text = flat(pdfText(file));
    for (const expected of [
      'INVOICE',
      'Invoice number INV-1004',
      'Issue date 10/01/2026',
      'Due date 10/31/2026',
      'Professional plan, monthly service 1 $315.17 $315.17 T',
      'Subtotal $315.17',
      'Tax (8.25% on lines marked T) $26.00',
      'Total due $341.17',
      'Harbor Lane Dental LLC',
    ]) {
      expect(text).toContain(expected);
    }
    const again = await rt.core.documents.build({ kind: 'invoice', invoiceNumber: 'INV-1004' });
    expect(Buffer.from(again.bytes).equals(Buffer.from(doc.bytes))).toBe(true);
  });

  it('refuses a document that does not exist with NOT_FOUND', async () => {
    await expect(rt.core.documents.build({ kind: 'invoice', invoiceNumber: 'NOPE-1' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(rt.core.documents.build({ kind: 'confirmation', paymentId: 999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
