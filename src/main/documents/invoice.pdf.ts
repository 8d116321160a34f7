import type { AppSettings } from '../../shared/settings';
import type { InvoiceData } from './documents.repo';
import type { FontBytes } from './fonts';
import { formatDate, formatInstant, formatMoney } from './format.rules';
import {
  ACCENT,
  ALERT,
  ALERT_SHADE,
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
  wrapText,
  type TableRow,
} from './pdf.layout';
import { WINDOW_ADDRESS, howToPayText, windowAddressLines } from './statement.pdf';
import type { RenderedPdf } from './confirmation.pdf';

function percent(bp: number): string {
  const whole = Math.floor(bp / 100);
  const frac = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}%` : `${whole}%`;
}

/** An invoice as issued (for reprints): it shows the invoice itself, not today's payments, so every reprint is the same. */
export async function renderInvoicePdf(inv: InvoiceData, settings: AppSettings, fonts: FontBytes): Promise<RenderedPdf> {
  const kit = await createPdf(fonts, settings);
  const money = (c: number) => formatMoney(c, settings.numberFormat);
  const date = (d: string) => formatDate(d, settings.dateFormat);
  const isVoid = inv.status === 'void';
  const flow = new Flow(
    kit,
    (page) => drawContinuationHeader(kit, page, settings.company.name, `Invoice ${inv.invoiceNumber} (continued)`),
    (page) => drawLetterhead(kit, page, isVoid ? 'INVOICE (VOID)' : 'INVOICE', isVoid ? ALERT : ACCENT),
  );
  const page = flow.page;

  // Placed as the statement's, for a #10 window envelope: a mailed invoice needs no address label.
  drawText(kit, page, 'BILL TO', WINDOW_ADDRESS.left, WINDOW_ADDRESS.firstBaseline - 16, { size: 7.5, bold: true, color: ACCENT });
  windowAddressLines(inv.customer).forEach((line, i) =>
    drawText(kit, page, line, WINDOW_ADDRESS.left, WINDOW_ADDRESS.firstBaseline + i * WINDOW_ADDRESS.lineHeight, {
      size: 10,
      bold: i === 0,
      maxWidth: WINDOW_ADDRESS.width,
    }),
  );

  const fx = MARGIN_X + 300;
  const fw = CONTENT_WIDTH - 300;
  const ftop = WINDOW_ADDRESS.firstBaseline - 26;
  const facts: [string, string][] = [
    ['Invoice number', inv.invoiceNumber],
    ['Customer number', inv.customer.number],
    ['Issue date', date(inv.issueDate)],
    ['Due date', date(inv.dueDate)],
    ['Terms', inv.customer.termsDays === 0 ? 'Due on receipt' : `Net ${inv.customer.termsDays}`],
  ];
  if (inv.periodStart && inv.periodEnd) facts.push(['Period', `${date(inv.periodStart)} – ${date(inv.periodEnd)}`]);
  box(page, fx, ftop, fw, facts.length * 14.5 + 12, SHADE);
  let fy = ftop + 17;
  for (const [label, value] of facts) fy = labelValue(kit, page, label, value, fx + 12, fw - 24, fy);
  flow.y = Math.max(WINDOW_ADDRESS.firstBaseline + WINDOW_ADDRESS.lineHeight * WINDOW_ADDRESS.maxLines, ftop + facts.length * 14.5 + 12) + 22;

  if (isVoid) {
    const when = inv.voidedAt ? formatInstant(inv.voidedAt, settings) : null;
    const text = `VOID. This invoice was voided${when ? ` on ${when.date}` : ''}${inv.voidReason ? `: ${inv.voidReason}` : ''}. Nothing is owed on it.`;
    const lines = wrapText(kit, text, 10.5, CONTENT_WIDTH - 24, true);
    box(page, MARGIN_X, flow.y, CONTENT_WIDTH, 14 + lines.length * 14, ALERT_SHADE, ALERT);
    lines.forEach((l, i) => drawText(kit, page, l, MARGIN_X + 12, flow.y + 17 + i * 14, { size: 10.5, bold: true, color: ALERT }));
    flow.y += 30 + lines.length * 14;
  }

  const descWidth = 270;
  const rows: TableRow[] = [];
  for (const l of inv.lines) {
    const desc = wrapText(kit, l.description, 9, descWidth - 10);
    rows.push({
      cells: [desc[0] ?? '', String(l.quantity), money(l.unitPriceCents), `${money(l.amountCents)}${l.taxable ? ' T' : ''}`],
    });
    for (const more of desc.slice(1)) rows.push({ cells: [more, '', '', ''], detail: true });
  }
  if (rows.length === 0) rows.push({ cells: ['(no lines)', '', '', ''] });
  drawTable(flow, MARGIN_X, [
    { header: 'Description', width: descWidth },
    { header: 'Qty', width: 50, align: 'right' },
    { header: 'Unit price', width: 88, align: 'right' },
    { header: 'Amount', width: 96, align: 'right' },
  ], rows);
  flow.y += 14;

  flow.ensure(70);
  const tx = MARGIN_X + 262;
  const tw = CONTENT_WIDTH - 262;
  box(flow.page, tx, flow.y, tw, 62, SHADE);
  let ty = flow.y + 18;
  ty = labelValue(kit, flow.page, 'Subtotal', money(inv.subtotalCents), tx + 12, tw - 24, ty);
  ty = labelValue(kit, flow.page, `Tax (${percent(inv.taxRateBp)} on lines marked T)`, money(inv.taxCents), tx + 12, tw - 24, ty);
  labelValue(kit, flow.page, isVoid ? 'Total (void)' : 'Total due', money(inv.totalCents), tx + 12, tw - 24, ty + 3, {
    bold: true,
    size: 12,
    ...(isVoid ? { color: ALERT } : {}),
  });
  if (!isVoid) {
    const due = `Please pay by ${date(inv.dueDate)}.`;
    drawText(kit, flow.page, due, MARGIN_X, flow.y + 18, { size: 10, bold: true, maxWidth: 250 });
  }
  flow.y += 80;

  if (!isVoid) {
    const lines = wrapText(kit, howToPayText(settings, inv.customer.number), 9, CONTENT_WIDTH - 24);
    flow.ensure(30 + lines.length * 12);
    box(flow.page, MARGIN_X, flow.y, CONTENT_WIDTH, 26 + lines.length * 12, SHADE);
    drawText(kit, flow.page, 'HOW TO PAY', MARGIN_X + 12, flow.y + 15, { size: 7.5, bold: true, color: ACCENT });
    lines.forEach((l, i) => drawText(kit, flow.page, l, MARGIN_X + 12, flow.y + 30 + i * 12, { size: 9 }));
  }

  drawPageFooters(kit, flow.pages, `${settings.company.name} · Invoice ${inv.invoiceNumber} · ${inv.customer.number} ${inv.customer.legalName}`);
  const bytes = await finishPdf(kit, {
    title: `Invoice ${inv.invoiceNumber}`,
    subject: `${inv.customer.number} ${inv.customer.legalName}`,
    at: inv.voidedAt ?? inv.createdAt,
    identity: `invoice:${inv.invoiceNumber}:${inv.status === 'void' ? 'void' : 'issued'}`,
  });
  return { bytes, pageCount: flow.pages.length };
}
