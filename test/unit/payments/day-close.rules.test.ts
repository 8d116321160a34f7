import { describe, expect, it } from 'vitest';
import { compareCardDay, type LedgerCardTransaction } from '../../../src/main/payments/day-close.rules';
import type { SettledTransaction } from '../../../src/main/payments/gateway';

const ledger = (kind: LedgerCardTransaction['kind'], transactionId: string | null, brand: string, amountCents: number): LedgerCardTransaction => ({
  kind,
  transactionId,
  brand,
  last4: brand === 'visa' ? '4242' : '4444',
  amountCents,
  confirmationNumber: `C-${transactionId}`,
  customerNumber: 'CL1',
});
const settled = (kind: SettledTransaction['kind'], transactionId: string, brand: string | null, amountCents: number, sourceKind: 'card' | 'bank' = 'card'): SettledTransaction => ({
  kind,
  transactionId,
  parentTransactionId: null,
  sourceKind,
  brand,
  last4: brand === 'visa' ? '4242' : '4444',
  amountCents,
});

describe('comparing a day with the gateway', () => {
  it('matches charges, voids and refunds by transaction and nets each brand', () => {
    const r = compareCardDay(
      [ledger('charge', 'ch_1', 'visa', 10_000), ledger('charge', 'ch_2', 'mastercard', 25_000), ledger('refund', 're_1', 'mastercard', 3_000), ledger('void', 'vd_1', 'visa', 4_000), ledger('charge', 'ch_3', 'visa', 4_000)],
      [settled('charge', 'ch_1', 'visa', 10_000), settled('charge', 'ch_2', 'mastercard', 25_000), settled('refund', 're_1', 'mastercard', 3_000), settled('void', 'vd_1', 'visa', 4_000), settled('charge', 'ch_3', 'visa', 4_000), settled('charge', 'bk_1', null, 7_550, 'bank')],
    );
    expect(r.differences).toEqual([]);
    expect(r.brands).toEqual([
      { brand: 'mastercard', label: 'Mastercard', arDeskCents: 22_000, gatewayCents: 22_000, differenceCents: 0 },
      { brand: 'visa', label: 'Visa', arDeskCents: 10_000, gatewayCents: 10_000, differenceCents: 0 },
    ]);
    expect([r.cardNetCents, r.gatewayCardNetCents]).toEqual([32_000, 32_000]);
  });

  it('lists what only AR Desk has, what only the gateway has, and amounts that differ', () => {
    const r = compareCardDay(
      [ledger('charge', 'ch_1', 'visa', 10_000), ledger('charge', 'ch_2', 'mastercard', 25_000), ledger('refund', 're_1', 'mastercard', 3_000)],
      [settled('charge', 'ch_1', 'visa', 9_999), settled('refund', 're_1', 'mastercard', 3_000), settled('charge', 'ch_9', 'visa', 1_234)],
    );
    expect(r.differences).toEqual([
      { problem: 'amount_differs', kind: 'charge', transactionId: 'ch_1', brand: 'visa', last4: '4242', confirmationNumber: 'C-ch_1', customerNumber: 'CL1', arDeskCents: 10_000, gatewayCents: 9_999 },
      { problem: 'not_at_gateway', kind: 'charge', transactionId: 'ch_2', brand: 'mastercard', last4: '4444', confirmationNumber: 'C-ch_2', customerNumber: 'CL1', arDeskCents: 25_000, gatewayCents: null },
      { problem: 'not_in_ar_desk', kind: 'charge', transactionId: 'ch_9', brand: 'visa', last4: '4242', confirmationNumber: null, customerNumber: null, arDeskCents: null, gatewayCents: 1_234 },
    ]);
    expect(r.brands).toEqual([
      { brand: 'mastercard', label: 'Mastercard', arDeskCents: 22_000, gatewayCents: -3_000, differenceCents: 25_000 },
      { brand: 'visa', label: 'Visa', arDeskCents: 10_000, gatewayCents: 11_233, differenceCents: -1_233 },
    ]);
  });

  it('never matches a refund with a charge that carries the same transaction id', () => {
    const r = compareCardDay([ledger('refund', 'tx_1', 'visa', 500)], [settled('charge', 'tx_1', 'visa', 500)]);
    expect(r.differences.map((d) => [d.problem, d.kind])).toEqual([
      ['not_at_gateway', 'refund'],
      ['not_in_ar_desk', 'charge'],
    ]);
  });
});
