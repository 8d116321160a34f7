import {
  LOOKUP_DEFAULT_LIMIT,
  LOOKUP_MAX_LIMIT,
  type LookupMatch,
  type LookupResult,
  type LookupResults,
  type LookupSearchInput,
} from '../../shared/contract/lookup';
import { validationError } from '../../shared/errors';
import { isoDateIn } from '../clock';
import type { CoreDeps } from '../deps';
import {
  customerByExactNumber,
  customerByInvoiceNumber,
  customerCards,
  customersByEmailPrefix,
  customersByNameWords,
  customersByNumberPrefix,
  customersByPhoneDigits,
  type CustomerCard,
  type CustomerHit,
} from './lookup.repo';
import { emailWords, nameWords, phoneDigits, withoutExtension, wordsStartWith } from './search.rules';
import { readTx } from '../db/dialect';

/** What a typed query can be. Several readings may apply ("AB12" is a number prefix and a name word). */
export interface QueryReadings {
  /** Upper-cased, when it looks like a customer number (two letters then digits). */
  customerNumber: string | null;
  /** As typed, when it could be an invoice number (one token, at most 32 characters). */
  invoiceNumber: string | null;
  /** The digits, when the query is written like a phone number with at least 4 digits. */
  phoneDigits: string | null;
  /** Lower-cased, when it could be the start of an email address. */
  emailPrefix: string | null;
  /** Normalized name words, unless the query is a phone number or an email address. */
  nameWords: string[];
}

const CUSTOMER_NUMBER = /^[A-Za-z]{2}[0-9]+$/;
const PHONE_LIKE = /^\+?[0-9().\-\s/]+$/;
const EMAIL_START = /^[^\s@]+(@[^\s@]*)?$/;
const MIN_PHONE_DIGITS = 4;
const MIN_EMAIL_PREFIX = 3;

export function readQuery(query: string): QueryReadings {
  const q = query.trim();
  // "503 555 0142 ext 2": the extension is not part of the stored number.
  const number = withoutExtension(q);
  const digits = phoneDigits(number);
  const isPhone = PHONE_LIKE.test(number) && digits.length >= MIN_PHONE_DIGITS;
  const hasAt = q.includes('@');
  return {
    customerNumber: CUSTOMER_NUMBER.test(q) ? q.toUpperCase() : null,
    invoiceNumber: q.length > 0 && q.length <= 32 && !/\s/.test(q) ? q : null,
    phoneDigits: isPhone ? digits : null,
    emailPrefix: !isPhone && EMAIL_START.test(q) && (hasAt || q.length >= MIN_EMAIL_PREFIX) ? q.toLowerCase() : null,
    nameWords: isPhone || hasAt ? [] : nameWords(q),
  };
}

// A customer found several ways shows the strongest reason.
const MATCH_STRENGTH: Record<LookupMatch, number> = { number: 0, invoice: 1, name: 2, phone: 3, email: 4 };

interface Candidate {
  hit: CustomerHit;
  matchedBy: LookupMatch;
  invoiceNumber?: string;
  /** 0 exact customer number, 1 exact invoice number, 2 everything else (then by name). */
  rank: number;
}

export function createLookupService(deps: Pick<CoreDeps, 'ledger' | 'clock' | 'settings'>) {
  const db = deps.ledger.db;

  return {
    /** The customers a clerk's query finds, best first, with today's open and past-due amounts. */
    async search(input: LookupSearchInput): Promise<LookupResults> {
      const limit = input.limit ?? LOOKUP_DEFAULT_LIMIT;
      if (!Number.isInteger(limit) || limit < 1 || limit > LOOKUP_MAX_LIMIT) {
        throw validationError('limit', `must be a whole number from 1 to ${LOOKUP_MAX_LIMIT}, got ${limit}`);
      }
      if (input.query.trim().length === 0) return { results: [] };
      const readings = readQuery(input.query);
      const candidates = new Map<number, Candidate>();
      const add = (hit: CustomerHit, matchedBy: LookupMatch, rank: number, invoiceNumber?: string) => {
        const seen = candidates.get(hit.id);
        if (seen && (seen.rank < rank || (seen.rank === rank && MATCH_STRENGTH[seen.matchedBy] <= MATCH_STRENGTH[matchedBy]))) return;
        candidates.set(hit.id, invoiceNumber === undefined ? { hit, matchedBy, rank } : { hit, matchedBy, rank, invoiceNumber });
      };

      // One snapshot for the searches and the balances.
      const found = await readTx(db, async (trx) => {
        if (readings.customerNumber) {
          const exact = await customerByExactNumber(trx, readings.customerNumber);
          if (exact) add(exact, 'number', 0);
          for (const hit of await customersByNumberPrefix(trx, readings.customerNumber, limit)) add(hit, 'number', 2);
        }
        if (readings.invoiceNumber) {
          const invoice = await customerByInvoiceNumber(trx, readings.invoiceNumber);
          if (invoice) add(invoice, 'invoice', 1, invoice.invoiceNumber);
        }
        if (readings.nameWords.length > 0) {
          for (const hit of await customersByNameWords(trx, readings.nameWords, limit)) add(hit, 'name', 2);
        }
        if (readings.phoneDigits) {
          for (const hit of await customersByPhoneDigits(trx, readings.phoneDigits, limit)) add(hit, 'phone', 2);
          // "+1 503 555 0142": the number may be stored without the country code.
          if (readings.phoneDigits.length === 11 && readings.phoneDigits.startsWith('1')) {
            for (const hit of await customersByPhoneDigits(trx, readings.phoneDigits.slice(1), limit)) add(hit, 'phone', 2);
          }
        }
        if (readings.emailPrefix) {
          for (const hit of await customersByEmailPrefix(trx, readings.emailPrefix, limit)) add(hit, 'email', 2);
        }
        const ranked = [...candidates.values()]
          .sort(
            (a, b) =>
              a.rank - b.rank ||
              (a.hit.nameKey < b.hit.nameKey ? -1 : a.hit.nameKey > b.hit.nameKey ? 1 : 0) ||
              (a.hit.customerNumber < b.hit.customerNumber ? -1 : a.hit.customerNumber > b.hit.customerNumber ? 1 : 0),
          )
          .slice(0, limit);
        const businessDate = isoDateIn(deps.clock.now(), deps.settings.get().timeZone);
        const cards = await customerCards(
          trx,
          ranked.map((c) => c.hit.id),
          businessDate,
        );
        return { ranked, cards };
      });

      // The words found it by the legal name, the billing contact's name or the email: say email when only the email holds them.
      const byWords = (card: CustomerCard): LookupMatch =>
        !wordsStartWith(nameWords(card.legalName), readings.nameWords) && card.email !== null && wordsStartWith(emailWords(card.email), readings.nameWords)
          ? 'email'
          : 'name';
      const results: LookupResult[] = [];
      for (const c of found.ranked) {
        const card = found.cards.get(c.hit.id);
        if (!card) continue;
        const result: LookupResult = {
          customerNumber: card.customerNumber,
          legalName: card.legalName,
          phone: card.phone,
          email: card.email,
          openCents: card.openCents,
          pastDueCents: card.pastDueCents,
          matchedBy: c.matchedBy === 'name' ? byWords(card) : c.matchedBy,
        };
        if (c.invoiceNumber !== undefined) result.invoiceNumber = c.invoiceNumber;
        results.push(result);
      }
      return { results };
    },
  };
}
