import { z } from 'zod';
import { channel } from './define';

/**
 * Billing disputes: a clerk opens one on invoices of an account with the customer's words; a
 * supervisor resolves it, in the customer's favour by a credit memo (all or part of what the
 * invoices owe) or against (they return to normal follow-up), with a reason.
 */

export const DISPUTE_REASON_MAX = 2000;

export interface DisputeInvoiceDto {
  invoiceNumber: string;
  dueDate: string;
  totalCents: number;
  /** Still owed now. */
  openCents: number;
}

export interface DisputeDto {
  disputeId: number;
  customerNumber: string;
  status: 'open' | 'resolved';
  /** The customer's words. */
  reason: string;
  openedAt: string;
  openedBy: string;
  invoices: DisputeInvoiceDto[];
  outcome: 'customer' | 'against' | null;
  resolutionReason: string | null;
  creditNumber: string | null;
  creditCents: number | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

const customerNumber = z.string().max(20);

export const disputesChannels = {
  /** The account's disputes, open first, then newest first. */
  'disputes.list': channel<{ disputes: DisputeDto[] }>()(z.strictObject({ customerNumber })),
  'disputes.open': channel<DisputeDto>()(
    z.strictObject({ customerNumber, invoiceNumbers: z.array(z.string().max(40)).min(1).max(200), reason: z.string().max(10_000) }),
  ),
  'disputes.resolve': channel<DisputeDto>()(
    z.strictObject({
      disputeId: z.number().int().positive(),
      outcome: z.enum(['customer', 'against']),
      /** In the customer's favour: the credit memo's amount, at most what the invoices owe. */
      creditCents: z.number().int().optional(),
      reason: z.string().max(10_000),
    }),
  ),
};
