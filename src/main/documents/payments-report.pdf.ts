import type { AppSettings } from '../../shared/settings';
import type { PaymentsReport, PaymentsReportAmounts } from '../../shared/contract/reports';
import type { FontBytes } from './fonts';
import { formatDate, formatMoney } from './format.rules';
import {
  ACCENT,
  CONTENT_WIDTH,
  Flow,
  MARGIN_X,
  SHADE,
  box,
  createPdf,
  drawContinuationHeader,
  drawLetterhead,
  drawPageFooters,
  drawTable,
  drawText,
  finishPdf,
  labelValue,
  type Column,
  type TableRow,
} from './pdf.layout';
import type { RenderedPdf } from './confirmation.pdf';

/**
 * The payments report on paper: the range's totals, the tables by method and by clerk (captured,
 * refunds and voids in columns of their own, then net), and every line of the range.
 */
export async function renderPaymentsReportPdf(report: PaymentsReport, settings: AppSettings, fonts: FontBytes): Promise<RenderedPdf> {
  const kit = await createPdf(fonts, settings);
  const money = (c: number) => formatMoney(c, settings.numberFormat);
  const date = (d: string) => formatDate(d, settings.dateFormat);
  const range = report.from === report.to ? date(report.from) : `${date(report.from)} to ${date(report.to)}`;
  const flow = new Flow(
    kit,
    (page) => drawContinuationHeader(kit, page, settings.company.name, `Payments report ${range} (continued)`),
    (page) => drawLetterhead(kit, page, 'PAYMENTS REPORT'),
  );

  // The range and its totals.
  const t = report.totals;
  box(flow.page, MARGIN_X, flow.y, CONTENT_WIDTH, 84, SHADE);
  let y = flow.y + 17;
  const w = CONTENT_WIDTH / 2 - 24;
  labelValue(kit, flow.page, 'Business dates', range, MARGIN_X + 12, w, y);
  y = labelValue(kit, flow.page, 'Captured', money(t.capturedCents), MARGIN_X + CONTENT_WIDTH / 2 + 12, w, y);
  y = labelValue(kit, flow.page, 'Refunded', money(-t.refundedCents), MARGIN_X + CONTENT_WIDTH / 2 + 12, w, y);
  y = labelValue(kit, flow.page, 'Voided', money(-t.voidedCents), MARGIN_X + CONTENT_WIDTH / 2 + 12, w, y);
  labelValue(kit, flow.page, 'Net', money(t.netCents), MARGIN_X + CONTENT_WIDTH / 2 + 12, w, y + 3, { bold: true, size: 12 });
  flow.y += 102;

  const amountColumns: Column[] = [
    { header: 'Payments', width: 54, align: 'right' },
    { header: 'Captured', width: 74, align: 'right' },
    { header: 'Refunds', width: 74, align: 'right' },
    { header: 'Voids', width: 74, align: 'right' },
    { header: 'Net', width: 80, align: 'right' },
  ];
  const amounts = (a: PaymentsReportAmounts) => [
    String(a.capturedCount),
    money(a.capturedCents),
    a.refundCount > 0 ? `${money(-a.refundedCents)} (${a.refundCount})` : money(0),
    a.voidCount > 0 ? `${money(-a.voidedCents)} (${a.voidCount})` : money(0),
    money(a.netCents),
  ];
  const totalRow = (): TableRow => ({
    cells: ['Total', String(t.byMethod.reduce((s, m) => s + m.capturedCount, 0)), money(t.capturedCents), money(-t.refundedCents), money(-t.voidedCents), money(t.netCents)],
    bold: true,
    ruleAbove: true,
  });
  const section = (title: string) => {
    flow.ensure(60);
    drawText(kit, flow.page, title, MARGIN_X, flow.y, { size: 10.5, bold: true, color: ACCENT });
    flow.y += 8;
  };

  section('By payment method');
  const methodRows: TableRow[] = t.byMethod.map((m) => ({ cells: [m.label, ...amounts(m)] }));
  if (methodRows.length === 0) methodRows.push({ cells: ['No payments in this range'] });
  drawTable(flow, MARGIN_X, [{ header: 'Method', width: CONTENT_WIDTH - 356 }, ...amountColumns], [...methodRows, totalRow()]);
  flow.y += 18;

  section('By clerk');
  const clerkRows: TableRow[] = t.byClerk.map((c) => ({ cells: [c.name ? `${c.name} (${c.clerk})` : c.clerk, ...amounts(c)] }));
  if (clerkRows.length === 0) clerkRows.push({ cells: ['No payments in this range'] });
  drawTable(flow, MARGIN_X, [{ header: 'Clerk', width: CONTENT_WIDTH - 356 }, ...amountColumns], [...clerkRows, totalRow()]);
  flow.y += 18;

  section('Payments, voids and refunds');
  const lineRows: TableRow[] = report.payments.map((l) => ({
    cells: [date(l.businessDate), l.type === 'payment' ? 'Payment' : l.type === 'void' ? 'Void' : 'Refund', l.confirmationNumber ?? '', `${l.customerNumber} ${l.customerName}`, l.method, l.clerk, money(l.amountCents)],
  }));
  if (lineRows.length === 0) lineRows.push({ cells: ['None'] });
  drawTable(flow, MARGIN_X, [
    { header: 'Date', width: 62 },
    { header: 'Type', width: 44 },
    { header: 'Confirmation', width: 76 },
    { header: 'Customer', width: 104 },
    { header: 'Method', width: 86 },
    { header: 'Clerk', width: midWidth() },
    { header: 'Amount', width: 68, align: 'right' },
  ], lineRows);

  // Balances let go are no money: listed apart, after the money, and in no total above.
  if (report.writeOffs.length > 0) {
    flow.y += 18;
    section('Write-offs (not payments)');
    const total = report.writeOffs.reduce((s, w) => s + w.amountCents, 0);
    drawTable(flow, MARGIN_X, [
      { header: 'Date', width: 62 },
      { header: 'Invoice', width: 70 },
      { header: 'Customer', width: 120 },
      { header: 'Clerk', width: 80 },
      { header: 'Reason', width: CONTENT_WIDTH - (62 + 70 + 120 + 80 + 68) },
      { header: 'Written off', width: 68, align: 'right' },
    ], [
      ...report.writeOffs.map((w) => ({ cells: [date(w.writtenOn), w.invoiceNumber, `${w.customerNumber} ${w.customerName}`, w.approvedBy ? `${w.clerk} (approved by ${w.approvedBy})` : w.clerk, w.reason, money(w.amountCents)] })),
      { cells: ['Total', '', '', '', `${report.writeOffs.length} write-off${report.writeOffs.length === 1 ? '' : 's'}`, money(total)], bold: true, ruleAbove: true },
    ]);
  }

  drawPageFooters(kit, flow.pages, `${settings.company.name} · Payments report ${range}`);
  const bytes = await finishPdf(kit, {
    title: `Payments report ${report.from} to ${report.to}`,
    subject: `Payments ${report.from} to ${report.to}`,
    at: `${report.to}T00:00:00.000Z`,
    identity: `payments-report:${report.from}:${report.to}:${report.payments.length}:${t.netCents}`,
  });
  return { bytes, pageCount: kit.doc.getPageCount() };
}

/** What is left of the line for the clerk column. */
function midWidth(): number {
  return CONTENT_WIDTH - (62 + 44 + 76 + 104 + 86 + 68);
}
