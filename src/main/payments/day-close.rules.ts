import type { DayCloseBrandRow, DayCloseDifference } from '../../shared/contract/reports';
import type { SettledTransaction } from './gateway';
import { methodLabel } from './report.rules';

/**
 * The day's close compares AR Desk's card transactions of a business date with the gateway's
 * settlement report for the same date, transaction by transaction (by the gateway's transaction id)
 * and brand by brand (charges less voids and refunds). Pure: both sides are read by the caller.
 */

/** A card charge, void or refund of the day as the ledger has it. */
export interface LedgerCardTransaction {
  kind: 'charge' | 'void' | 'refund';
  transactionId: string | null;
  brand: string | null;
  last4: string | null;
  amountCents: number;
  confirmationNumber: string | null;
  customerNumber: string;
}

export interface CardComparison {
  cardNetCents: number;
  gatewayCardNetCents: number;
  brands: DayCloseBrandRow[];
  differences: DayCloseDifference[];
}

/** A charge adds money; a void or refund takes it back. */
const signed = (kind: 'charge' | 'void' | 'refund', cents: number) => (kind === 'charge' ? cents : -cents);

export function compareCardDay(ledger: readonly LedgerCardTransaction[], gateway: readonly SettledTransaction[]): CardComparison {
  const atGateway = gateway.filter((t) => t.sourceKind === 'card');
  const byBrand = new Map<string, { ar: number; gw: number }>();
  const brandRow = (brand: string | null) => {
    const key = brand ?? 'unknown';
    let row = byBrand.get(key);
    if (!row) byBrand.set(key, (row = { ar: 0, gw: 0 }));
    return row;
  };
  for (const t of ledger) brandRow(t.brand).ar += signed(t.kind, t.amountCents);
  for (const t of atGateway) brandRow(t.brand).gw += signed(t.kind, t.amountCents);

  const gatewayByKey = new Map(atGateway.map((t) => [`${t.kind}:${t.transactionId}`, t]));
  const matched = new Set<string>();
  const differences: DayCloseDifference[] = [];
  for (const t of ledger) {
    const key = `${t.kind}:${t.transactionId ?? ''}`;
    const g = t.transactionId === null ? undefined : gatewayByKey.get(key);
    const common = { kind: t.kind, transactionId: t.transactionId, brand: t.brand, last4: t.last4, confirmationNumber: t.confirmationNumber, customerNumber: t.customerNumber };
    if (!g) {
      differences.push({ problem: 'not_at_gateway', ...common, arDeskCents: t.amountCents, gatewayCents: null });
      continue;
    }
    matched.add(key);
    if (g.amountCents !== t.amountCents) differences.push({ problem: 'amount_differs', ...common, arDeskCents: t.amountCents, gatewayCents: g.amountCents });
  }
  for (const [key, g] of gatewayByKey) {
    if (matched.has(key)) continue;
    differences.push({
      problem: 'not_in_ar_desk',
      kind: g.kind,
      transactionId: g.transactionId,
      brand: g.brand,
      last4: g.last4,
      confirmationNumber: null,
      customerNumber: null,
      arDeskCents: null,
      gatewayCents: g.amountCents,
    });
  }
  const brands = [...byBrand]
    .map(([brand, v]) => ({ brand, label: methodLabel('card', brand), arDeskCents: v.ar, gatewayCents: v.gw, differenceCents: v.ar - v.gw }))
    .sort((a, b) => a.label.localeCompare(b.label, 'en'));
  return {
    cardNetCents: brands.reduce((s, b) => s + b.arDeskCents, 0),
    gatewayCardNetCents: brands.reduce((s, b) => s + b.gatewayCents, 0),
    brands,
    differences,
  };
}
