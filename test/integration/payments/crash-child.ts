/**
 * The process the crash test kills. It opens the shared ledger and test gateway folder, settles
 * whatever the previous (killed) process left pending, prints "ready", then takes payments,
 * refunds and voids in a loop as fast as it can until it is killed.
 *
 * Environment:
 *   CRASH_DIR           folder holding ledger.db and test-gateway.db
 *   CRASH_CHILD_SEED    seed of this process's choices
 *   CRASH_PAUSE_OP      charge | refund | void: stop forever right after the gateway committed the
 *                       CRASH_PAUSE_AT-th such call, before the ledger hears of it (prints "paused")
 *   CRASH_PAUSE_AT      which call to stop after (1-based)
 *   CRASH_STALL         capture | posting | recovery: stop forever inside an open ledger transaction,
 *                       right after its first write of that kind (prints "stalled <kind>"):
 *                       marking an approved charge captured, posting its applications, or any
 *                       write of the start-up recovery
 *   CRASH_MAX_OPS       stop by itself after this many operations
 *
 * A repeated key answered differently is printed on stdout as "MISMATCH {...}"; the parent reads
 * every line and fails the test on it (the process is usually killed, so its exit code says nothing).
 */
import path from 'node:path';
import { openLedger } from '../../../src/main/db/connection';
import { openTestGateway } from '../../../src/main/payments/test-gateway';
import type { PaymentGateway } from '../../../src/main/payments/gateway';
import { createPaymentsService } from '../../../src/main/payments/payments.service';
import type { CoreDeps } from '../../../src/main/deps';
import type { Logger } from '../../../src/main/log';
import { DEFAULT_SETTINGS, type AppSettings } from '../../../src/shared/settings';
import { isAppError } from '../../../src/shared/errors';
import { workstationIdFile } from '../../../src/main/staff/workstation';
import { CRASH_BANK_ACCOUNTS, CRASH_CARDS, MISMATCH_PREFIX, mulberry32, type StallKind } from './crash-plan';

const dir = process.env.CRASH_DIR!;
const rand = mulberry32(Number(process.env.CRASH_CHILD_SEED ?? '1'));
const pauseOp = process.env.CRASH_PAUSE_OP ?? '';
const pauseAt = Number(process.env.CRASH_PAUSE_AT ?? '0');
const maxOps = Number(process.env.CRASH_MAX_OPS ?? '1000');
const stall = (process.env.CRASH_STALL ?? '') as StallKind | '';
/** Start-up recovery, then the loop of operations. */
let phase: 'recovery' | 'operations' = 'recovery';
/** Set between an approved charge and the end of the submit that made it: the capture's transaction comes then. */
let approvedCharge = false;

const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

const log: Logger = {
  info: (m, e) => process.stderr.write(`info ${m} ${e ? JSON.stringify(e) : ''}\n`),
  warn: (m, e) => process.stderr.write(`warn ${m} ${e ? JSON.stringify(e) : ''}\n`),
  error: (m, e) => process.stderr.write(`error ${m} ${e ? JSON.stringify(e) : ''}\n`),
};

// Whole seconds, so no timestamp digit run can be mistaken for a security code by the data scan.
const clock = { now: () => new Date(Math.floor(Date.now() / 1000) * 1000) };

const inner = openTestGateway({ file: path.join(dir, 'test-gateway.db'), clock });
const calls: Record<string, number> = { charge: 0, refund: 0, void: 0 };
const stopForever = () => {
  process.stdout.write('paused\n');
  return new Promise<never>(() => {});
};
async function maybePause<T>(op: string, result: T): Promise<T> {
  calls[op] = (calls[op] ?? 0) + 1;
  if (op === pauseOp && calls[op] === pauseAt) await stopForever();
  return result;
}
const gateway: PaymentGateway = {
  name: inner.name,
  testMode: inner.testMode,
  tokenizeCard: (c, b) => inner.tokenizeCard(c, b),
  tokenizeBank: (c, b) => inner.tokenizeBank(c, b),
  lookup: (k) => inner.lookup(k),
  charge: async (r) => {
    const result = await inner.charge(r);
    approvedCharge = result.outcome === 'approved';
    return maybePause('charge', result);
  },
  refund: async (t, a, k) => maybePause('refund', await inner.refund(t, a, k)),
  void: async (t, k) => maybePause('void', await inner.void(t, k)),
  close: () => inner.close(),
};

// Only the payments service, not the whole core: start-up stays cheap because the crash test
// starts this process hundreds of times (the channel layer is covered by the other tests).
const ledger = await openLedger(path.join(dir, 'ledger.db'));

/** Blocks this process for good inside the open transaction, for the parent to kill it there. */
function stopInside(kind: StallKind): never {
  process.stdout.write(`stalled ${kind}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  throw new Error('unreachable');
}
/** Whether the statement being prepared is where CRASH_STALL asks to stop (always inside a transaction). */
function stallAt(source: string): StallKind | null {
  if (!stall || !ledger.sqlite.inTransaction) return null;
  const s = source.trimStart().toLowerCase();
  if (stall === 'recovery') return phase === 'recovery' && /^(insert|update)\b/.test(s) ? 'recovery' : null;
  if (phase !== 'operations' || !approvedCharge) return null;
  if (stall === 'capture' && s.startsWith('update "payments" set "status"')) return 'capture';
  if (stall === 'posting' && s.startsWith('insert into "applications"')) return 'posting';
  return null;
}
// Kysely runs every statement through prepare(): the statement of the chosen kind stops the process once it has run.
const prepare = ledger.sqlite.prepare.bind(ledger.sqlite);
ledger.sqlite.prepare = ((source: string) => {
  const statement = prepare(source);
  const kind = stallAt(source);
  if (kind) {
    const run = statement.run.bind(statement);
    const all = statement.all.bind(statement);
    statement.run = ((...args: unknown[]) => {
      run(...(args as []));
      return stopInside(kind);
    }) as typeof statement.run;
    statement.all = ((...args: unknown[]) => {
      all(...(args as []));
      return stopInside(kind);
    }) as typeof statement.all;
  }
  return statement;
}) as typeof ledger.sqlite.prepare;
const settings: AppSettings = {
  ...DEFAULT_SETTINGS,
  timeZone: 'America/New_York',
  policy: { ...DEFAULT_SETTINGS.policy, exactInvoicePayments: true, overpayment: 'refuse', writeOffLimitCents: 2500, lateGraceDays: 0, billingLeadDays: 0, invoiceDelivery: 'paper' },
};
const deps = {
  ledger,
  clock,
  gateway,
  log,
  settings: { get: () => settings, set: () => {} },
  version: 'crash-test',
  // Every child is the same installation restarted, as the final recovery's runtime is: its claims are theirs.
  workstation: workstationIdFile(path.join(dir, 'workstation.json')),
} as unknown as CoreDeps;
const payments = createPaymentsService(deps);
const actor = `crash-child-${process.pid}`;

type Answer = { ok: true; data: any } | { ok: false; error: { code: string; message: string } };
const service: Record<string, (input: any) => Promise<unknown>> = {
  'payments.quote': (i) => payments.quote(i),
  'payments.submit': (i) => payments.submit(i, actor),
  'payments.void': (i) => payments.void(i, actor),
  'payments.refund': (i) => payments.refund(i, actor),
};
/** Calls the service the way a channel does: refusals come back as data, anything else is a bug. */
async function callChannel(channel: string, input: unknown): Promise<Answer> {
  try {
    return { ok: true, data: await service[channel]!(input) };
  } catch (e) {
    if (isAppError(e)) return { ok: false, error: { code: e.code, message: e.message } };
    throw e;
  }
}

// The previous process was killed: nothing of it is mid-request any more.
const recovered = await payments.recover(actor, { staleAfterMs: 0 });
process.stderr.write(`recovered ${recovered.payments.length} payments, ${recovered.reversals.length} reversals\n`);
phase = 'operations';
process.stdout.write('ready\n');

const customers = (await ledger.db.selectFrom('customers').select('customer_number').execute()).map((c) => c.customer_number);

async function takePayment(): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const customerNumber = pick(customers);
    const credits = (
      await ledger.db
        .selectFrom('credit_memos as c')
        .innerJoin('customers as k', 'k.id', 'c.customer_id')
        .select('c.credit_number')
        .where('k.customer_number', '=', customerNumber)
        .execute()
    ).map((c) => c.credit_number);
    const all = await callChannel('payments.quote', { customerNumber, invoiceNumbers: 'all', creditNumbers: [] });
    if (!all.ok || !all.data.ok) continue;
    const numbers: string[] = all.data.lines.map((l: { invoiceNumber: string }) => l.invoiceNumber);
    const selection = rand() < 0.5 ? 'all' : numbers.slice(0, 1 + Math.floor(rand() * numbers.length));
    const creditNumbers = credits.length > 0 && rand() < 0.3 ? [pick(credits)] : [];
    const quote = await callChannel('payments.quote', { customerNumber, invoiceNumbers: selection, creditNumbers });
    if (!quote.ok || !quote.data.ok) continue;
    const roll = rand();
    let method: unknown;
    if (roll < 0.15) {
      const account = pick(CRASH_BANK_ACCOUNTS);
      method = { type: 'bank', routingNumber: '110000000', accountNumber: account, accountType: 'checking', nameOnAccount: 'Crash Test', save: rand() < 0.2 };
    } else {
      const card = pick(CRASH_CARDS);
      method = {
        type: 'card',
        cardNumber: rand() < 0.5 ? card.number : card.number.replace(/(\d{4})(?=\d)/g, '$1 '),
        expMonth: 12,
        expYear: 2031,
        cvc: card.cvc,
        nameOnCard: 'Crash Test',
        postalCode: '97201',
        save: rand() < 0.15,
      };
    }
    const key = `crash-${process.env.CRASH_CHILD_SEED}-${Math.floor(rand() * 1e9)}`;
    await callChannel('payments.submit', {
      customerNumber,
      invoiceNumbers: selection,
      creditNumbers,
      method,
      confirmedAmountCents: quote.data.chargeCents,
      // The customer agrees to a bank debit read to them (ignored for a card).
      phoneDebitAuthorized: true,
      idempotencyKey: key,
    });
    approvedCharge = false;
    return;
  }
}

async function reverseSomething(kind: 'refund' | 'void'): Promise<void> {
  const p = await ledger.db
    .selectFrom('payments')
    .select(['id'])
    .where('status', '=', 'captured')
    .where('kind', 'in', ['card', 'bank'])
    .orderBy((eb) => eb.fn('random'))
    .limit(1)
    .executeTakeFirst();
  if (!p) return;
  if (kind === 'void') {
    await callChannel('payments.void', { paymentId: p.id, reason: 'Crash test void' });
    return;
  }
  const share = await ledger.db
    .selectFrom('applications as a')
    .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
    .select('i.invoice_number')
    .where('a.payment_id', '=', p.id)
    .where('a.source', '=', 'payment')
    .limit(1)
    .executeTakeFirst();
  await callChannel('payments.refund', {
    paymentId: p.id,
    reason: 'Crash test refund',
    ...(share && rand() < 0.5 ? { invoiceNumber: share.invoice_number } : {}),
  });
}

async function repeatAKey(): Promise<void> {
  const p = await ledger.db
    .selectFrom('payments as p')
    .innerJoin('customers as c', 'c.id', 'p.customer_id')
    .select(['p.idempotency_key', 'c.customer_number', 'p.status'])
    .where('p.idempotency_key', 'is not', null)
    .orderBy((eb) => eb.fn('random'))
    .limit(1)
    .executeTakeFirst();
  if (!p?.idempotency_key) return;
  const card = pick(CRASH_CARDS);
  const r = await callChannel('payments.submit', {
    customerNumber: p.customer_number,
    invoiceNumbers: 'all',
    creditNumbers: [],
    method: { type: 'card', cardNumber: card.number, expMonth: 12, expYear: 2031, cvc: card.cvc, nameOnCard: 'Crash Test', postalCode: '97201', save: false },
    confirmedAmountCents: 0,
    idempotencyKey: p.idempotency_key,
  });
  const expected = { captured: 'approved', voided: 'approved', declined: 'declined', failed: 'declined', pending: 'pending' }[p.status];
  if (!r.ok || (r.data.status !== expected && p.status !== 'pending')) {
    const report = { key: p.idempotency_key, status: p.status, expected, answer: r };
    process.stderr.write(`REPEAT MISMATCH for a ${p.status} payment: ${JSON.stringify(r)}\n`);
    // stdout is a pipe, written synchronously: the line reaches the parent even if a kill follows at once.
    process.stdout.write(`${MISMATCH_PREFIX}${JSON.stringify(report)}\n`);
    process.exitCode = 3;
  }
}

// When asked to stop after a refund or void, do more of them so the moment comes soon.
const refundShare = pauseOp === 'refund' ? 0.3 : 0.08;
const voidShare = pauseOp === 'void' ? 0.3 : 0.04;
for (let op = 0; op < maxOps; op++) {
  const roll = rand();
  if (roll < refundShare) await reverseSomething('refund');
  else if (roll < refundShare + voidShare) await reverseSomething('void');
  else if (roll < refundShare + voidShare + 0.04) await repeatAKey();
  else await takePayment();
}
await ledger.close();
inner.close();
