import type { DepositDto } from '../../shared/contract/received';
import type { AppSettings } from '../../shared/settings';
import type { FontBytes } from './fonts';
import { formatDate, formatInstant, formatMoney } from './format.rules';
import {
  ACCENT,
  CONTENT_WIDTH,
  Flow,
  MARGIN_X,
  createPdf,
  drawContinuationHeader,
  drawLetterhead,
  drawPageFooters,
  drawTable,
  drawText,
  finishPdf,
  labelValue,
  type TableRow,
} from './pdf.layout';
import type { RenderedPdf } from './confirmation.pdf';

/**
 * The deposit slip of a batch of received checks and cash: the office, the date, each check
 * (number, bank, customer, amount), the cash total, the grand total and the number of items.
 */
export async function renderDepositSlipPdf(d: DepositDto, settings: AppSettings, fonts: FontBytes): Promise<RenderedPdf> {
  const kit = await createPdf(fonts, settings);
  const money = (c: number) => formatMoney(c, settings.numberFormat);
  const date = (iso: string) => formatDate(iso, settings.dateFormat);
  const title = `Deposit ${d.depositId}`;
  const flow = new Flow(
    kit,
    (page) => drawContinuationHeader(kit, page, settings.company.name, `${title} (continued)`),
    (page) => drawLetterhead(kit, page, 'DEPOSIT SLIP', ACCENT),
  );

  const factsWidth = 240;
  const fx = MARGIN_X + CONTENT_WIDTH - factsWidth;
  let top = flow.y;
  drawText(kit, flow.page, 'Checks and cash received', MARGIN_X, top, { size: 11, bold: true, maxWidth: CONTENT_WIDTH - factsWidth - 20 });
  drawText(kit, flow.page, d.status === 'closed' ? 'Closed batch' : 'Open batch: not final until closed', MARGIN_X, top + 15, { size: 9, color: ACCENT });
  top = labelValue(kit, flow.page, 'Deposit number', String(d.depositId), fx, factsWidth, top, { bold: true });
  top = labelValue(kit, flow.page, 'Deposit date', date(d.depositDate), fx, factsWidth, top);
  if (d.closedAt) top = labelValue(kit, flow.page, 'Closed', `${formatInstant(d.closedAt, settings).date} by ${d.closedBy ?? ''}`, fx, factsWidth, top);
  flow.y = top + 14;

  const checks = d.items.filter((i) => i.kind === 'check');
  const cash = d.items.filter((i) => i.kind === 'cash');
  // Number, bank, customer and amount are what the bank reads; the customer column takes the room the others leave.
  const rows: TableRow[] = checks.map((i) => ({
    cells: [i.checkNumber ?? '', i.checkBank ?? '', `${i.customerName} (${i.customerNumber})${i.reversalId === null ? '' : ', returned'}`, money(i.amountCents)],
  }));
  if (rows.length === 0) rows.push({ cells: ['No checks', '', '', money(0)] });
  rows.push({ cells: [`Checks total, ${checks.length} item${checks.length === 1 ? '' : 's'}`, '', '', money(d.checksCents)], bold: true, ruleAbove: true });
  drawTable(
    flow,
    MARGIN_X,
    [
      { header: 'Check number', width: 80 },
      { header: 'Bank', width: 130 },
      { header: 'Customer', width: CONTENT_WIDTH - 290 },
      { header: 'Amount', width: 80, align: 'right' },
    ],
    rows,
  );
  flow.y += 16;

  const summary: TableRow[] = [
    { cells: ['Checks', String(checks.length), money(d.checksCents)] },
    { cells: ['Cash', String(cash.length), money(d.cashCents)] },
    { cells: ['Total deposit', `${d.itemCount} item${d.itemCount === 1 ? '' : 's'}`, money(d.totalCents)], bold: true, ruleAbove: true },
  ];
  drawTable(
    flow,
    MARGIN_X + CONTENT_WIDTH - 300,
    [
      { header: 'Summary', width: 140 },
      { header: 'Items', width: 70, align: 'right' },
      { header: 'Amount', width: 90, align: 'right' },
    ],
    summary,
  );

  drawPageFooters(kit, flow.pages, `${settings.company.name} · ${title} · ${date(d.depositDate)}`);
  const bytes = await finishPdf(kit, {
    title: `Deposit slip ${d.depositId}`,
    subject: `${settings.company.name} deposit of ${d.depositDate}`,
    at: d.closedAt ?? d.createdAt,
    identity: `deposit:${d.depositId}:${d.status}:${d.itemCount}:${d.totalCents}`,
  });
  return { bytes, pageCount: flow.pages.length };
}
