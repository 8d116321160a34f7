/**
 * Customers: normalizing what a clerk or a file gives, checking every field, and the search
 * columns derived from the name and phone. Pure functions, no database.
 */
import type { AddressDto, AddressInput, CustomerChangesInput, CustomerCreateInput, CustomerDto } from '../../shared/contract/customers';
import {
  DEFAULT_TERMS_DAYS,
  MAX_ADDRESS_FIELD_LENGTH,
  MAX_NAME_LENGTH,
  MAX_NOTES_LENGTH,
  controlCharacterProblem,
  customerNumberProblem,
  emailProblem,
  normalizeCustomerNumber,
  oneLineTextProblem,
  phoneProblem,
  postalCodeProblem,
  termsDaysProblem,
  textLengthProblem,
  type FieldProblems,
} from '../../shared/validation';
import type { CustomerRow, NewCustomerNameWordRow, NewCustomerRow } from '../db/schema';
import { customerSearchWords, normalizeForSearch, phoneDigits } from './search.rules';

/** A customer as the service sees it: trimmed, empty text as null. */
export interface CustomerDraft {
  customerNumber: string;
  legalName: string;
  billingContact: string | null;
  email: string | null;
  phone: string | null;
  address: AddressDto;
  mailingAddress: AddressDto | null;
  termsDays: number;
  taxExempt: boolean;
  status: 'active' | 'cancelled';
  notes: string | null;
}

const ADDRESS_KEYS = ['line1', 'line2', 'city', 'region', 'postalCode', 'country'] as const;

function clean(value: string | null | undefined): string | null {
  const t = value?.trim() ?? '';
  return t.length > 0 ? t : null;
}

const EMPTY_ADDRESS: AddressDto = { line1: null, line2: null, city: null, region: null, postalCode: null, country: null };

/** Keys left out of `changes` keep their value in `base`. */
function mergeAddress(base: AddressDto, changes: AddressInput | undefined): AddressDto {
  const out = { ...base };
  if (!changes) return out;
  for (const key of ADDRESS_KEYS) {
    if (changes[key] !== undefined) out[key] = clean(changes[key]);
  }
  return out;
}

function isBlankAddress(a: AddressDto): boolean {
  return ADDRESS_KEYS.every((k) => a[k] === null);
}

export function draftFromCreateInput(input: CustomerCreateInput): CustomerDraft {
  const mailing = input.mailingAddress ? mergeAddress(EMPTY_ADDRESS, input.mailingAddress) : null;
  return {
    customerNumber: normalizeCustomerNumber(input.customerNumber),
    legalName: input.legalName.trim(),
    billingContact: clean(input.billingContact),
    email: clean(input.email),
    phone: clean(input.phone),
    address: mergeAddress(EMPTY_ADDRESS, input.address),
    mailingAddress: mailing && !isBlankAddress(mailing) ? mailing : null,
    termsDays: input.termsDays ?? DEFAULT_TERMS_DAYS,
    taxExempt: input.taxExempt ?? false,
    status: input.status ?? 'active',
    notes: clean(input.notes),
  };
}

/** A partial update: only the keys present in `changes` change. mailingAddress null clears it. */
export function applyCustomerChanges(current: CustomerDraft, changes: CustomerChangesInput): CustomerDraft {
  const next: CustomerDraft = { ...current, address: mergeAddress(current.address, changes.address) };
  if (changes.legalName !== undefined) next.legalName = changes.legalName.trim();
  if (changes.billingContact !== undefined) next.billingContact = clean(changes.billingContact);
  if (changes.email !== undefined) next.email = clean(changes.email);
  if (changes.phone !== undefined) next.phone = clean(changes.phone);
  if (changes.mailingAddress === null) next.mailingAddress = null;
  else if (changes.mailingAddress !== undefined) {
    const mailing = mergeAddress(current.mailingAddress ?? EMPTY_ADDRESS, changes.mailingAddress);
    next.mailingAddress = isBlankAddress(mailing) ? null : mailing;
  }
  if (changes.termsDays !== undefined) next.termsDays = changes.termsDays;
  if (changes.taxExempt !== undefined) next.taxExempt = changes.taxExempt;
  if (changes.status !== undefined) next.status = changes.status;
  if (changes.notes !== undefined) next.notes = clean(changes.notes);
  return next;
}

function addressProblems(prefix: string, a: AddressDto, problems: FieldProblems): void {
  for (const key of ADDRESS_KEYS) {
    const value = a[key];
    if (value === null) continue;
    const p = oneLineTextProblem(value, key === 'country' || key === 'region' ? 60 : MAX_ADDRESS_FIELD_LENGTH);
    if (p) problems[`${prefix}.${key}`] = p;
  }
  if (a.postalCode !== null && !problems[`${prefix}.postalCode`]) {
    const p = postalCodeProblem(a.postalCode, a.country);
    if (p) problems[`${prefix}.postalCode`] = p;
  }
}

/** Every problem of the draft, keyed by field path (`email`, `address.postalCode`…). Empty when valid. */
export function customerProblems(d: CustomerDraft): FieldProblems {
  const problems: FieldProblems = {};
  const numberProblem = customerNumberProblem(d.customerNumber);
  if (numberProblem) problems.customerNumber = numberProblem;
  if (d.legalName.length === 0) problems.legalName = 'is required';
  else {
    const p = oneLineTextProblem(d.legalName, MAX_NAME_LENGTH);
    if (p) problems.legalName = p;
  }
  if (d.billingContact !== null) {
    const p = oneLineTextProblem(d.billingContact, MAX_NAME_LENGTH);
    if (p) problems.billingContact = p;
  }
  if (d.email !== null) {
    const p = emailProblem(d.email);
    if (p) problems.email = p;
  }
  if (d.phone !== null) {
    const p = controlCharacterProblem(d.phone) ?? phoneProblem(d.phone);
    if (p) problems.phone = p;
  }
  addressProblems('address', d.address, problems);
  if (d.mailingAddress) addressProblems('mailingAddress', d.mailingAddress, problems);
  const terms = termsDaysProblem(d.termsDays);
  if (terms) problems.termsDays = terms;
  if (d.status !== 'active' && d.status !== 'cancelled') problems.status = `must be active or cancelled, got ${String(d.status)}`;
  if (d.notes !== null) {
    const p = textLengthProblem(d.notes, MAX_NOTES_LENGTH);
    if (p) problems.notes = p;
  }
  return problems;
}

export type CustomerColumns = Omit<NewCustomerRow, 'id' | 'created_at' | 'updated_at'>;

/** The row's columns, including the lookup columns derived from the name and phone. */
export function customerColumns(d: CustomerDraft): CustomerColumns {
  const mailing = d.mailingAddress ?? EMPTY_ADDRESS;
  const digits = d.phone === null ? '' : phoneDigits(d.phone);
  return {
    customer_number: d.customerNumber,
    legal_name: d.legalName,
    name_search: normalizeForSearch(d.legalName),
    billing_contact: d.billingContact,
    email: d.email,
    phone: d.phone,
    phone_digits: digits.length > 0 ? digits : null,
    address_line1: d.address.line1,
    address_line2: d.address.line2,
    city: d.address.city,
    region: d.address.region,
    postal_code: d.address.postalCode,
    country: d.address.country,
    mailing_line1: mailing.line1,
    mailing_line2: mailing.line2,
    mailing_city: mailing.city,
    mailing_region: mailing.region,
    mailing_postal_code: mailing.postalCode,
    mailing_country: mailing.country,
    terms_days: d.termsDays,
    tax_exempt: d.taxExempt ? 1 : 0,
    status: d.status,
    notes: d.notes,
  };
}

/** The words stored in customer_name_words for prefix lookup: the name's, the contact's and the email's. */
export function customerNameWords(d: Pick<CustomerDraft, 'legalName'> & Partial<Pick<CustomerDraft, 'billingContact' | 'email'>>): string[] {
  return customerSearchWords(d);
}

/**
 * One customer's customer_name_words rows: each lookup word with the customer's place in the
 * lookup box's order (name_search, then the number), so a word prefix finds the first customers
 * by name without reading the customers table.
 */
export function customerNameWordRows(
  customerId: number,
  d: Pick<CustomerDraft, 'customerNumber' | 'legalName'> & Partial<Pick<CustomerDraft, 'billingContact' | 'email'>>,
): NewCustomerNameWordRow[] {
  const nameSearch = normalizeForSearch(d.legalName);
  return customerNameWords(d).map((word) => ({ word, customer_id: customerId, name_search: nameSearch, customer_number: d.customerNumber }));
}

export function draftFromRow(row: CustomerRow): CustomerDraft {
  const mailing: AddressDto = {
    line1: row.mailing_line1,
    line2: row.mailing_line2,
    city: row.mailing_city,
    region: row.mailing_region,
    postalCode: row.mailing_postal_code,
    country: row.mailing_country,
  };
  return {
    customerNumber: row.customer_number,
    legalName: row.legal_name,
    billingContact: row.billing_contact,
    email: row.email,
    phone: row.phone,
    address: {
      line1: row.address_line1,
      line2: row.address_line2,
      city: row.city,
      region: row.region,
      postalCode: row.postal_code,
      country: row.country,
    },
    mailingAddress: isBlankAddress(mailing) ? null : mailing,
    termsDays: row.terms_days,
    taxExempt: row.tax_exempt === 1,
    status: row.status,
    notes: row.notes,
  };
}

export function toCustomerDto(row: CustomerRow): CustomerDto {
  const cancellation =
    row.status === 'cancelled' && row.cancelled_on !== null && row.cancel_mode !== null
      ? { on: row.cancelled_on, mode: row.cancel_mode, reason: row.cancel_reason ?? '', at: row.cancelled_at ?? '', by: row.cancelled_by ?? '' }
      : null;
  return { ...draftFromRow(row), invoiceDelivery: row.invoice_delivery, createdAt: row.created_at, updatedAt: row.updated_at, cancellation };
}

/** Field path -> { from, to } for every field that differs: the audit summary of an update. */
export function changedCustomerFields(
  before: CustomerDraft,
  after: CustomerDraft,
): Record<string, { from: unknown; to: unknown }> {
  const flat = (d: CustomerDraft): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(d)) {
      if (k === 'address' || k === 'mailingAddress') {
        for (const key of ADDRESS_KEYS) out[`${k}.${key}`] = (v as AddressDto | null)?.[key] ?? null;
      } else out[k] = v;
    }
    return out;
  };
  const a = flat(before);
  const b = flat(after);
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(b)) {
    if (a[key] !== b[key]) changed[key] = { from: a[key], to: b[key] };
  }
  return changed;
}
