import { CARD_BRAND_NAMES, type CardBrand } from '../../shared/cards';
import type {
  PaymentsReportAmounts,
  PaymentsReportClerkRow,
  PaymentsReportLine,
  PaymentsReportMethodRow,
  PaymentsReportTotals,
} from '../../shared/contract/reports';
import { paymentMethodLabel } from './payments.rules';

/** Pure parts of the payments report: the method names, and the totals rolled up from the aggregation's groups. */

/** One group of the report's single aggregation pass. */
export interface PaymentsReportGroup {
  event: 'payment' | 'void' | 'refund';
  /** The method's kind: the payment's kind, or wire / transfer for money received so (stored as bank). */
  kind: string;
  /** The card brand for a card, null for every other kind. */
  brand: string | null;
  clerk: string;
  count: number;
  cents: number;
}

export interface PaymentsReportLineRow {
  business_date: string;
  event: 'payment' | 'void' | 'refund';
  payment_id: number;
  reversal_id: number | null;
  confirmation_number: string | null;
  customer_number: string;
  legal_name: string;
  kind: string;
  brand: string | null;
  last4: string | null;
  clerk: string;
  amount_cents: number;
  note: string;
}


const KIND_LABELS: Readonly<Record<string, string>> = {
  card: 'Card',
  bank: 'Bank account',
  check: 'Check',
  cash: 'Cash',
  wire: 'Wire',
  transfer: 'Bank transfer',
  import: 'Prior payment',
};

/** "Visa" for a card brand; for any other kind its name, so a kind added later shows as it is stored ("money_order" → "Money order"). */
export function methodLabel(kind: string, brand: string | null): string {
  if (kind === 'card' && brand) return CARD_BRAND_NAMES[brand as CardBrand] ?? brand.charAt(0).toUpperCase() + brand.slice(1);
  const known = KIND_LABELS[kind];
  if (known) return known;
  const words = kind.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The grouping key of a method: card:visa, bank, check, cash, wire, transfer… */
export function methodKey(kind: string, brand: string | null): string {
  return kind === 'card' ? `card:${brand ?? 'unknown'}` : kind;
}

export function emptyAmounts(): PaymentsReportAmounts {
  return { capturedCount: 0, capturedCents: 0, refundCount: 0, refundedCents: 0, voidCount: 0, voidedCents: 0, netCents: 0 };
}

function add(a: PaymentsReportAmounts, g: PaymentsReportGroup): void {
  if (g.event === 'payment') {
    a.capturedCount += g.count;
    a.capturedCents += g.cents;
  } else if (g.event === 'refund') {
    a.refundCount += g.count;
    a.refundedCents += g.cents;
  } else {
    a.voidCount += g.count;
    a.voidedCents += g.cents;
  }
  a.netCents = a.capturedCents - a.refundedCents - a.voidedCents;
}

/** Cards first by brand name, then the other kinds by name. */
function methodOrder(a: PaymentsReportMethodRow, b: PaymentsReportMethodRow): number {
  if ((a.kind === 'card') !== (b.kind === 'card')) return a.kind === 'card' ? -1 : 1;
  return a.label.localeCompare(b.label, 'en');
}

/** The report's totals from the aggregation's groups: by method, by clerk, and the whole range. */
export function rollUpTotals(groups: readonly PaymentsReportGroup[], clerkNames: ReadonlyMap<string, string>): PaymentsReportTotals {
  const byMethod = new Map<string, PaymentsReportMethodRow>();
  const byClerk = new Map<string, PaymentsReportClerkRow>();
  const all = emptyAmounts();
  for (const g of groups) {
    const key = methodKey(g.kind, g.brand);
    let m = byMethod.get(key);
    if (!m) byMethod.set(key, (m = { method: key, label: methodLabel(g.kind, g.brand), kind: g.kind, brand: g.kind === 'card' ? g.brand : null, ...emptyAmounts() }));
    add(m, g);
    let c = byClerk.get(g.clerk);
    if (!c) byClerk.set(g.clerk, (c = { clerk: g.clerk, name: clerkNames.get(g.clerk) ?? null, ...emptyAmounts() }));
    add(c, g);
    add(all, g);
  }
  return {
    byMethod: [...byMethod.values()].sort(methodOrder),
    byClerk: [...byClerk.values()].sort((a, b) => a.clerk.localeCompare(b.clerk, 'en')),
    capturedCents: all.capturedCents,
    refundedCents: all.refundedCents,
    voidedCents: all.voidedCents,
    netCents: all.netCents,
  };
}

export function reportLine(r: PaymentsReportLineRow): PaymentsReportLine {
  return {
    businessDate: r.business_date,
    type: r.event,
    paymentId: r.payment_id,
    reversalId: r.reversal_id,
    confirmationNumber: r.confirmation_number,
    customerNumber: r.customer_number,
    customerName: r.legal_name,
    kind: r.kind,
    brand: r.brand,
    last4: r.last4,
    method: r.last4 ? paymentMethodLabel(r.kind, r.brand, r.last4) : methodLabel(r.kind, r.brand),
    clerk: r.clerk,
    amountCents: r.amount_cents,
    note: r.note,
  };
}
