import { formatCents } from './money';

/**
 * The authorization a clerk reads to a customer before debiting their bank account on a phone call
 * (a NACHA telephone-initiated entry): the date, the amount, the account, who debits it, a number to
 * call, and that it is a single debit. Main writes the same words with the payment and prints them
 * on the confirmation, which is the customer's written notice of the authorization, so the screen
 * and main compose them with this one function.
 */
export interface PhoneDebitTerms {
  customerName: string;
  amountCents: number;
  /** YYYY-MM-DD: the business date the debit is made (the day the payment is taken). */
  debitDate: string;
  /** The last four digits of the bank account. */
  last4: string;
  companyName: string;
  companyPhone: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "December 3, 2026": spelled out, as it is read aloud. */
export function spokenDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${MONTHS[(m ?? 1) - 1]} ${d}, ${y}`;
}

export function phoneDebitWording(t: PhoneDebitTerms): string {
  const date = spokenDate(t.debitDate);
  return (
    `Today, ${date}, ${t.customerName} authorizes ${t.companyName} to make a single electronic debit of ` +
    `${formatCents(t.amountCents)} from the bank account ending in ${t.last4}, on ${date}. ` +
    `This authorization is for this one debit only. ` +
    `For questions, or to cancel it before it is processed, call ${t.companyName} at ${t.companyPhone}. ` +
    `A written confirmation of this authorization will be sent to you. Do you authorize this debit?`
  );
}
