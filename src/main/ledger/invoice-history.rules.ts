/** An invoice's history for its screen, from its audit rows and its applications. Pure functions, no database. */
import type { InvoiceDto, InvoiceHistoryEntryDto } from '../../shared/contract/invoices';
import { formatCents } from '../../shared/money';

/** An audit-log row about one invoice, as invoices.repo reads it. */
export interface InvoiceAuditRow {
  at: string;
  action: string;
  actor: string;
  actorName: string | null;
  approvedBy: string | null;
  summary: string;
}

function summaryOf(row: InvoiceAuditRow): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(row.summary);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function auditText(row: InvoiceAuditRow): string {
  const s = summaryOf(row);
  const reason = typeof s.reason === 'string' && s.reason ? s.reason : null;
  switch (row.action) {
    case 'invoice.create':
      return typeof s.totalCents === 'number' ? `Created for ${formatCents(s.totalCents)}` : 'Created';
    case 'invoice.void':
      return reason ? `Voided: ${reason}` : 'Voided';
    case 'invoice.dispute':
      return reason ? `Marked disputed: ${reason}` : 'Marked disputed';
    case 'invoice.undispute':
      return reason ? `Dispute cleared: ${reason}` : 'Dispute cleared';
    case 'invoice.write_off': {
      const amount = typeof s.amountCents === 'number' ? `Written off ${formatCents(s.amountCents)}` : 'Written off';
      return reason ? `${amount}: ${reason}` : amount;
    }
    default:
      return row.action;
  }
}

function applicationText(a: InvoiceDto['applications'][number]): { action: string; text: string } {
  if (a.kind === 'write_off') return { action: 'write_off', text: `${formatCents(a.amountCents)} written off${a.reason ? `: ${a.reason}` : ''}` };
  const from = a.source === 'payment' ? `payment ${a.confirmationNumber ?? `#${a.paymentId ?? ''}`}` : `credit ${a.creditNumber ?? ''}`;
  if (a.reversesId !== null) {
    return { action: 'reversal', text: `${formatCents(-a.amountCents)} of ${from} taken back${a.reason ? `: ${a.reason}` : ''}` };
  }
  return { action: a.source, text: `${formatCents(a.amountCents)} applied from ${from}` };
}

/**
 * Audit rows and application rows merged by time, oldest first (an audit row before an application of the same instant).
 * A write-off's application is left out when its audit row (which names who approved it) is there.
 */
export function invoiceHistory(audit: readonly InvoiceAuditRow[], applications: InvoiceDto['applications']): InvoiceHistoryEntryDto[] {
  const audited = new Set(audit.filter((r) => r.action === 'invoice.write_off').map((r) => summaryOf(r).writeOffId));
  const entries: (InvoiceHistoryEntryDto & { order: number })[] = [
    ...audit.map((r, i) => ({
      at: r.at,
      action: r.action,
      text: auditText(r),
      actor: r.actor,
      approvedBy: r.approvedBy,
      order: i,
    })),
    ...applications.flatMap((a, i) =>
      a.writeOffId !== null && audited.has(a.writeOffId)
        ? []
        : [{ at: a.createdAt, ...applicationText(a), actor: a.createdBy, approvedBy: null, order: audit.length + i }],
    ),
  ];
  return entries
    .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.order - y.order))
    .map(({ order: _order, ...e }) => e);
}
