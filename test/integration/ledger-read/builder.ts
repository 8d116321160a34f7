import type { Kysely } from 'kysely';
import type { DB } from '../../../src/main/db/schema';
import { nameWords, normalizeForSearch, phoneDigits } from '../../../src/main/ledger/search.rules';

/**
 * Writes ledger rows directly, so a test can lay out exactly the history it needs (back-dated
 * payments, reversals after the report date). Statuses are derived at the end by `finish()`.
 */
export class LedgerBuilder {
  private readonly at = '2026-11-20T15:00:00.000Z';
  constructor(private readonly db: Kysely<DB>) {}

  async customer(customerNumber: string, legalName: string, extra: { phone?: string; email?: string } = {}): Promise<number> {
    const digits = extra.phone ? phoneDigits(extra.phone) : '';
    const { id } = await this.db
      .insertInto('customers')
      .values({
        customer_number: customerNumber,
        legal_name: legalName,
        name_search: normalizeForSearch(legalName),
        phone: extra.phone ?? null,
        phone_digits: digits || null,
        email: extra.email ?? null,
        billing_contact: null,
        address_line1: null, address_line2: null, city: null, region: null, postal_code: null, country: null,
        mailing_line1: null, mailing_line2: null, mailing_city: null, mailing_region: null, mailing_postal_code: null, mailing_country: null,
        notes: null,
        created_at: this.at,
        updated_at: this.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const word of nameWords(legalName)) {
      await this.db
        .insertInto('customer_name_words')
        .values({ word, customer_id: id, name_search: normalizeForSearch(legalName), customer_number: customerNumber })
        .execute();
    }
    return id;
  }

  async invoice(
    customerId: number,
    invoiceNumber: string,
    issueDate: string,
    dueDate: string,
    totalCents: number,
    flags: { disputed?: boolean; void?: boolean } = {},
  ): Promise<number> {
    const { id } = await this.db
      .insertInto('invoices')
      .values({
        invoice_number: invoiceNumber,
        customer_id: customerId,
        issue_date: issueDate,
        due_date: dueDate,
        period_start: null,
        period_end: null,
        billing_frequency: null,
        subtotal_cents: totalCents,
        tax_cents: 0,
        total_cents: totalCents,
        status: flags.void ? 'void' : 'open',
        disputed: flags.disputed ? 1 : 0,
        dispute_reason: flags.disputed ? 'Customer disputes the charge' : null,
        void_reason: flags.void ? 'Issued in error' : null,
        voided_at: flags.void ? this.at : null,
        voided_by: flags.void ? 'test' : null,
        created_at: this.at,
        created_by: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.db
      .insertInto('invoice_lines')
      .values({ invoice_id: id, line_no: 1, description: 'Service', quantity: 1, unit_price_cents: totalCents, amount_cents: totalCents })
      .execute();
    return id;
  }

  /** A captured payment received on `on`, applied in full to one invoice. */
  async payment(customerId: number, invoiceId: number, amountCents: number, on: string): Promise<number> {
    const { id } = await this.db
      .insertInto('payments')
      .values({
        customer_id: customerId,
        kind: 'import',
        status: 'captured',
        amount_cents: amountCents,
        received_on: on,
        created_at: this.at,
        created_by: 'test',
        idempotency_key: null,
        confirmation_number: null,
        payment_method_id: null,
        method_brand: null,
        method_last4: null,
        gateway: null,
        gateway_transaction_id: null,
        authorization_code: null,
        avs_result: null,
        cvc_result: null,
        decline_code: null,
        decline_message: null,
        settled_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return this.apply({ invoice_id: invoiceId, customer_id: customerId, source: 'payment', payment_id: id, credit_id: null, amount_cents: amountCents, applied_on: on });
  }

  async credit(customerId: number, creditNumber: string, issueDate: string, amountCents: number): Promise<number> {
    const { id } = await this.db
      .insertInto('credit_memos')
      .values({ credit_number: creditNumber, customer_id: customerId, issue_date: issueDate, amount_cents: amountCents, reason: 'Adjustment', created_at: this.at, created_by: 'test' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async creditApplication(customerId: number, creditId: number, invoiceId: number, amountCents: number, on: string): Promise<number> {
    return this.apply({ invoice_id: invoiceId, customer_id: customerId, source: 'credit', payment_id: null, credit_id: creditId, amount_cents: amountCents, applied_on: on });
  }

  /** A reversal row of application `applicationId`, dated `on`. */
  async reversal(applicationId: number, on: string): Promise<number> {
    const original = await this.db.selectFrom('applications').selectAll().where('id', '=', applicationId).executeTakeFirstOrThrow();
    const { id } = await this.db
      .insertInto('applications')
      .values({
        invoice_id: original.invoice_id,
        customer_id: original.customer_id,
        source: original.source,
        payment_id: original.payment_id,
        credit_id: original.credit_id,
        amount_cents: -original.amount_cents,
        reverses_id: original.id,
        applied_on: on,
        reason: 'Applied to the wrong invoice',
        created_at: this.at,
        created_by: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  /** Sets each non-void invoice's cached status from its applications. */
  async finish(): Promise<void> {
    await this.db
      .updateTable('invoices')
      .set((eb) => ({
        status: eb
          .case()
          .when(
            eb('total_cents', '=', eb.fn.coalesce(
              eb.selectFrom('applications as a').select((e) => e.fn.sum<number>('a.amount_cents').as('s')).whereRef('a.invoice_id', '=', 'invoices.id'),
              eb.lit(0),
            )),
          )
          .then('paid' as const)
          .else('open' as const)
          .end(),
      }))
      .where('status', '<>', 'void')
      .execute();
  }

  private async apply(values: {
    invoice_id: number;
    customer_id: number;
    source: 'payment' | 'credit';
    payment_id: number | null;
    credit_id: number | null;
    amount_cents: number;
    applied_on: string;
  }): Promise<number> {
    const { id } = await this.db
      .insertInto('applications')
      .values({ ...values, reverses_id: null, reason: null, created_at: this.at, created_by: 'test' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }
}
