import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';
import { customerInput, expectHealthy, failure } from '../ledger/fixtures';
import type { SubscriptionInput } from '../../../src/main/billing/subscriptions.rules';
import type { MailMessage } from '../../../src/main/documents/ports';

let rt: TestRuntime;
let sent: MailMessage[];
const q = () => rawSql(rt.ledger);
const count = async (table: string) => (await q().get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;

beforeEach(async () => {
  sent = [];
  rt = await openTestRuntime({
    now: '2026-01-31T15:00:00Z',
    mailer: { send: async (m) => (sent.push(m), { messageId: m.messageId ?? 'x', response: '250 OK' }) },
  });
  await rt.core.customers.create(customerInput(), 'dana');
  await rt.core.customers.create(customerInput({ customerNumber: 'AK5521', legalName: 'Alder Kitchen', email: 'ap@alder.example' }), 'dana');
  await rt.core.customers.create(customerInput({ customerNumber: 'BW3300', legalName: 'Birchwood Dental', email: null }), 'dana');
});
afterEach(async () => {
  await rt.dispose();
});

const sub = (customerNumber: string, overrides: Partial<SubscriptionInput> = {}): SubscriptionInput => ({
  customerNumber,
  period: 'monthly',
  startDate: '2026-01-31',
  lines: [{ description: 'Lawn care', unitPriceCents: 4999, quantity: 1, taxable: false }],
  ...overrides,
});

const run = (asOf = '2026-01-31') => rt.core.billing.run({ asOf, dryRun: false }, 'dana');

function outbox() {
  return q().all<{ to_address: string; subject: string; body: string; status: string; attachment_kind: string; attachment_ref: string; attachment_name: string; attachment_pdf: unknown; last_error: string | null; customer_number: string }>(
    `SELECT o.to_address, o.subject, o.body, o.status, o.attachment_kind, o.attachment_ref, o.attachment_name, o.attachment_pdf, o.last_error, c.customer_number
       FROM outbox o JOIN customers c ON c.id = o.customer_id ORDER BY o.id`,
  );
}

function printJobs() {
  return q().all<{ document_kind: string; document_ref: string; title: string; status: string; workstation: string; customer_number: string }>(
    `SELECT p.document_kind, p.document_ref, p.title, p.status, p.workstation, c.customer_number
       FROM print_jobs p JOIN customers c ON c.id = p.customer_id ORDER BY p.id`,
  );
}

describe('invoice delivery by the billing run', () => {
  it('puts an email customer’s invoice in the outbox once, and it goes out with the invoice PDF attached', async () => {
    await rt.core.customers.setInvoiceDelivery('CL1042', 'email', 'dana');
    await rt.core.subscriptions.create(sub('CL1042'), 'dana');
    const r = await run();
    const number = r.invoices[0]!.invoiceNumber!;
    const [msg, ...more] = await outbox();
    expect(more).toEqual([]);
    expect(msg).toMatchObject({
      customer_number: 'CL1042',
      to_address: 'ap@clearwater.example',
      status: 'queued',
      subject: `Invoice ${number} from Northwind Services LLC`,
      attachment_kind: 'invoice',
      attachment_ref: JSON.stringify({ invoiceNumber: number }),
      attachment_name: `invoice-${number}.pdf`,
      attachment_pdf: null,
    });
    expect(msg!.body).toContain(`Attached is invoice ${number} for $49.99. Please pay by 03/02/2026.`);
    expect(await count('print_jobs')).toBe(0);

    // Sent: the PDF is drawn from the ledger at send time and attached.
    expect(await rt.core.documents.sender.sendDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe('ap@clearwater.example');
    expect(sent[0]!.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`invoice-${number}.pdf`, 'application/pdf']]);
    expect(Buffer.from(sent[0]!.attachments[0]!.content.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const again = await rt.core.documents.build({ kind: 'invoice', invoiceNumber: number });
    expect(Buffer.from(sent[0]!.attachments[0]!.content).equals(Buffer.from(again.bytes))).toBe(true);

    // The same run again: no invoice, no message, nothing sent.
    expect((await run()).invoices).toEqual([]);
    expect(await count('outbox')).toBe(1);
    expect(await count('invoice_deliveries')).toBe(1);
    expect(await rt.core.documents.sender.sendDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(sent).toHaveLength(1);
    const audit = await q().all<{ action: string; customer_number: string }>(`SELECT action, customer_number FROM audit_log WHERE entity = 'outbox' ORDER BY id`);
    expect(audit.map((a) => [a.action, a.customer_number])).toEqual([['email.queue', 'CL1042'], ['email.sending', 'CL1042'], ['email.sent', 'CL1042']]);
    await expectHealthy(rt);
  });

  it('queues a paper customer’s invoice in the run’s mailing batch, and a both customer’s by email and on paper', async () => {
    await rt.core.customers.setInvoiceDelivery('AK5521', 'paper', 'dana');
    await rt.core.customers.setInvoiceDelivery('CL1042', 'both', 'dana');
    await rt.core.subscriptions.create(sub('CL1042'), 'dana');
    await rt.core.subscriptions.create(sub('AK5521', { lines: [{ description: 'Hood cleaning', unitPriceCents: 12_550, quantity: 2, taxable: false }] }), 'dana');
    const r = await run();
    const byCustomer = Object.fromEntries(r.invoices.map((i) => [i.customerNumber, i.invoiceNumber!])) as Record<string, string>;
    expect(r.invoices.map((i) => [i.customerNumber, i.totalCents])).toEqual([['CL1042', 4999], ['AK5521', 25_100]]);
    const jobs = await printJobs();
    expect(jobs).toEqual([
      { customer_number: 'CL1042', document_kind: 'invoice', document_ref: JSON.stringify({ invoiceNumber: byCustomer.CL1042 }), title: `Invoice ${byCustomer.CL1042} (mailing, billing run ${r.runId})`, status: 'queued', workstation: rt.core.deps.workstation },
      { customer_number: 'AK5521', document_kind: 'invoice', document_ref: JSON.stringify({ invoiceNumber: byCustomer.AK5521 }), title: `Invoice ${byCustomer.AK5521} (mailing, billing run ${r.runId})`, status: 'queued', workstation: rt.core.deps.workstation },
    ]);
    expect((await outbox()).map((m) => [m.customer_number, m.to_address])).toEqual([['CL1042', 'ap@clearwater.example']]);
    const deliveries = await q().all<{ invoice_number: string; channel: string; billing_run_id: number }>(
      `SELECT i.invoice_number, d.channel, d.billing_run_id FROM invoice_deliveries d JOIN invoices i ON i.id = d.invoice_id ORDER BY i.invoice_number, d.channel`,
    );
    expect(deliveries).toEqual(
      [
        { invoice_number: byCustomer.CL1042, channel: 'email', billing_run_id: r.runId },
        { invoice_number: byCustomer.CL1042, channel: 'paper', billing_run_id: r.runId },
        { invoice_number: byCustomer.AK5521, channel: 'paper', billing_run_id: r.runId },
      ].sort((a, b) => (a.invoice_number + a.channel < b.invoice_number + b.channel ? -1 : 1)),
    );
    // The printed invoice is the invoice's own PDF, drawn when printed.
    const doc = await rt.core.documents.build({ kind: 'invoice', invoiceNumber: byCustomer.AK5521! });
    expect(doc.figures).toMatchObject({ customerName: 'Alder Kitchen', totalCents: 25_100 });
    // A second delivery of the same invoice by the same channel is refused by the ledger itself.
    const invoiceId = (await q().get<{ id: number }>('SELECT id FROM invoices WHERE invoice_number = ?', byCustomer.AK5521))!.id;
    const jobId = (await q().get<{ id: number }>('SELECT min(id) AS id FROM print_jobs'))!.id;
    await expect(
      q().run(`INSERT INTO invoice_deliveries (invoice_id, channel, print_job_id, created_at, created_by) VALUES (?, 'paper', ?, '2026-01-31T15:00:00.000Z', 'dana')`, invoiceId, jobId),
    ).rejects.toThrow(/unique|UNIQUE/);
    expect((await run()).invoices).toEqual([]);
    expect([await count('outbox'), await count('print_jobs'), await count('invoice_deliveries')]).toEqual([1, 2, 3]);
    await expectHealthy(rt);
  });

  it('an interrupted run, repeated, delivers each invoice once', async () => {
    await rt.core.settings.updateOffice({ policy: { invoiceDelivery: 'both' } }, 'admin');
    await rt.core.subscriptions.create(sub('CL1042'), 'dana');
    await rt.core.subscriptions.create(sub('AK5521'), 'dana');
    await rt.core.subscriptions.create(sub('BW3300'), 'dana');
    // The run stops after its first batch (one customer) is committed.
    const cut = rt.core.billing.run({ asOf: '2026-01-31', dryRun: false, batchSize: 1, onProgress: () => { throw new Error('workstation switched off'); } }, 'dana');
    await expect(cut).rejects.toThrow(/switched off/);
    expect([await count('invoices'), await count('outbox'), await count('print_jobs'), await count('invoice_deliveries')]).toEqual([1, 1, 1, 2]);
    const rest = await run();
    expect(rest.invoices.map((i) => i.customerNumber)).toEqual(['AK5521', 'BW3300']);
    expect((await run()).invoices).toEqual([]);
    expect([await count('invoices'), await count('outbox'), await count('print_jobs'), await count('invoice_deliveries')]).toEqual([3, 3, 3, 6]);
    const perInvoice = await q().all<{ n: number }>('SELECT count(*) AS n FROM invoice_deliveries GROUP BY invoice_id, channel HAVING count(*) > 1');
    expect(perInvoice).toEqual([]);
    // The customer without an email waits in the outbox as failed, for the clerk to enter one; the others are queued.
    expect((await outbox()).map((m) => [m.customer_number, m.status, m.last_error])).toEqual([
      ['CL1042', 'queued', null],
      ['AK5521', 'queued', null],
      ['BW3300', 'failed', 'No email address on file: enter the recipient, then retry.'],
    ]);
    await expectHealthy(rt);
  });

  it('follows the office default when the customer has no choice of its own, and a dry run delivers nothing', async () => {
    await rt.core.customers.setInvoiceDelivery('AK5521', 'paper', 'dana');
    await rt.core.subscriptions.create(sub('CL1042'), 'dana');
    await rt.core.subscriptions.create(sub('AK5521'), 'dana');
    expect(rt.core.deps.settings.get().policy.invoiceDelivery).toBe('paper');
    await rt.core.settings.updateOffice({ policy: { invoiceDelivery: 'email' } }, 'admin');
    const change = await q().get<{ summary: string }>(`SELECT summary FROM audit_log WHERE action = 'settings.updateOffice' ORDER BY id DESC`);
    expect(change?.summary).toContain('policy.invoiceDelivery');
    const dry = await rt.core.billing.run({ asOf: '2026-01-31', dryRun: true }, 'dana');
    expect(dry.invoices).toHaveLength(2);
    expect([await count('outbox'), await count('print_jobs'), await count('invoice_deliveries')]).toEqual([0, 0, 0]);
    await run();
    expect((await outbox()).map((m) => m.customer_number)).toEqual(['CL1042']);
    expect((await printJobs()).map((p) => p.customer_number)).toEqual(['AK5521']);
    await expectHealthy(rt);
  });
});

describe('a customer’s invoice delivery', () => {
  it('refuses email delivery without an email on file, at the field, and changes nothing', async () => {
    for (const choice of ['email', 'both'] as const) {
      const e = await failure(rt.core.customers.setInvoiceDelivery('BW3300', choice, 'dana'));
      expect(e.code).toBe('VALIDATION');
      expect((e.details as { fields: Record<string, string> }).fields.delivery).toMatch(/no email address on file/);
    }
    expect((await rt.core.customers.get('BW3300')).invoiceDelivery).toBeNull();
    expect((await rt.core.customers.setInvoiceDelivery('BW3300', 'paper', 'dana')).invoiceDelivery).toBe('paper');
    // With an email entered, email is allowed; the email cannot then be removed while invoices go by email.
    await rt.core.customers.update('BW3300', { email: 'office@birchwood.example' }, 'dana');
    expect((await rt.core.customers.setInvoiceDelivery('BW3300', 'email', 'dana')).invoiceDelivery).toBe('email');
    const removed = await failure(rt.core.customers.update('BW3300', { email: null }, 'dana'));
    expect((removed.details as { fields: Record<string, string> }).fields.email).toMatch(/by email/);
    expect((await rt.core.customers.get('BW3300')).email).toBe('office@birchwood.example');
    expect((await rt.core.customers.setInvoiceDelivery('BW3300', null, 'dana')).invoiceDelivery).toBeNull();
    const audit = await q().all<{ summary: string }>(`SELECT summary FROM audit_log WHERE action = 'customer.invoice_delivery' ORDER BY id`);
    expect(audit.map((a) => JSON.parse(a.summary))).toEqual([{ from: null, to: 'paper' }, { from: 'paper', to: 'email' }, { from: 'email', to: null }]);
  });
});
