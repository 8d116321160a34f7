import fs from 'node:fs';
import path from 'node:path';
import { rawSql } from '../../helpers/sql';
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src/main/ipc/handlers';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { recoverPendingPayments } from '../../../src/main/payments/recovery';
import { addCredit, addCustomer, addInvoice, CARDS, expectHealthy, openPaymentsRuntime } from '../../helpers/payments-fixtures';
import { asStaff } from '../../helpers/dispatch';

// Codes picked so that, written next to a field name or as JSON, they cannot occur by chance.
const USED = [
  { number: CARDS.visa, cvc: '071' },
  { number: CARDS.mastercard, cvc: '508' },
  { number: CARDS.amex, cvc: '7061' },
  { number: CARDS.declined, cvc: '807' },
  { number: CARDS.insufficientFunds, cvc: '903' },
  { number: CARDS.expired, cvc: '706' },
  { number: CARDS.incorrectCvc, cvc: '150' },
  { number: CARDS.processingError, cvc: '480' },
  { number: CARDS.avsFail, cvc: '604' },
  { number: '4242424242424241', cvc: '097' },
];

function leaks(text: string): string[] {
  const found: string[] = [];
  for (const { number, cvc } of USED) {
    if (text.includes(number)) found.push(`card number ending ${number.slice(-4)}`);
    if (text.includes(number.replace(/(\d{4})(?=\d)/g, '$1 '))) found.push(`spaced card number ending ${number.slice(-4)}`);
    for (const form of [`"cvc":"${cvc}"`, `cvc=${cvc}`, `${number.slice(-4)}${cvc}`]) if (text.includes(form)) found.push(`security code ${form}`);
  }
  for (const account of ['000123456789', '000111111113']) if (text.includes(account)) found.push('bank account number');
  return found;
}

describe('card data', () => {
  it('never reaches the ledger, its WAL, the gateway file, the log, the audit log or an answer', async () => {
    const rt = await openPaymentsRuntime();
    const db = rt.ledger.db;
    const handlers = createDispatcher(rt.core);
    const answers: unknown[] = [];
    const send = async (channel: string, input: unknown) => {
      const r = await dispatch(handlers, channel, input, asStaff('clerk.amy'));
      answers.push(r);
      return r;
    };
    for (let i = 0; i < USED.length; i++) {
      const c = await addCustomer(db, `CL${2000 + i}`);
      await addInvoice(db, c, `INV-${i}`, 12_300 + i * 100);
      await addCredit(db, c, `CR-${i}`, 1_000);
    }
    for (let i = 0; i < USED.length; i++) {
      const { number, cvc } = USED[i]!;
      if (i === 2) rt.gateway.planFault({ kind: 'answer_lost_after_processing' });
      if (i === 3) rt.gateway.planFault({ kind: 'server_error' });
      await send('payments.submit', {
        customerNumber: `CL${2000 + i}`,
        invoiceNumbers: 'all',
        creditNumbers: i % 2 ? [`CR-${i}`] : [],
        method: {
          type: 'card',
          cardNumber: i % 3 ? number : number.replace(/(\d{4})(?=\d)/g, '$1 '),
          expMonth: 12,
          expYear: 2031,
          cvc,
          nameOnCard: 'Dana Whitfield',
          postalCode: '97201',
          save: i % 4 === 0,
        },
        confirmedAmountCents: 12_300 + i * 100 - (i % 2 ? 1_000 : 0),
        idempotencyKey: `card-data-${i}-key`,
      });
      await send('paymentMethods.add', {
        customerNumber: `CL${2000 + i}`,
        method: { type: 'card', cardNumber: number, expMonth: 1, expYear: 2030, cvc, nameOnCard: 'Dana', postalCode: '97201' },
      });
    }
    await send('payments.submit', {
      customerNumber: 'CL2000',
      invoiceNumbers: 'all',
      creditNumbers: [],
      method: { type: 'bank', routingNumber: '110000000', accountNumber: '000111111113', accountType: 'checking', nameOnAccount: 'Dana', save: true },
      phoneDebitAuthorized: true,
      confirmedAmountCents: 12_300,
      idempotencyKey: 'card-data-bank-key',
    });
    await recoverPendingPayments(rt.core);
    const outcomes = (answers as { ok: boolean; data?: { status?: string }; error?: { code: string } }[]).map((a) => (a.ok ? (a.data?.status ?? 'ok') : a.error!.code));
    expect(outcomes).toEqual(expect.arrayContaining(['approved', 'declined', 'pending', 'VALIDATION', 'ok']));

    const scanned: Record<string, string[]> = {};
    const readAll = () => {
      for (const f of fs.readdirSync(rt.dir)) scanned[f] = leaks(fs.readFileSync(path.join(rt.dir, f)).toString('latin1'));
    };
    readAll(); // with the WAL files still there
    scanned['answers'] = leaks(JSON.stringify(answers));
    scanned['log'] = leaks(rt.log.lines.join('\n'));
    const audit = await db.selectFrom('audit_log').select('summary').execute();
    scanned['audit_log'] = leaks(audit.map((a) => a.summary).join('\n'));
    if (rt.ledger.dialect === 'postgres') {
      // The office ledger is on the server: every row of every table, as text.
      const tables = await rawSql(rt.ledger).all<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      for (const t of tables) scanned[`table ${t.name}`] = leaks(JSON.stringify(await rawSql(rt.ledger).all(`SELECT * FROM ${t.name}`)));
      expect(Object.keys(scanned)).toEqual(expect.arrayContaining(['table payments', 'table payment_methods', 'table audit_log', 'test-gateway.db', 'answers', 'log']));
    } else {
      expect(Object.keys(scanned)).toEqual(expect.arrayContaining(['ledger.db', 'ledger.db-wal', 'test-gateway.db', 'test-gateway.db-wal', 'answers', 'log', 'audit_log']));
    }
    await expectHealthy(db);
    await rt.close();
    readAll(); // after the WAL was checkpointed into the main files
    expect(Object.entries(scanned).filter(([, hits]) => hits.length > 0)).toEqual([]);
    fs.rmSync(rt.dir, { recursive: true, force: true });
  });
});
