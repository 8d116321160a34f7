import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/main/clock';
import type { ChargeRequest } from '../../../src/main/payments/gateway';
import { GatewayTimeoutError, openTestGateway, type TestGateway } from '../../../src/main/payments/test-gateway';
import { CARDS } from '../../helpers/payments-fixtures';
import { tempDir } from '../../helpers/runtime';

const opened: { gateway: TestGateway; dir: string }[] = [];
afterEach(() => {
  for (const { gateway, dir } of opened.splice(0)) {
    gateway.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function open(now = '2026-11-20T15:00:00Z') {
  const dir = tempDir('ar-desk-gw-');
  const clock = fixedClock(now);
  const gateway = openTestGateway({ file: path.join(dir, 'test-gateway.db'), clock });
  opened.push({ gateway, dir });
  return { gateway, clock, dir };
}

let n = 0;
function charge(card: string, more: Partial<ChargeRequest> & { cvc?: string } = {}): ChargeRequest {
  n += 1;
  return {
    source: { card: { number: card, expMonth: 12, expYear: 2030, cvc: more.cvc ?? (card.startsWith('37') ? '1234' : '123') } },
    amountCents: 12_345,
    idempotencyKey: `k-${n}`,
    moto: true,
    billingName: 'Dana Whitfield',
    postalCode: '97201',
    ...more,
  };
}

describe('the built-in test gateway', () => {
  it.each([
    [CARDS.visa, 'approved', null],
    [CARDS.mastercard, 'approved', null],
    [CARDS.amex, 'approved', null],
    [CARDS.avsFail, 'approved', null],
    [CARDS.declined, 'declined', 'card_declined'],
    [CARDS.insufficientFunds, 'declined', 'insufficient_funds'],
    [CARDS.expired, 'declined', 'expired_card'],
    [CARDS.incorrectCvc, 'declined', 'incorrect_cvc'],
    [CARDS.processingError, 'error', null],
    ['4111111111111111', 'declined', 'not_a_test_card'],
  ])('answers card %s with %s %s', async (card, outcome, code) => {
    const { gateway } = open();
    const r = await gateway.charge(charge(card));
    expect(r.outcome).toBe(outcome);
    if (r.outcome === 'declined') {
      expect(r.code).toBe(code);
      expect(r.message.length).toBeGreaterThan(10);
    }
    if (r.outcome === 'error') expect(r.retryable).toBe(true);
    if (r.outcome === 'approved') {
      expect(r.amountCents).toBe(12_345);
      expect(r.avs).toBe(card === CARDS.avsFail ? 'fail' : 'pass');
      expect(r.cvc).toBe('pass');
    }
  });

  it('checks the number, the expiry and the security code length like a processor', async () => {
    const { gateway } = open();
    expect(await gateway.charge(charge('4242424242424241'))).toMatchObject({ outcome: 'declined', code: 'incorrect_number' });
    expect(
      await gateway.charge({ ...charge(CARDS.visa), source: { card: { number: CARDS.visa, expMonth: 10, expYear: 2026, cvc: '123' } } }),
    ).toMatchObject({ outcome: 'declined', code: 'invalid_expiry' });
    expect(await gateway.charge(charge(CARDS.amex, { cvc: '123' }))).toMatchObject({ outcome: 'declined', code: 'invalid_cvc' });
    expect(await gateway.charge(charge(CARDS.visa, { cvc: '1234' }))).toMatchObject({ outcome: 'declined', code: 'invalid_cvc' });
  });

  it('answers the same key with the first outcome and never charges twice', async () => {
    const { gateway } = open();
    const req = charge(CARDS.visa);
    const first = await gateway.charge(req);
    const again = await gateway.charge(req);
    expect(again).toEqual(first);
    expect((await gateway.records()).filter((r) => r.kind === 'charge')).toHaveLength(1);
    const other = await gateway.charge({ ...req, amountCents: 1 });
    expect(other).toEqual({ outcome: 'error', retryable: false, message: expect.stringMatching(/already used/) });
    expect((await gateway.records())).toHaveLength(1);
    expect(await gateway.lookup(req.idempotencyKey)).toMatchObject({ outcome: 'approved', kind: 'charge', amountCents: 12_345 });
    expect(await gateway.lookup('never-sent')).toEqual({ outcome: 'not_found' });
  });

  it('keeps what it recorded across a reopen of its file', async () => {
    const { gateway, dir, clock } = open();
    const req = charge(CARDS.visa);
    const first = await gateway.charge(req);
    gateway.close();
    const reopened = openTestGateway({ file: path.join(dir, 'test-gateway.db'), clock });
    opened.push({ gateway: reopened, dir: tempDir() });
    expect(await reopened.charge(req)).toEqual(first);
    expect(await reopened.records()).toHaveLength(1);
  });

  it('makes tokens that remember the outcome, brand, last four and expiry but not the number', async () => {
    const { gateway, dir } = open();
    const t = await gateway.tokenizeCard({ number: CARDS.insufficientFunds, expMonth: 4, expYear: 2029, cvc: '123' }, { name: 'Dana', postalCode: '97201' });
    expect(t).toMatchObject({ outcome: 'tokenized', kind: 'card', brand: 'visa', last4: '9995', expMonth: 4, expYear: 2029 });
    if (t.outcome !== 'tokenized') throw new Error('no token');
    expect(await gateway.charge({ ...charge(CARDS.visa), source: { token: t.token } })).toMatchObject({
      outcome: 'declined',
      code: 'insufficient_funds',
    });
    const ok = await gateway.tokenizeCard({ number: CARDS.visa, expMonth: 4, expYear: 2029, cvc: '123' }, { name: 'Dana', postalCode: '97201' });
    if (ok.outcome !== 'tokenized') throw new Error('no token');
    expect(await gateway.charge({ ...charge(CARDS.visa), source: { token: ok.token } })).toMatchObject({ outcome: 'approved', cvc: 'unchecked' });
    gateway.close();
    for (const f of fs.readdirSync(dir)) {
      const bytes = fs.readFileSync(path.join(dir, f)).toString('latin1');
      expect(bytes.includes(CARDS.insufficientFunds), f).toBe(false);
      expect(bytes.includes(CARDS.visa), f).toBe(false);
    }
  });

  it('approves and declines the test bank accounts and checks the routing number', async () => {
    const { gateway } = open();
    const bank = (accountNumber: string, routingNumber = '110000000'): ChargeRequest => ({
      ...charge(CARDS.visa),
      source: { bank: { routingNumber, accountNumber, accountType: 'checking' } },
    });
    expect(await gateway.charge(bank('000123456789'))).toMatchObject({ outcome: 'approved', avs: 'unavailable', cvc: 'unavailable' });
    expect(await gateway.charge(bank('000111111113'))).toMatchObject({ outcome: 'declined', code: 'account_closed' });
    expect(await gateway.charge(bank('000123456789', '110000001'))).toMatchObject({ outcome: 'declined', code: 'invalid_routing_number' });
    expect(await gateway.charge(bank('000999999999'))).toMatchObject({ outcome: 'declined', code: 'not_a_test_account' });
  });

  it('follows its fault plan: time out before charging, lose the answer after charging, answer with a server error', async () => {
    const { gateway } = open();
    gateway.planFault({ kind: 'timeout_before_processing' });
    const a = charge(CARDS.visa);
    await expect(gateway.charge(a)).rejects.toBeInstanceOf(GatewayTimeoutError);
    expect(await gateway.lookup(a.idempotencyKey)).toEqual({ outcome: 'not_found' });

    gateway.planFault({ kind: 'answer_lost_after_processing' });
    const b = charge(CARDS.visa);
    await expect(gateway.charge(b)).rejects.toBeInstanceOf(GatewayTimeoutError);
    expect(await gateway.lookup(b.idempotencyKey)).toMatchObject({ outcome: 'approved', amountCents: 12_345 });

    gateway.planFault({ kind: 'server_error' });
    const c = charge(CARDS.visa);
    expect(await gateway.charge(c)).toMatchObject({ outcome: 'error', retryable: true });
    expect(await gateway.lookup(c.idempotencyKey)).toEqual({ outcome: 'not_found' });

    gateway.planFault({ kind: 'server_error', operation: 'lookup', times: 2 });
    expect((await gateway.lookup(b.idempotencyKey)).outcome).toBe('error');
    expect((await gateway.lookup(b.idempotencyKey)).outcome).toBe('error');
    expect((await gateway.lookup(b.idempotencyKey)).outcome).toBe('approved');
    expect((await gateway.records()).map((r) => r.outcome)).toEqual(['approved']);
  });

  it('voids a charge until it settles and refunds no more than is left', async () => {
    const { gateway, clock } = open();
    const a = await gateway.charge(charge(CARDS.visa));
    const b = await gateway.charge(charge(CARDS.visa));
    if (a.outcome !== 'approved' || b.outcome !== 'approved') throw new Error('not approved');
    expect(await gateway.void(a.transactionId, 'v-1')).toMatchObject({ outcome: 'approved', amountCents: 12_345 });
    expect(await gateway.void(a.transactionId, 'v-1')).toMatchObject({ outcome: 'approved' });
    expect(await gateway.void(a.transactionId, 'v-2')).toMatchObject({ outcome: 'declined', code: 'already_voided' });
    expect(await gateway.refund(a.transactionId, 100, 'r-0')).toMatchObject({ outcome: 'declined', code: 'already_voided' });

    expect(await gateway.refund(b.transactionId, 12_000, 'r-1')).toMatchObject({ outcome: 'approved', amountCents: 12_000 });
    expect(await gateway.refund(b.transactionId, 346, 'r-2')).toMatchObject({ outcome: 'declined', code: 'amount_too_large' });
    expect(await gateway.refund(b.transactionId, 345, 'r-3')).toMatchObject({ outcome: 'approved' });
    expect(await gateway.void(b.transactionId, 'v-3')).toMatchObject({ outcome: 'declined', code: 'has_refunds' });

    const c = await gateway.charge(charge(CARDS.visa));
    if (c.outcome !== 'approved') throw new Error('not approved');
    clock.advance(24 * 3600 * 1000);
    expect(await gateway.void(c.transactionId, 'v-4')).toMatchObject({ outcome: 'declined', code: 'already_settled' });
    const d = await gateway.charge(charge(CARDS.visa));
    if (d.outcome !== 'approved') throw new Error('not approved');
    await gateway.settleBatch();
    expect(await gateway.void(d.transactionId, 'v-5')).toMatchObject({ outcome: 'declined', code: 'already_settled' });
    expect(await gateway.refund(d.transactionId, 12_345, 'r-4')).toMatchObject({ outcome: 'approved' });
  });
});
