/**
 * One clerk of ten-clerks.test.ts: its own process, its own runtime (core, connection pool,
 * workstation id) on the office's PostgreSQL ledger, its own handle on the shared test gateway.
 * It prints "ready", waits for "go" on stdin, then for CLERKS_DURATION_MS takes random money
 * commands through the channel layer, as a workstation's window does, and prints its counts as
 * one line `RESULT {...}` (see ClerkReport).
 *
 * Environment:
 *   CLERKS_DATABASE_URL  the office ledger
 *   CLERKS_GATEWAY       JSON of where the test gateway keeps its state (TestGatewayPlace)
 *   CLERKS_WORKSTATION   ws-1 ... ws-10
 *   CLERKS_DIR           a folder of its own (the workstation's local files)
 *   CLERKS_SEED          its random choices
 *   CLERKS_WORKLOAD      mixed | race (clerks-plan.ts)
 *   CLERKS_DURATION_MS   how long it works
 *   AR_DESK_TEST_NO_CUSTOMER_LOCK=1 turns the customer row lock off (read by dialect.ts at load)
 */
import path from 'node:path';
import readline from 'node:readline';
import { sql } from 'kysely';
import { openNodeRuntime } from '../../../src/main/runtime';
import { memorySettingsStore } from '../../../src/main/settings/settings.store';
import { memorySecretStore } from '../../../src/main/documents/ports';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { openTestGateway, type GatewayFaultKind, type GatewayOperation } from '../../../src/main/payments/test-gateway';
import type { PaymentGateway } from '../../../src/main/payments/gateway';
import { creditsFor, openInvoicesFor } from '../../../src/main/ledger/balances.repo';
import type { Logger } from '../../../src/main/log';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../src/shared/contract';
import type { PaymentSubmitDto, PaymentSubmitInput } from '../../../src/shared/contract/payments';
import { asStaff } from '../../helpers/dispatch';
import { mulberry32 } from '../payments/crash-plan';
import { CONTENDED_SHARE, FAULT_SHARE, OPERATIONS, RESULT_PREFIX, TICK_MS, WEIGHTS, type ClerkReport, type Operation, type Workload } from './clerks-plan';

const env = process.env;
const workstation = env.CLERKS_WORKSTATION!;
const workload = (env.CLERKS_WORKLOAD ?? 'mixed') as Workload;
const durationMs = Number(env.CLERKS_DURATION_MS ?? '10000');
const rand = mulberry32(Number(env.CLERKS_SEED ?? '1'));

const report: ClerkReport = { workstation, picked: {}, ms: {}, outcomes: {}, said: {}, faults: {}, mismatches: [], unexpected: [] };
const bump = (m: Record<string, number>, k: string) => void (m[k] = (m[k] ?? 0) + 1);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

let lastError = '';
const log: Logger = {
  info: () => {},
  warn: (m, e) => process.stderr.write(`warn ${m} ${e ? JSON.stringify(e) : ''}\n`),
  error: (m, e) => {
    lastError = `${m} ${e ? JSON.stringify(e).slice(0, 400) : ''}`;
    process.stderr.write(`error ${lastError}\n`);
  },
};

// Every gateway fault that fires is counted where it fires: a thrown timeout or a 500.
const inner = openTestGateway({ ...JSON.parse(env.CLERKS_GATEWAY!) });
function watched<A extends unknown[], R>(op: GatewayOperation, call: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    const began = performance.now();
    try {
      const r = await call(...args);
      report.ms[`gateway.${op}`] = (report.ms[`gateway.${op}`] ?? 0) + Math.round(performance.now() - began);
      if ((r as { outcome?: string }).outcome === 'error') bump(report.faults, `${op}.server_error`);
      return r;
    } catch (e) {
      bump(report.faults, `${op}.timeout`);
      throw e;
    }
  };
}
const gateway: PaymentGateway = {
  ...inner,
  tokenizeCard: (c, b) => inner.tokenizeCard(c, b),
  tokenizeBank: (c, b) => inner.tokenizeBank(c, b),
  charge: watched('charge', (r) => inner.charge(r)),
  lookup: watched('lookup', (k) => inner.lookup(k)),
  void: watched('void', (t, k) => inner.void(t, k)),
  refund: watched('refund', (t, a, k) => inner.refund(t, a, k)),
  close: () => inner.close(),
};

/** Plans a fault for the next call of `operation` in this process, FAULT_SHARE of the time. */
function maybeFault(operation: 'charge' | 'void' | 'refund'): void {
  if (rand() >= FAULT_SHARE) return;
  const roll = rand();
  const kind: GatewayFaultKind = roll < 0.5 ? 'answer_lost_after_processing' : roll < 0.8 ? 'timeout_before_processing' : 'server_error';
  inner.planFault({ kind, operation });
}

const runtime = await openNodeRuntime({
  ledgerPath: path.join(env.CLERKS_DIR!, 'ledger.db'),
  databaseUrl: env.CLERKS_DATABASE_URL!,
  workstation,
  gateway,
  log,
  settings: memorySettingsStore(),
  secrets: memorySecretStore(),
});
const db = runtime.ledger.db;
const dispatcher = createDispatcher(runtime.core);
const clerk = asStaff(`clerk.${workstation}`, 'clerk');
const supervisor = asStaff(`sup.${workstation}`, 'supervisor');

type Answer<K extends ChannelName> = { ok: true; data: ChannelOutput<K> } | { ok: false; code: string; message: string };

/** A channel call as the window makes it; an INTERNAL answer or an exception is recorded as unexpected. */
async function channel<K extends ChannelName>(name: K, input: ChannelInput<K>, who = clerk): Promise<Answer<K>> {
  lastError = '';
  try {
    const r = await dispatch(dispatcher, name, input, who);
    if (r.ok) return { ok: true, data: r.data as ChannelOutput<K> };
    if (r.error.code === 'INTERNAL') report.unexpected.push(`${name}: ${lastError || r.error.message}`);
    return { ok: false, code: r.error.code, message: r.error.message };
  } catch (e) {
    report.unexpected.push(`${name} threw: ${(e as Error).stack ?? String(e)}`);
    return { ok: false, code: 'THROWN', message: (e as Error).message };
  }
}

function outcome(op: string, a: Answer<ChannelName>, status?: string): void {
  const key = `${op}.${a.ok ? (status ?? 'ok') : a.code.toLowerCase()}`;
  bump(report.outcomes, key);
  if (!a.ok) report.said[key] ??= a.message;
}

const customers = (await db.selectFrom('customers').select(['id', 'customer_number']).orderBy('id').execute()).map((c) => ({
  id: c.id,
  number: c.customer_number,
}));

/**
 * Where the clerk goes next. A contended command (all of them in the race, CONTENDED_SHARE of them
 * otherwise) waits for the next tick of the shared clock and takes the tick's customer and its
 * oldest money, so the clerks who picked a command that tick reach for the same invoice and credit
 * at the same moment; the others go anywhere.
 */
async function target(): Promise<{ customer: (typeof customers)[number]; contended: boolean }> {
  if (rand() >= CONTENDED_SHARE[workload]) return { customer: pick(customers), contended: false };
  const now = Date.now();
  const tick = Math.floor(now / TICK_MS) + 1;
  await new Promise((resolve) => setTimeout(resolve, tick * TICK_MS - now));
  bump(report.outcomes, 'contended');
  return { customer: customers[tick % customers.length]!, contended: true };
}

const CARDS = [
  { cardNumber: '4242424242424242', cvc: '123' },
  { cardNumber: '5555555555554444', cvc: '456' },
  { cardNumber: '378282246310005', cvc: '7351' },
];
function method(): NonNullable<PaymentSubmitInput['method']> {
  const roll = rand();
  if (roll < 0.06) return { type: 'card', cardNumber: '4000000000000002', expMonth: 12, expYear: 2031, cvc: '123', nameOnCard: 'Ten Clerks', postalCode: '97201', save: false };
  if (roll < 0.14) {
    return { type: 'bank', routingNumber: '110000000', accountNumber: '000123456789', accountType: 'checking', nameOnAccount: 'Ten Clerks', save: false };
  }
  return { type: 'card', ...pick(CARDS), expMonth: 12, expYear: 2031, nameOnCard: 'Ten Clerks', postalCode: '97201', save: false };
}

interface Submitted {
  input: PaymentSubmitInput;
  first: PaymentSubmitDto;
}
/** Every submit this clerk made, by key, with the first answer; and its captured payments. */
const submitted: Submitted[] = [];
const mine: number[] = [];
let seq = 0;
const actor = `clerk.${workstation}`;

/** A submit, and after a gateway timeout (pending) the clerk's next move: the same key again, or recovery. */
async function submit(op: string, input: PaymentSubmitInput): Promise<PaymentSubmitDto | null> {
  maybeFault('charge');
  const a = await channel('payments.submit', input);
  inner.clearFaults();
  outcome(op, a, a.ok ? a.data.status : undefined);
  if (!a.ok) return null;
  submitted.push({ input, first: a.data });
  if (a.data.status === 'approved') mine.push(a.data.paymentId);
  if (a.data.status === 'pending') {
    if (rand() < 0.5) {
      const again = await channel('payments.submit', input);
      outcome(`${op}.sameKeyAfterTimeout`, again, again.ok ? again.data.status : undefined);
      if (again.ok) compareRepeat(input.idempotencyKey, a.data, again.data);
      if (again.ok && again.data.status === 'approved') mine.push(again.data.paymentId);
    } else {
      const r = await channel('payments.recover', {});
      outcome(`${op}.recoverAfterTimeout`, r);
    }
  }
  return a.data;
}

/** The same key must name the same payment, and a settled answer never changes. */
function compareRepeat(key: string, first: PaymentSubmitDto, again: PaymentSubmitDto): void {
  const same =
    first.paymentId === again.paymentId &&
    (first.status === 'pending' ||
      (first.status === again.status && (first.status !== 'approved' || first.confirmationNumber === (again as typeof first).confirmationNumber)));
  if (!same) report.mismatches.push(`${key}: first ${JSON.stringify(first)}, then ${JSON.stringify(again)}`);
}

async function pay(key?: string): Promise<string> {
  const { customer, contended } = await target();
  const all = await channel('payments.quote', { customerNumber: customer.number, invoiceNumbers: 'all', creditNumbers: [] });
  if (!all.ok || !all.data.ok) return 'nothing_open';
  const numbers = all.data.lines.map((l) => l.invoiceNumber);
  const k = 1 + Math.floor(rand() * Math.min(contended ? 2 : 3, numbers.length));
  const selection = contended ? numbers.slice(0, k) : [...numbers].sort(() => rand() - 0.5).slice(0, k);
  const credits = rand() < 0.25 ? await creditsFor(db, customer.id) : [];
  const creditNumbers = credits.length > 0 ? [contended ? credits[0]!.creditNumber : pick(credits).creditNumber] : [];
  const quote = await channel('payments.quote', { customerNumber: customer.number, invoiceNumbers: selection, creditNumbers });
  if (!quote.ok || !quote.data.ok) return 'quote_refused';
  const input: PaymentSubmitInput = {
    customerNumber: customer.number,
    invoiceNumbers: selection,
    creditNumbers,
    method: method(),
    confirmedAmountCents: quote.data.chargeCents,
    // The customer agrees to a bank debit read to them (ignored for a card).
    phoneDebitAuthorized: true,
    idempotencyKey: key ? `${key}-${customer.number}` : `${workstation}-${++seq}-${Math.floor(rand() * 1e9)}`,
  };
  const usedBefore = key ? await ownerOf(input.idempotencyKey) : null;
  const r = await submit(key ? 'sharedKey' : 'pay', input);
  if (key && r) {
    // Another clerk may have used this key first: then the answer is that clerk's payment.
    const owner = await ownerOf(input.idempotencyKey);
    bump(report.outcomes, `sharedKey.${usedBefore === null && owner === actor ? 'firstUse' : 'replayed'}`);
  }
  return 'done';
}

async function ownerOf(key: string): Promise<string | null> {
  const p = await db.selectFrom('payments').select('created_by').where('idempotency_key', '=', key).executeTakeFirst();
  return p?.created_by ?? null;
}

/** A duplicate retry of one of this clerk's earlier submits, sometimes two at the same moment. */
async function repeatKey(): Promise<string> {
  if (submitted.length === 0) return 'nothing_submitted';
  const s = pick(submitted);
  const twice = rand() < 0.3;
  const answers = await Promise.all((twice ? [1, 2] : [1]).map(() => channel('payments.submit', s.input)));
  for (const a of answers) {
    outcome('repeatKey', a, a.ok ? a.data.status : undefined);
    if (a.ok) compareRepeat(s.input.idempotencyKey, s.first, a.data);
  }
  return twice ? 'twice' : 'once';
}

async function applyCredit(): Promise<string> {
  const { customer, contended } = await target();
  const invoices = (await openInvoicesFor(db, customer.id)).filter((i) => !i.disputed);
  const credits = await creditsFor(db, customer.id);
  const pairs = invoices.flatMap((i) => credits.filter((c) => c.remainingCents >= i.openCents).map((c) => ({ i, c })));
  if (pairs.length === 0) return 'nothing_to_apply';
  const { i, c } = contended ? pairs[0]! : pick(pairs);
  const a = await channel('credits.apply', { customerNumber: customer.number, invoiceNumbers: [i.invoiceNumber], creditNumbers: [c.creditNumber] });
  outcome('applyCredit', a);
  return 'done';
}

async function unapplyCredit(): Promise<string> {
  const { customer, contended } = await target();
  const standing = await db
    .selectFrom('applications as a')
    .innerJoin('credit_memos as c', 'c.id', 'a.credit_id')
    .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
    .select(['c.credit_number as creditNumber', 'i.invoice_number as invoiceNumber'])
    .where('a.customer_id', '=', customer.id)
    .where('a.payment_id', 'is', null)
    .where('a.amount_cents', '>', 0)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('applications as r').select('r.id').whereRef('r.reverses_id', '=', 'a.id'))))
    .orderBy('a.id')
    .execute();
  if (standing.length === 0) return 'nothing_applied';
  const s = contended ? standing[0]! : pick(standing);
  const a = await channel('credits.unapply', { ...s, reason: 'Applied to the wrong invoice' }, supervisor);
  outcome('unapplyCredit', a);
  return 'done';
}

async function reverse(kind: 'void' | 'refund'): Promise<string> {
  if (mine.length === 0) return 'nothing_captured';
  const paymentId = pick(mine);
  let input: ChannelInput<'payments.refund'> = { paymentId, reason: `Ten clerks ${kind}` };
  if (kind === 'refund') {
    const roll = rand();
    if (roll < 0.35) {
      const shares = await db
        .selectFrom('applications as a')
        .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
        .select('i.invoice_number as invoiceNumber')
        .where('a.payment_id', '=', paymentId)
        .where('a.source', '=', 'payment')
        .groupBy('i.invoice_number')
        .having(sql<number>`sum(a.amount_cents)`, '>', 0)
        .execute();
      if (shares.length > 0) input = { ...input, invoiceNumber: pick(shares).invoiceNumber };
    } else if (roll < 0.7) {
      const p = await db.selectFrom('payments').select('amount_cents').where('id', '=', paymentId).executeTakeFirst();
      if (p && p.amount_cents > 1) input = { ...input, amountCents: 1 + Math.floor(rand() * Math.floor(p.amount_cents / 2)) };
    }
  }
  maybeFault(kind);
  const a = kind === 'void' ? await channel('payments.void', { paymentId, reason: input.reason }, supervisor) : await channel('payments.refund', input, supervisor);
  inner.clearFaults();
  outcome(kind, a, a.ok ? a.data.status : undefined);
  if (a.ok && a.data.status === 'pending' && rand() < 0.5) outcome(`${kind}.recoverAfterTimeout`, await channel('payments.recover', {}));
  return 'done';
}

async function importInvoices(): Promise<string> {
  const customer = pick(customers);
  const rows = ['invoice_number,customer_number,issue_date,due_date,amount,amount_paid'];
  const n = 1 + Math.floor(rand() * 2);
  for (let i = 0; i < n; i++) {
    const cents = (20 + Math.floor(rand() * 230)) * 100;
    const paid = rand() < 0.25 ? (5 + Math.floor(rand() * 10)) * 100 : 0;
    rows.push(`W${workstation.replace(/\D/g, '')}-${++seq},${customer.number},2026-11-02,2026-11-30,${(cents / 100).toFixed(2)},${paid ? (paid / 100).toFixed(2) : ''}`);
  }
  try {
    const r = await runtime.core.imports.importCsv('invoices', rows.join('\n'), actor, { source: `${workstation}.csv` });
    bump(report.outcomes, `import.${r.ok ? 'ok' : 'refused'}`);
    if (!r.ok) report.unexpected.push(`import refused: ${JSON.stringify(r.errors)}`);
  } catch (e) {
    bump(report.outcomes, `import.${(e as { code?: string }).code ?? 'threw'}`);
    report.unexpected.push(`import threw: ${(e as Error).message}`);
  }
  return 'done';
}

async function recover(): Promise<string> {
  const a = await channel('payments.recover', {});
  outcome('recover', a);
  return 'done';
}

const weights = WEIGHTS[workload];
const total = OPERATIONS.reduce((s, op) => s + weights[op], 0);
function nextOperation(): Operation {
  let roll = rand() * total;
  for (const op of OPERATIONS) {
    roll -= weights[op];
    if (roll < 0) return op;
  }
  return 'pay';
}

const run: Record<Operation, () => Promise<string>> = {
  pay: () => pay(),
  repeatKey,
  sharedKey: () => pay(`shared-${Math.floor(rand() * 3)}`),
  applyCredit,
  unapplyCredit,
  void: () => reverse('void'),
  refund: () => reverse('refund'),
  import: importInvoices,
  recover,
};

const cpuMs = () => {
  const u = process.cpuUsage();
  return Math.round((u.user + u.system) / 1000);
};
report.ms['cpu.startup'] = cpuMs();
process.stdout.write('ready\n');
const lines = readline.createInterface({ input: process.stdin });
// The parent gone before "go" (its stdin closed): nothing to do.
const go = await new Promise<boolean>((resolve) => {
  lines.on('line', (l) => l.trim() === 'go' && resolve(true));
  lines.on('close', () => resolve(false));
});
lines.removeAllListeners('close');
lines.close();
if (!go) process.exit(2);

const deadline = Date.now() + durationMs;
while (Date.now() < deadline) {
  const op = nextOperation();
  bump(report.picked, op);
  const began = performance.now();
  const how = await run[op]();
  report.ms[op] = (report.ms[op] ?? 0) + Math.round(performance.now() - began);
  if (how.startsWith('nothing') || how === 'quote_refused') bump(report.outcomes, `${op}.${how}`);
}

report.ms['cpu.total'] = cpuMs();
process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(report)}\n`);
await runtime.close();
await inner.close();
