import { z } from 'zod';
import { channel } from './define';
import { INVOICE_DELIVERY_CHOICES, type InvoiceDelivery } from '../settings';

/**
 * Shapes only: the service checks values (customer number format, email, ZIP…) with
 * src/shared/validation.ts and answers VALIDATION naming the field.
 */
const text = z.string();
const optionalText = z.string().nullable().optional();

export const addressInput = z.strictObject({
  line1: optionalText,
  line2: optionalText,
  city: optionalText,
  region: optionalText,
  postalCode: optionalText,
  country: optionalText,
});
export type AddressInput = z.infer<typeof addressInput>;

const customerFields = {
  legalName: text,
  billingContact: optionalText,
  email: optionalText,
  phone: optionalText,
  address: addressInput.optional(),
  /** null: bills go to the physical address. */
  mailingAddress: addressInput.nullable().optional(),
  termsDays: z.number().int().optional(),
  taxExempt: z.boolean().optional(),
  status: z.enum(['active', 'cancelled']).optional(),
  notes: optionalText,
};

export const customerCreateInput = z.strictObject({ customerNumber: text, ...customerFields });
export type CustomerCreateInput = z.infer<typeof customerCreateInput>;

/** The customer number never changes, so it is not among the changes. Omitted keys stay as they are. */
export const customerChangesInput = z.strictObject({ ...customerFields, legalName: text.optional() });
export type CustomerChangesInput = z.infer<typeof customerChangesInput>;

export interface AddressDto {
  line1: string | null;
  line2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
}

export interface CustomerDto {
  customerNumber: string;
  legalName: string;
  billingContact: string | null;
  email: string | null;
  phone: string | null;
  address: AddressDto;
  /** null when bills go to the physical address. */
  mailingAddress: AddressDto | null;
  termsDays: number;
  taxExempt: boolean;
  status: 'active' | 'cancelled';
  notes: string | null;
  /** How the billing run delivers its invoices; null: the office's default (settings policy.invoiceDelivery). */
  invoiceDelivery: InvoiceDelivery | null;
  createdAt: string;
  updatedAt: string;
  /** How and why the account was cancelled (customers.cancelAccount); null when it was not, or was marked cancelled some other way. */
  cancellation: {
    /** The first day of service not used. */
    on: string;
    mode: 'end_of_term' | 'immediate';
    reason: string;
    at: string;
    by: string;
  } | null;
}

export interface AccountBalanceDto {
  /** Sum of the open amounts of the customer's invoices. */
  openCents: number;
  /** Part of openCents on invoices due before the business date. */
  pastDueCents: number;
  /** Credit memo amounts not yet applied. */
  unappliedCreditCents: number;
  /** Payments' money held on account (an overpayment kept, or money moved off an invoice), not yet applied. */
  onAccountCents: number;
}

/** A payment's money held on account, usable like a credit. */
export interface AccountOnAccountDto {
  paymentId: number;
  confirmationNumber: string | null;
  receivedOn: string;
  /** "Visa ending 4242". */
  methodLabel: string;
  amountCents: number;
  onAccountCents: number;
}

export interface AccountInvoiceDto {
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  totalCents: number;
  openCents: number;
  /** 0 when not yet due. */
  daysPastDue: number;
  disputed: boolean;
  /** Why the customer disputes it; null when not disputed. */
  disputeReason: string | null;
}

export interface AccountCreditDto {
  creditNumber: string;
  issueDate: string;
  amountCents: number;
  remainingCents: number;
  reason: string;
}

/** What the account screen loads in one call. */
export interface CustomerAccountDto {
  customer: CustomerDto;
  /** The business date the past-due figures were computed for. */
  asOf: string;
  balance: AccountBalanceDto;
  /** Open invoices, oldest first (due date, issue date, number). */
  openInvoices: AccountInvoiceDto[];
  /** Credits with something remaining, oldest first. */
  credits: AccountCreditDto[];
  /** Payments with money held on account, oldest first. */
  onAccount: AccountOnAccountDto[];
  /** Past-due follow-up marks, present only when one is set: suspended (lifted when paid current), no follow-up, the clerk assigned. */
  followUp?: { suspendedOn: string | null; suspendedLevel: number | null; noFollowUp: boolean; assignedTo: string | null };
}

const byNumber = z.strictObject({ customerNumber: text });

export const customersChannels = {
  'customers.get': channel<CustomerDto>()(byNumber),
  'customers.create': channel<CustomerDto>()(customerCreateInput),
  'customers.update': channel<CustomerDto>()(z.strictObject({ customerNumber: text, changes: customerChangesInput })),
  'customers.account': channel<CustomerAccountDto>()(byNumber),
  /** How the billing run delivers the customer's invoices; null: as the office's house rules say. */
  'customers.setInvoiceDelivery': channel<CustomerDto>()(
    z.strictObject({ customerNumber: text, delivery: z.enum(INVOICE_DELIVERY_CHOICES).nullable() }),
  ),
};
