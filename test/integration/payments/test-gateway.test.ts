import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/main/clock';
import { createDefaultGateway, TEST_GATEWAY_FILE } from '../../../src/main/payments/default-gateway';
import type { ChargeRequest } from '../../../src/main/payments/gateway';
import {
  GatewayTimeoutError,
  openTestGateway,
  TEST_GATEWAY_SCHEMA,
  type TestGateway,
  type TestGatewayPlace,
} from '../../../src/main/payments/test-gateway';
import { adminDatabaseUrl, databaseUrlFor } from '../../helpers/engine';
import { CARDS } from '../../helpers/payments-fixtures';
import { tempDir } from '../../helpers/runtime';

/**
 * The same cases on both homes of the gateway's state: its SQLite file, and (when the test cluster
 * is given by AR_DESK_TEST_DATABASE_URL) its own schema on PostgreSQL, a fresh schema per test in
 * one scratch database for this file. "Two workstations" are two gateways on the same place.
 */

const adminUrl = adminDatabaseUrl();
let scratch: { name: string; url: string } | undefined;

async function asAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (!adminUrl) return;
  const name = `gw_${crypto.randomBytes(6).toString('hex')}`;
  await asAdmin(`CREATE DATABASE ${name}`);
  scratch = { name, url: databaseUrlFor(adminUrl, name) };
});
afterAll(async () => {
  if (scratch) await asAdmin(`DROP DATABASE IF EXISTS ${scratch.name} WITH (FORCE)`);
});

const gateways: TestGateway[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const gateway of gateways.splice(0)) await gateway.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Where one test's gateway keeps its state, and everything stored there as text (to look for card numbers). */
interface Place {
  at: TestGatewayPlace;
  storedText(): Promise<Record<string, string>>;
}

interface StoreUnderTest {
  name: string;
  place(): Place;
}

const sqliteStore: StoreUnderTest = {
  name: 'its SQLite file',
  place() {
    const dir = tempDir('ar-desk-gw-');
    dirs.push(dir);
    return {
      at: { file: path.join(dir, 'test-gateway.db') },
      storedText: async () =>
        Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('latin1')])),
    };
  },
};

const postgresStore: StoreUnderTest = {
  name: 'PostgreSQL',
  place() {
    const schema = `gw_${crypto.randomBytes(6).toString('hex')}`;
    const url = scratch!.url;
    return {
      at: { databaseUrl: url, schema },
      async storedText() {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const text = async (table: string) =>
            (await client.query<{ t: string | null }>(`SELECT string_agg(x::text, E'\\n') AS t FROM ${schema}.${table} x`)).rows[0]?.t ?? '';
          return { tokens: await text('tokens'), requests: await text('requests') };
        } finally {
          await client.end();
        }
      },
    };
  },
};

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

describe.each(adminUrl ? [sqliteStore, postgresStore] : [sqliteStore])('the built-in test gateway on $name', (store) => {
  /** A gateway on a fresh place; `reopen` opens another on the same place (a restart, or a second workstation). */
  function open(now = '2026-11-20T15:00:00Z') {
    const place = store.place();
    const clock = fixedClock(now);
    const reopen = () => {
      const gateway = openTestGateway({ ...place.at, clock });
      gateways.push(gateway);
      return gateway;
    };
    return { gateway: reopen(), clock, place, reopen };
  }

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
    expect(await gateway.records()).toHaveLength(1);
    expect(await gateway.lookup(req.idempotencyKey)).toMatchObject({ outcome: 'approved', kind: 'charge', amountCents: 12_345 });
    expect(await gateway.lookup('never-sent')).toEqual({ outcome: 'not_found' });
  });

  it('keeps what it recorded across a close and a reopen', async () => {
    const { gateway, reopen } = open();
    const req = charge(CARDS.visa);
    const first = await gateway.charge(req);
    await gateway.close();
    const reopened = reopen();
    expect(await reopened.charge(req)).toEqual(first);
    expect(await reopened.records()).toHaveLength(1);
  });

  it('makes tokens that remember the outcome, brand, last four and expiry but not the number', async () => {
    const { gateway, place } = open();
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
    await gateway.close();
    const stored = await place.storedText();
    expect(Object.values(stored).join('')).toContain('9995');
    for (const [name, text] of Object.entries(stored)) {
      expect(text.includes(CARDS.insufficientFunds), name).toBe(false);
      expect(text.includes(CARDS.visa), name).toBe(false);
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
  it('charges each key once when two workstations send it at the same moment', async () => {
    const { gateway: a, reopen } = open();
    const b = reopen();
    const keys: string[] = [];
    for (let round = 0; round < 20; round++) {
      const req = charge(CARDS.visa);
      keys.push(req.idempotencyKey);
      const [fromA, fromB] = await Promise.all([a.charge(req), b.charge(req)]);
      expect(fromA, `round ${round}`).toMatchObject({ outcome: 'approved', amountCents: 12_345 });
      expect(fromB, `round ${round}`).toEqual(fromA);
    }
    const charges = (await b.records()).filter((r) => r.kind === 'charge');
    expect(charges.map((r) => r.idempotencyKey)).toEqual(keys);
    expect(charges.every((r) => r.outcome === 'approved')).toBe(true);
  });

  it('finds through one workstation what was charged through the other', async () => {
    const { gateway: a, reopen } = open();
    const b = reopen();
    const req = charge(CARDS.visa);
    const made = await a.charge(req);
    if (made.outcome !== 'approved') throw new Error('not approved');
    expect(await b.lookup(req.idempotencyKey)).toEqual({
      outcome: 'approved',
      kind: 'charge',
      transactionId: made.transactionId,
      authorizationCode: made.authorizationCode,
      amountCents: 12_345,
      avs: 'pass',
      cvc: 'pass',
    });
    expect(await b.charge(req)).toEqual(made);
    expect(await b.void(made.transactionId, 'v-other')).toMatchObject({ outcome: 'approved' });
    expect((await a.records()).find((r) => r.kind === 'charge')).toMatchObject({ voided: true });
  });

  it('refunds no more than is left when two workstations refund one charge at the same moment', async () => {
    const { gateway: a, reopen } = open();
    const b = reopen();
    for (let round = 0; round < 20; round++) {
      const made = await a.charge(charge(CARDS.visa));
      if (made.outcome !== 'approved') throw new Error('not approved');
      const answers = await Promise.all([a.refund(made.transactionId, 10_000, `ra-${round}`), b.refund(made.transactionId, 10_000, `rb-${round}`)]);
      expect(answers.map((r) => (r.outcome === 'declined' ? r.code : r.outcome)).sort(), `round ${round}`).toEqual(['amount_too_large', 'approved']);
    }
    const records = await a.records();
    expect(records.filter((r) => r.kind === 'charge').map((r) => r.refundedCents)).toEqual(Array(20).fill(10_000));
  });
});

describe('the default gateway of a runtime', () => {
  it('keeps its file beside a SQLite ledger', async () => {
    const dir = tempDir('ar-desk-gw-');
    dirs.push(dir);
    const gateway = createDefaultGateway({ ledgerPath: path.join(dir, 'ledger.db') }) as TestGateway;
    gateways.push(gateway);
    expect(await gateway.charge(charge(CARDS.visa))).toMatchObject({ outcome: 'approved' });
    expect(gateway.where).toBe(path.join(dir, TEST_GATEWAY_FILE));
    expect(fs.existsSync(path.join(dir, TEST_GATEWAY_FILE))).toBe(true);
  });

  it.skipIf(!adminUrl)('keeps its tables in their own schema of the office ledger\'s server, and no file', async () => {
    const dir = tempDir('ar-desk-gw-');
    dirs.push(dir);
    const gateway = createDefaultGateway({ ledgerPath: path.join(dir, 'ledger.db'), databaseUrl: scratch!.url }) as TestGateway;
    gateways.push(gateway);
    const req = charge(CARDS.visa);
    expect(await gateway.charge(req)).toMatchObject({ outcome: 'approved' });
    expect(fs.readdirSync(dir)).toEqual([]);
    const client = new pg.Client({ connectionString: scratch!.url });
    await client.connect();
    try {
      const tables = await client.query<{ table_schema: string; table_name: string }>(
        `SELECT table_schema, table_name FROM information_schema.tables WHERE table_name IN ('requests', 'tokens') ORDER BY 1, 2`,
      );
      expect(tables.rows.filter((r) => !r.table_schema.startsWith('gw_'))).toEqual([
        { table_schema: TEST_GATEWAY_SCHEMA, table_name: 'requests' },
        { table_schema: TEST_GATEWAY_SCHEMA, table_name: 'tokens' },
      ]);
      const rows = await client.query(`SELECT idempotency_key, amount_cents FROM ${TEST_GATEWAY_SCHEMA}.requests`);
      expect(rows.rows).toEqual([{ idempotency_key: req.idempotencyKey, amount_cents: '12345' }]);
    } finally {
      await client.end();
    }
  });

  it.skipIf(!adminUrl)('answers nothing (the call throws) while the server cannot be reached', async () => {
    const gateway = openTestGateway({ databaseUrl: 'postgres://postgres@127.0.0.1:1/gw_unreachable' });
    gateways.push(gateway);
    const req = charge(CARDS.visa);
    await expect(gateway.charge(req)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(gateway.lookup(req.idempotencyKey)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

describe.skipIf(!adminUrl)('the test gateway on PostgreSQL, first use', () => {
  it('makes its schema once when several workstations first use it at the same moment', async () => {
    for (let round = 0; round < 10; round++) {
      const schema = `gw_${crypto.randomBytes(6).toString('hex')}`;
      const stations = Array.from({ length: 4 }, () => openTestGateway({ databaseUrl: scratch!.url, schema }));
      gateways.push(...stations);
      const answers = await Promise.allSettled(stations.map((g) => g.charge(charge(CARDS.visa))));
      expect(answers.map((a) => (a.status === 'fulfilled' ? a.value.outcome : String(a.reason))), `round ${round}`).toEqual(Array(4).fill('approved'));
      expect(await stations[0]!.records()).toHaveLength(4);
    }
  });
});

describe.skipIf(!adminUrl)('the test gateway on PostgreSQL with a user that may not create schemas', () => {
  it('uses a schema made once by the owner, and says what is missing when there is none', async () => {
    const role = `gw_user_${crypto.randomBytes(4).toString('hex')}`;
    const schema = `gw_${crypto.randomBytes(6).toString('hex')}`;
    const userUrl = (() => {
      const u = new URL(scratch!.url);
      u.username = role;
      u.password = '';
      return u.toString();
    })();
    await asAdmin(`CREATE ROLE ${role} LOGIN`);
    const owner = new pg.Client({ connectionString: scratch!.url });
    await owner.connect();
    try {
      const mine = openTestGateway({ databaseUrl: scratch!.url, schema });
      gateways.push(mine);
      const req = charge(CARDS.visa);
      const made = await mine.charge(req);
      await owner.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
      await owner.query(`GRANT SELECT, INSERT, UPDATE ON ${schema}.requests, ${schema}.tokens TO ${role}`);

      const workstation = openTestGateway({ databaseUrl: userUrl, schema });
      gateways.push(workstation);
      expect(await workstation.lookup(req.idempotencyKey)).toMatchObject({ outcome: 'approved', amountCents: 12_345 });
      expect(await workstation.charge(req)).toEqual(made);
      expect(await workstation.charge(charge(CARDS.visa))).toMatchObject({ outcome: 'approved' });

      const elsewhere = openTestGateway({ databaseUrl: userUrl, schema: `${schema}_none` });
      gateways.push(elsewhere);
      await expect(elsewhere.charge(charge(CARDS.visa))).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        details: { reason: 'permission' },
        message: expect.stringMatching(/may not create or use the test gateway's schema/),
      });
    } finally {
      for (const gateway of gateways.splice(0)) await gateway.close();
      await owner.query(`DROP OWNED BY ${role}`);
      await owner.end();
      await asAdmin(`DROP ROLE ${role}`);
    }
  });
});
