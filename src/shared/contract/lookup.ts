import { z } from 'zod';
import { channel } from './define';

export const LOOKUP_DEFAULT_LIMIT = 20;
export const LOOKUP_MAX_LIMIT = 100;
export const LOOKUP_MAX_QUERY_LENGTH = 200;
/** A screen that searches as the clerk types asks once typing pauses this long (the lookup box, the aging filter). */
export const LOOKUP_TYPING_PAUSE_MS = 150;

export type LookupMatch = 'number' | 'name' | 'phone' | 'email' | 'invoice';

export interface LookupResult {
  customerNumber: string;
  legalName: string;
  phone: string | null;
  email: string | null;
  /** Sum of the customer's open invoice amounts today. */
  openCents: number;
  /** Part of openCents on invoices due before the business date. */
  pastDueCents: number;
  /** What the query matched; a customer found several ways shows the strongest. */
  matchedBy: LookupMatch;
  /** The invoice typed, when the customer was found by invoice number. */
  invoiceNumber?: string;
}

export interface LookupResults {
  /** Exact customer number first, then the exact invoice number's customer, then by name. */
  results: LookupResult[];
}

export const lookupSearchInput = z.strictObject({
  /** Customer number, name words, phone, email or invoice number, as typed. */
  query: z.string().max(LOOKUP_MAX_QUERY_LENGTH),
  limit: z.number().int().min(1).max(LOOKUP_MAX_LIMIT).optional(),
});
export type LookupSearchInput = z.infer<typeof lookupSearchInput>;

export const lookupChannels = {
  'lookup.search': channel<LookupResults>()(lookupSearchInput),
};
