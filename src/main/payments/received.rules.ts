/**
 * Pure rules of money received outside the gateway: which fields each way of paying needs, the
 * received date, how the payment reads in lists. No database.
 */
import { validationError } from '../../shared/errors';
import type { PaymentKind, ReceivedVia } from '../db/schema';

export interface ReceivedFields {
  method: ReceivedVia;
  amountCents: number;
  receivedOn?: string | undefined;
  checkNumber?: string | undefined;
  checkBank?: string | undefined;
  reference?: string | undefined;
}

export interface CheckedReceived {
  via: ReceivedVia;
  kind: Extract<PaymentKind, 'check' | 'cash' | 'bank'>;
  amountCents: number;
  receivedOn: string;
  checkNumber: string | null;
  checkBank: string | null;
  reference: string | null;
}

/** A check number as compared for duplicates: spaces and leading zeros do not make another check. */
export function normalizeCheckNumber(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, '').replace(/^0+(?=.)/, '').toUpperCase();
}

function clean(text: string | undefined): string | null {
  const t = (text ?? '').trim();
  return t === '' ? null : t;
}

/** The fields the way of paying needs, or a field error naming the first one missing. */
export function checkReceivedFields(f: ReceivedFields, today: string): CheckedReceived {
  if (f.amountCents <= 0) throw validationError('amountCents', 'must be more than $0.00');
  const receivedOn = f.receivedOn ?? today;
  if (receivedOn > today) throw validationError('receivedOn', `cannot be in the future (today is ${today})`);
  const checkNumber = f.method === 'check' ? normalizeCheckNumber(f.checkNumber) || null : null;
  const checkBank = f.method === 'check' ? clean(f.checkBank) : null;
  if (f.method === 'check' && !checkNumber) throw validationError('checkNumber', 'is required for a check');
  if (f.method === 'check' && checkNumber && !/^[0-9A-Z-]{1,20}$/.test(checkNumber)) {
    throw validationError('checkNumber', 'must be the number printed on the check (digits, up to 20)');
  }
  if (f.method === 'check' && !checkBank) throw validationError('checkBank', 'is required for a check: the bank it is drawn on');
  const reference = f.method === 'wire' || f.method === 'transfer' ? clean(f.reference) : null;
  if ((f.method === 'wire' || f.method === 'transfer') && !reference) {
    throw validationError('reference', `is required for a ${f.method === 'wire' ? 'wire' : 'bank transfer'}: the bank's reference`);
  }
  return {
    via: f.method,
    kind: f.method === 'check' ? 'check' : f.method === 'cash' ? 'cash' : 'bank',
    amountCents: f.amountCents,
    receivedOn,
    checkNumber,
    checkBank,
    reference,
  };
}

/** "Check 1042 (First Federal)", "Cash", "Wire FW-22", "Bank transfer 88A1". */
export function receivedLabel(p: { received_via: ReceivedVia | null; check_number: string | null; check_bank: string | null; reference: string | null }): string {
  switch (p.received_via) {
    case 'check':
      return `Check ${p.check_number ?? ''}${p.check_bank ? ` (${p.check_bank})` : ''}`.trim();
    case 'cash':
      return 'Cash';
    case 'wire':
      return `Wire${p.reference ? ` ${p.reference}` : ''}`;
    case 'transfer':
      return `Bank transfer${p.reference ? ` ${p.reference}` : ''}`;
    default:
      return '';
  }
}
