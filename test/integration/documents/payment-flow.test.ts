import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { keepPdf, pdfText, renderPng } from '../../helpers/documents-fixtures';
import { seedDemoLedger } from '../../../src/main/demo/seed';
import { openInvoicesFor, creditsFor } from '../../../src/main/ledger/balances.repo';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { formatCents } from '../../../src/shared/money';
import { asStaff } from '../../helpers/dispatch';

/**
 * Confirmations of payments taken through the real payment channels on a seeded ledger, so the
 * documents read the rows exactly as the payment workflow writes them.
 */
const flat = (s: string) => s.replace(/[ \t]+/g, ' ');
let rt: TestRuntime;

async function call(channel: string, input: unknown): Promise<never> {
  const res = await dispatch(createDispatcher(rt.core), channel, input, asStaff('dana'));
  if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`);
  return res.data as never;
}

const card = (cardNumber: string) => ({
  type: 'card' as const,
  cardNumber,
  expMonth: 12,
  expYear: 2029,
  cvc: '123',
  nameOnCard: 'Maria Okafor',
  postalCode: '97201',
  save: false,
});

beforeAll(async () => {
  rt = await openTestRuntime({ now: '2026-11-20T15:00:00Z' });
  await seedDemoLedger(rt.ledger, { customers: 20, seed: 7, asOf: '2026-11-20' });
});
afterAll(async () => {
  await rt.dispose();
});

describe('confirmations of payments taken through the payment channels', () => {
  it('match what the payment applied, the credit used and the balance left, to the cent', async () => {
    const customer = (await rt.ledger.db.selectFrom('customers').select('id').where('customer_number', '=', 'CL1042').executeTakeFirstOrThrow()).id;
    const open = await openInvoicesFor(rt.ledger.db, customer);
    const credits = await creditsFor(rt.ledger.db, customer);
    const picked = open.slice(0, 2).map((i) => i.invoiceNumber);
    const creditNumber = credits[0]!.creditNumber;
    const quote: { ok: boolean; chargeCents: number } = await call('payments.quote', {
      customerNumber: 'CL1042',
      invoiceNumbers: picked,
      creditNumbers: [creditNumber],
    });
    expect(quote.ok).toBe(true);
    rt.clock.advance(1000);
    const result: { status: string; paymentId: number; confirmationNumber: string; amountCents: number; applied: { invoiceNumber: string; amountCents: number; source: string }[] } =
      await call('payments.submit', {
        customerNumber: 'CL1042',
        invoiceNumbers: picked,
        creditNumbers: [creditNumber],
        method: card('4242424242424242'),
        confirmedAmountCents: quote.chargeCents,
        idempotencyKey: 'doc-test-approved-0001',
      });
    expect(result.status).toBe('approved');

    const doc = await rt.core.documents.build({ kind: 'confirmation', paymentId: result.paymentId });
    const file = keepPdf('confirmation-real-payment', doc.bytes);
    renderPng(file);
    const text = flat(pdfText(file));
    expect(text).toContain(result.confirmationNumber);
    expect(text).toContain(`Amount charged ${formatCents(result.amountCents)}`);
    expect(text).toContain('Visa ending 4242');
    for (const invoice of picked) {
      const fromCard = result.applied.filter((a) => a.invoiceNumber === invoice && a.source === 'card').reduce((s, a) => s + a.amountCents, 0);
      const fromCredit = result.applied.filter((a) => a.invoiceNumber === invoice && a.source === 'credit').reduce((s, a) => s + a.amountCents, 0);
      expect(text).toContain(`Invoice ${invoice} ${formatCents(fromCard)} ${formatCents(fromCredit)} ${formatCents(fromCard + fromCredit)}`);
    }
    const openAfter = (await openInvoicesFor(rt.ledger.db, customer)).reduce((s, i) => s + i.openCents, 0);
    const creditsAfter = (await creditsFor(rt.ledger.db, customer)).reduce((s, c) => s + c.remainingCents, 0);
    expect(text).toContain(`New open balance ${formatCents(openAfter)}`);
    expect(text).toContain(`Credits left on account ${formatCents(creditsAfter)}`);
    const creditApplied = result.applied.filter((a) => a.source === 'credit').reduce((s, a) => s + a.amountCents, 0);
    expect(creditApplied).toBeGreaterThan(0);
    expect(text).toContain(`Credits applied ${formatCents(creditApplied)}`);
    expect(text).toContain(`Credit ${creditNumber}: ${formatCents(creditApplied)} used, ${formatCents(credits[0]!.remainingCents - creditApplied)} left`);

    // Voided the same day: the reprint says so, and the balance is the one after the void.
    rt.clock.advance(60_000);
    await call('payments.void', { paymentId: result.paymentId, reason: 'Entered on the wrong account' });
    const voided = await rt.core.documents.build({ kind: 'confirmation', paymentId: result.paymentId });
    const voidedText = flat(pdfText(keepPdf('confirmation-real-payment-voided', voided.bytes)));
    expect(voidedText).toContain('PAYMENT VOIDED');
    expect(voidedText).toContain('Entered on the wrong account');
    expect(voidedText).not.toMatch(/paid/i);
    const openAfterVoid = (await openInvoicesFor(rt.ledger.db, customer)).reduce((s, i) => s + i.openCents, 0);
    expect(voidedText).toContain(`Open balance after the void ${formatCents(openAfterVoid)}`);
  });

  it('say DECLINED with the processor reason for a declined card', async () => {
    const customer = (await rt.ledger.db.selectFrom('customers').select('id').where('customer_number', '=', 'TO0007').executeTakeFirstOrThrow()).id;
    const open = await openInvoicesFor(rt.ledger.db, customer);
    const quote: { chargeCents: number } = await call('payments.quote', {
      customerNumber: 'TO0007',
      invoiceNumbers: [open[0]!.invoiceNumber],
      creditNumbers: [],
    });
    const result: { status: string; paymentId: number; message: string } = await call('payments.submit', {
      customerNumber: 'TO0007',
      invoiceNumbers: [open[0]!.invoiceNumber],
      creditNumbers: [],
      method: card('4000000000009995'),
      confirmedAmountCents: quote.chargeCents,
      idempotencyKey: 'doc-test-declined-0001',
    });
    expect(result.status).toBe('declined');
    const doc = await rt.core.documents.build({ kind: 'confirmation', paymentId: result.paymentId });
    const text = flat(pdfText(keepPdf('confirmation-real-declined', doc.bytes)));
    expect(text).toContain('PAYMENT DECLINED');
    expect(text).toContain(`Amount declined ${formatCents(quote.chargeCents)}`);
    expect(text.replace(/\s+/g, ' ')).toContain(result.message.replace(/\s+/g, ' '));
    expect(text).not.toMatch(/paid/i);
  });
});
