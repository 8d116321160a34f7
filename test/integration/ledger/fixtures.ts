import { expect } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import type { CustomerCreateInput } from '../../../src/shared/contract/customers';
import type { InvoiceCreateInput } from '../../../src/shared/contract/invoices';
import { auditInvariants } from '../../../src/main/ledger/invariants';
import type { TestRuntime } from '../../helpers/runtime';
import { rawSql } from '../../helpers/sql';

/** The ledger must be healthy after every step. */
export async function expectHealthy(rt: TestRuntime): Promise<void> {
  expect(await auditInvariants(rt.ledger.db)).toEqual([]);
}

/** The AppError a call fails with (fails the test if it succeeds or throws something else). */
export async function failure(promise: Promise<unknown>): Promise<AppError> {
  const outcome = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(outcome, 'expected the call to fail').toBeInstanceOf(AppError);
  return outcome as AppError;
}

export function customerInput(overrides: Partial<CustomerCreateInput> = {}): CustomerCreateInput {
  return {
    customerNumber: 'CL1042',
    legalName: 'Clearwater Landscaping LLC',
    billingContact: 'Dana Ortiz',
    email: 'ap@clearwater.example',
    phone: '(503) 555-0142',
    address: { line1: '12 River Rd', city: 'Portland', region: 'OR', postalCode: '97201', country: 'US' },
    ...overrides,
  };
}

/** One untaxed line for the given amount. */
export function invoiceInput(
  customerNumber: string,
  cents: number,
  overrides: Partial<InvoiceCreateInput> = {},
): InvoiceCreateInput {
  return {
    customerNumber,
    issueDate: '2026-10-01',
    lines: [{ description: 'Monthly service', quantity: 1, unitPriceCents: cents }],
    ...overrides,
  };
}

export async function rowCount(rt: TestRuntime, table: string): Promise<number> {
  return (await rawSql(rt.ledger).get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
}

export function auditActions(rt: TestRuntime): Promise<{ action: string; entity_id: string; summary: string; actor: string }[]> {
  return rawSql(rt.ledger).all('SELECT action, entity_id, summary, actor FROM audit_log ORDER BY id');
}
