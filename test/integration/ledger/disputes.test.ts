import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DisputeDto } from '../../../src/shared/contract/disputes';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';
import { addStaff, callAs, errorOf, PASSWORD, sessionOf } from '../../helpers/staff-fixtures';
import { customerInput, expectHealthy, failure, invoiceInput } from './fixtures';

// CL1042 owes three invoices: $100.00 (due Oct 31), $250.00 (due Nov 15), $80.00 (due Nov 30).
let rt: TestRuntime;
let clerk: string;
let supervisor: string;
const numbers: string[] = [];
beforeEach(async () => {
  rt = await openTestRuntime({ now: '2026-12-01T15:00:00Z' });
  await rt.core.customers.create(customerInput(), 'dana');
  numbers.length = 0;
  for (const [cents, issueDate] of [[10_000, '2026-10-01'], [25_000, '2026-10-16'], [8_000, '2026-10-31']] as const) {
    numbers.push((await rt.core.invoices.create(invoiceInput('CL1042', cents, { issueDate }), 'dana')).invoiceNumber);
  }
  await addStaff(rt, 'lee', 'admin');
  await addStaff(rt, 'amy', 'clerk');
  await addStaff(rt, 'sue', 'supervisor');
  clerk = await sessionOf(rt, 'amy');
  supervisor = await sessionOf(rt, 'sue');
});
afterEach(async () => {
  await rt.dispose();
});

const invoiceRows = () =>
  rawSql(rt.ledger).all<{ invoice_number: string; disputed: number; dispute_reason: string | null; status: string }>(
    'SELECT invoice_number, disputed, dispute_reason, status FROM invoices ORDER BY id',
  );
const auditOf = async (action: string) =>
  (await rawSql(rt.ledger).all<{ actor: string; summary: string }>('SELECT actor, summary FROM audit_log WHERE action = ? ORDER BY id', action)).map((r) => ({ actor: r.actor, ...JSON.parse(r.summary) }));

async function openAsClerk(invoiceNumbers: string[], reason = 'We never received the October visit'): Promise<DisputeDto> {
  const r = await callAs(rt, clerk, 'disputes.open', { customerNumber: 'CL1042', invoiceNumbers, reason });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as DisputeDto;
}

describe('billing disputes', () => {
  it('a clerk opens one on two invoices with the customer’s words: they are disputed, out of Pay All and marked in the aging', async () => {
    const d = await openAsClerk([numbers[0]!, numbers[1]!.toLowerCase()]);
    expect(d).toMatchObject({ customerNumber: 'CL1042', status: 'open', reason: 'We never received the October visit', openedBy: 'amy', outcome: null, creditNumber: null });
    expect(d.invoices.map((i) => [i.invoiceNumber, i.openCents])).toEqual([[numbers[0], 10_000], [numbers[1], 25_000]]);
    expect((await invoiceRows()).map((r) => r.disputed)).toEqual([1, 1, 0]);
    // Pay All leaves them out: only the $80.00 invoice is quoted.
    const quote = await rt.core.payments.quote({ customerNumber: 'CL1042', invoiceNumbers: 'all', creditNumbers: [] });
    expect(quote.ok && quote.lines.map((l) => l.invoiceNumber)).toEqual([numbers[2]]);
    const aging = await rt.core.aging.report({ asOf: '2026-12-01' });
    expect(aging.customers.find((c) => c.customer_number === 'CL1042')).toMatchObject({ disputed_cents: 35_000 });
    expect(await auditOf('dispute.open')).toEqual([{ actor: 'amy', customerNumber: 'CL1042', invoices: [numbers[0], numbers[1]].sort(), reason: 'We never received the October visit' }]);
    // Listed on the account.
    const list = await callAs(rt, clerk, 'disputes.list', { customerNumber: 'CL1042' });
    expect(list.ok && (list.data as { disputes: DisputeDto[] }).disputes.map((x) => x.disputeId)).toEqual([d.disputeId]);
    await expectHealthy(rt);
  });

  it('refuses no reason, another customer’s invoice, and an invoice already in an open dispute, writing nothing', async () => {
    await rt.core.customers.create(customerInput({ customerNumber: 'AK5521', legalName: 'Alder Kitchen', email: 'ap@alder.example' }), 'dana');
    const theirs = (await rt.core.invoices.create(invoiceInput('AK5521', 5_000), 'dana')).invoiceNumber;
    const blank = await failure(rt.core.disputes.open({ customerNumber: 'CL1042', invoiceNumbers: [numbers[0]!], reason: '   ' }, 'amy'));
    expect(blank.details).toMatchObject({ fields: { reason: expect.stringMatching(/required/) } });
    const foreign = await failure(rt.core.disputes.open({ customerNumber: 'CL1042', invoiceNumbers: [theirs], reason: 'Not ours' }, 'amy'));
    expect(foreign.message + JSON.stringify(foreign.details)).toContain(`${theirs} is not an invoice of CL1042`);
    await openAsClerk([numbers[0]!]);
    const twice = await failure(rt.core.disputes.open({ customerNumber: 'CL1042', invoiceNumbers: [numbers[1]!, numbers[0]!], reason: 'Again' }, 'amy'));
    expect(twice.code).toBe('CONFLICT');
    expect(twice.message).toMatch(/is in dispute \d+ already/);
    expect((await rawSql(rt.ledger).get<{ n: number }>('SELECT COUNT(*) AS n FROM disputes'))!.n).toBe(1);
    expect((await invoiceRows()).map((r) => r.disputed)).toEqual([1, 0, 0, 0]);
    // Its invoice cannot be cleared by hand either: the dispute is resolved instead.
    const cleared = await failure(rt.core.invoices.setDisputed(numbers[0]!, false, undefined, 'sue'));
    expect(cleared.message).toMatch(/resolve the dispute instead/);
  });

  it('a supervisor resolves it for the customer with part of the amount: a credit memo applied oldest first, the invoices back to normal', async () => {
    const d = await openAsClerk([numbers[1]!, numbers[0]!]);
    // A clerk without a supervisor's approval is refused and nothing changes.
    const refused = await callAs(rt, clerk, 'disputes.resolve', { disputeId: d.disputeId, outcome: 'customer', creditCents: 12_500, reason: 'Visit was missed' });
    expect(errorOf(refused).code).toMatch(/FORBIDDEN|APPROVAL/);
    expect((await rawSql(rt.ledger).get<{ n: number }>('SELECT COUNT(*) AS n FROM credit_memos'))!.n).toBe(0);
    // With a supervisor's approval in place it goes through, named as approved by them.
    const r = await callAs(rt, clerk, 'disputes.resolve', {
      disputeId: d.disputeId,
      outcome: 'customer',
      creditCents: 12_500,
      reason: 'Visit was missed',
      approval: { username: 'sue', password: PASSWORD, reason: 'Confirmed with the crew' },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const done = r.data as DisputeDto;
    expect(done).toMatchObject({ status: 'resolved', outcome: 'customer', resolutionReason: 'Visit was missed', creditCents: 12_500 });
    // The supervisor who approved it resolved it; the clerk who asked is the audit's actor.
    expect(done.resolvedBy).toBe('sue');
    expect(done.creditNumber).toMatch(/^CR-/);
    // $125.00: the $100.00 invoice paid in full, $25.00 off the $250.00 one.
    expect(done.invoices.map((i) => [i.invoiceNumber, i.openCents])).toEqual([[numbers[0], 0], [numbers[1], 22_500]]);
    expect((await invoiceRows()).map((r) => [r.disputed, r.status])).toEqual([[0, 'paid'], [0, 'open'], [0, 'open']]);
    expect(await auditOf('dispute.resolve')).toEqual([
      { actor: expect.stringContaining('amy'), customerNumber: 'CL1042', outcome: 'customer', reason: 'Visit was missed', creditNumber: done.creditNumber, creditCents: 12_500, invoices: [numbers[0], numbers[1]] },
    ]);
    // Resolved once only.
    const again = await failure(rt.core.disputes.resolve({ disputeId: d.disputeId, outcome: 'against', reason: 'Second thoughts' }, 'sue'));
    expect(again.code).toBe('CONFLICT');
    await expectHealthy(rt);
  });

  it('resolved against the customer: no credit, the invoices return to Pay All', async () => {
    const d = await openAsClerk([numbers[0]!]);
    const r = await callAs(rt, supervisor, 'disputes.resolve', { disputeId: d.disputeId, outcome: 'against', reason: 'Visit log shows the crew on site' });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.data).toMatchObject({ status: 'resolved', outcome: 'against', creditNumber: null, resolvedBy: 'sue' });
    expect((await rawSql(rt.ledger).get<{ n: number }>('SELECT COUNT(*) AS n FROM credit_memos'))!.n).toBe(0);
    const quote = await rt.core.payments.quote({ customerNumber: 'CL1042', invoiceNumbers: 'all', creditNumbers: [] });
    expect(quote.ok && quote.lines.map((l) => l.invoiceNumber)).toEqual(numbers);
    await expectHealthy(rt);
  });

  it('refuses a credit over what the invoices owe, none, or one with an outcome against, changing nothing', async () => {
    const d = await openAsClerk([numbers[2]!]);
    const over = await failure(rt.core.disputes.resolve({ disputeId: d.disputeId, outcome: 'customer', creditCents: 8_001, reason: 'Goodwill' }, 'sue'));
    expect(over.details).toMatchObject({ fields: { creditCents: expect.stringMatching(/more than the disputed invoices owe \(\$80\.00\)/) } });
    const none = await failure(rt.core.disputes.resolve({ disputeId: d.disputeId, outcome: 'customer', reason: 'Goodwill' }, 'sue'));
    expect(none.details).toMatchObject({ fields: { creditCents: expect.any(String) } });
    const against = await failure(rt.core.disputes.resolve({ disputeId: d.disputeId, outcome: 'against', creditCents: 100, reason: 'No' }, 'sue'));
    expect(against.details).toMatchObject({ fields: { creditCents: expect.any(String) } });
    expect((await rawSql(rt.ledger).get<{ status: string }>('SELECT status FROM disputes'))!.status).toBe('open');
    expect((await invoiceRows())[2]!.disputed).toBe(1);
    // The full amount is allowed: the invoice is paid by the credit.
    const full = await rt.core.disputes.resolve({ disputeId: d.disputeId, outcome: 'customer', creditCents: 8_000, reason: 'Goodwill' }, 'sue');
    expect(full.invoices[0]!.openCents).toBe(0);
    await expectHealthy(rt);
  });
});
