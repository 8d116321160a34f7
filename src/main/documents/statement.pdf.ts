import crypto from 'node:crypto';
import type { AppSettings } from '../../shared/settings';
import { AGING_BUCKETS, type AgingBucket } from '../ledger/aging.rules';
import type { StatementData } from './statement.repo';
import type { FontBytes } from './fonts';
import { formatDate, formatMoney } from './format.rules';
import {
  ACCENT,
  ALERT,
  CONTENT_WIDTH,
  Flow,
  INK,
  MARGIN_X,
  MUTED,
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
  settlePages,
  wrapText,
  type PdfKit,
  type TableRow,
} from './pdf.layout';
import type { PDFPage } from 'pdf-lib';
import type { RenderedPdf } from './confirmation.pdf';

export const BUCKET_LABELS: Record<AgingBucket, string> = {
  current: 'Current',
  days_1_30: '1-30 days',
  days_31_60: '31-60 days',
  days_61_90: '61-90 days',
  days_over_90: 'Over 90 days',
};

/**
 * Where the customer's address goes so it shows through a standard #10 window envelope
 * (window 4.5" x 1.125", 7/8" from the left and 1/2" from the bottom) when the letter is folded
 * in thirds: lines start 2.3" from the top and 1" from the left, at most five lines, 3.5" wide.
 */
export const WINDOW_ADDRESS = { left: 72, firstBaseline: 2.3 * 72, lineHeight: 12, maxLines: 5, width: 3.5 * 72 } as const;

/** The lines that fit the window: past five, the last (city, state, ZIP) replaces the fifth, so the post office can still read it. */
export function windowAddressLines(customer: { legalName: string; billingContact: string | null; addressLines: string[] }): string[] {
  const lines = [customer.legalName, ...(customer.billingContact ? [`Attn: ${customer.billingContact}`] : []), ...customer.addressLines];
  return lines.length > WINDOW_ADDRESS.maxLines ? [...lines.slice(0, WINDOW_ADDRESS.maxLines - 1), lines.at(-1)!] : lines;
}

export function howToPayText(settings: AppSettings, customerNumber: string): string {
  const c = settings.company;
  const mailTo = [c.name, ...c.addressLines].join(', ');
  return (
    `By card or bank account: call ${c.phone} and have your customer number ${customerNumber} ready. ` +
    `By check: make it payable to ${c.name}, write ${customerNumber} on it, and mail it to ${mailTo}. ` +
    `Questions: ${c.email}.`
  );
}

function drawStatement(kit: PdfKit, s: StatementData): PDFPage[] {
  const settings = kit.settings;
  const money = (c: number) => formatMoney(c, settings.numberFormat);
  const date = (d: string) => formatDate(d, settings.dateFormat);
  const flow = new Flow(
    kit,
    (page) => drawContinuationHeader(kit, page, settings.company.name, `Statement for ${s.customer.number} as of ${date(s.asOf)} (continued)`),
    (page) => drawLetterhead(kit, page, 'STATEMENT'),
  );
  const page = flow.page;

  // The envelope window block.
  windowAddressLines(s.customer).forEach((line, i) =>
    drawText(kit, page, line, WINDOW_ADDRESS.left, WINDOW_ADDRESS.firstBaseline + i * WINDOW_ADDRESS.lineHeight, {
      size: 10,
      bold: i === 0,
      maxWidth: WINDOW_ADDRESS.width,
    }),
  );

  // Statement facts beside the address.
  const fx = MARGIN_X + 300;
  const fw = CONTENT_WIDTH - 300;
  const ftop = WINDOW_ADDRESS.firstBaseline - 26;
  box(page, fx, ftop, fw, 96, SHADE);
  let fy = ftop + 17;
  fy = labelValue(kit, page, 'Statement date', date(s.asOf), fx + 12, fw - 24, fy);
  fy = labelValue(kit, page, 'Customer number', s.customer.number, fx + 12, fw - 24, fy);
  fy = labelValue(kit, page, 'Terms', s.customer.termsDays === 0 ? 'Due on receipt' : `Net ${s.customer.termsDays}`, fx + 12, fw - 24, fy);
  fy = labelValue(kit, page, 'Past due', money(s.pastDueCents), fx + 12, fw - 24, fy, { color: s.pastDueCents > 0 ? ALERT : INK });
  labelValue(kit, page, 'Balance due', money(s.balanceDueCents), fx + 12, fw - 24, fy + 3, { bold: true, size: 12 });

  flow.y = Math.max(WINDOW_ADDRESS.firstBaseline + WINDOW_ADDRESS.lineHeight * WINDOW_ADDRESS.maxLines, ftop + 96) + 22;

  // Aging strip.
  const cellW = CONTENT_WIDTH / (AGING_BUCKETS.length + 1);
  const strip = [...AGING_BUCKETS.map((b) => ({ label: BUCKET_LABELS[b], cents: s.buckets[b] })), { label: 'Total open', cents: s.openInvoicesCents }];
  strip.forEach((cell, i) => {
    const x = MARGIN_X + i * cellW;
    box(page, x + 1, flow.y, cellW - 2, 38, i === strip.length - 1 ? ACCENT : SHADE);
    const color = i === strip.length - 1 ? SHADE : MUTED;
    drawText(kit, page, cell.label, x + cellW / 2, flow.y + 13, { size: 7.5, bold: true, color, align: 'center' });
    drawText(kit, page, money(cell.cents), x + cellW / 2, flow.y + 29, {
      size: 10,
      bold: true,
      color: i === strip.length - 1 ? SHADE : i > 0 && cell.cents > 0 ? ALERT : INK,
      align: 'center',
      maxWidth: cellW - 8,
    });
  });
  flow.y += 58;

  // Open invoices.
  drawText(kit, page, 'Open invoices', MARGIN_X, flow.y, { size: 10.5, bold: true, color: ACCENT });
  flow.y += 8;
  const invoiceRows: TableRow[] = s.invoices.map((i) => ({
    cells: [
      i.disputed ? `${i.invoiceNumber} (disputed)` : i.invoiceNumber,
      date(i.issueDate),
      date(i.dueDate),
      money(i.totalCents),
      money(i.openCents),
      i.daysPastDue > 0 ? String(i.daysPastDue) : 'Current',
    ],
    ...(i.daysPastDue > 0 ? { color: INK } : {}),
  }));
  if (invoiceRows.length === 0) invoiceRows.push({ cells: ['No open invoices', '', '', '', '', ''], color: MUTED });
  invoiceRows.push({ cells: ['Total open invoices', '', '', '', money(s.openInvoicesCents), ''], bold: true, ruleAbove: true });
  drawTable(flow, MARGIN_X, [
    { header: 'Invoice', width: 118 },
    { header: 'Issued', width: 74 },
    { header: 'Due', width: 74 },
    { header: 'Amount', width: 80, align: 'right' },
    { header: 'Open', width: 80, align: 'right' },
    { header: 'Days past due', width: 78, align: 'right' },
  ], invoiceRows);
  flow.y += 18;

  // Unapplied credits.
  if (s.credits.length > 0) {
    flow.ensure(60);
    drawText(kit, flow.page, 'Unapplied credits', MARGIN_X, flow.y, { size: 10.5, bold: true, color: ACCENT });
    flow.y += 8;
    const creditRows: TableRow[] = s.credits.map((c) => ({ cells: [c.creditNumber, date(c.issueDate), c.reason, money(c.remainingCents)] }));
    creditRows.push({ cells: ['Total unapplied credits', '', '', money(s.creditsCents)], bold: true, ruleAbove: true });
    drawTable(flow, MARGIN_X, [
      { header: 'Credit', width: 120 },
      { header: 'Issued', width: 78 },
      { header: 'Reason', width: 224 },
      { header: 'Remaining', width: 82, align: 'right' },
    ], creditRows);
    flow.y += 18;
  }

  // Write-offs: balances the office let go, shown as such (not as payments or credits).
  if (s.writeOffs.length > 0) {
    flow.ensure(60);
    drawText(kit, flow.page, 'Write-offs', MARGIN_X, flow.y, { size: 10.5, bold: true, color: ACCENT });
    flow.y += 8;
    drawTable(flow, MARGIN_X, [
      { header: 'Invoice', width: 120 },
      { header: 'Date', width: 78 },
      { header: 'Reason', width: 224 },
      { header: 'Write-off', width: 82, align: 'right' },
    ], s.writeOffs.map((w) => ({ cells: [w.invoiceNumber, date(w.writtenOn), w.reason, money(w.amountCents)] })));
    flow.y += 18;
  }

  // Totals.
  flow.ensure(70);
  const tx = MARGIN_X + 262;
  const tw = CONTENT_WIDTH - 262;
  box(flow.page, tx, flow.y, tw, 62, SHADE);
  let ty = flow.y + 18;
  ty = labelValue(kit, flow.page, 'Total open invoices', money(s.openInvoicesCents), tx + 12, tw - 24, ty);
  ty = labelValue(kit, flow.page, 'Less unapplied credits', money(-s.creditsCents), tx + 12, tw - 24, ty);
  labelValue(kit, flow.page, 'Balance due', money(s.balanceDueCents), tx + 12, tw - 24, ty + 3, { bold: true, size: 12 });
  flow.y += 80;

  // How to pay.
  const lines = wrapText(kit, howToPayText(settings, s.customer.number), 9, CONTENT_WIDTH - 24);
  flow.ensure(30 + lines.length * 12);
  box(flow.page, MARGIN_X, flow.y, CONTENT_WIDTH, 26 + lines.length * 12, SHADE);
  drawText(kit, flow.page, 'HOW TO PAY', MARGIN_X + 12, flow.y + 15, { size: 7.5, bold: true, color: MUTED });
  lines.forEach((l, i) => drawText(kit, flow.page, l, MARGIN_X + 12, flow.y + 30 + i * 12, { size: 9 }));
  flow.y += 36 + lines.length * 12;

  drawPageFooters(kit, flow.pages, `${settings.company.name} · Statement for ${s.customer.number} ${s.customer.legalName} as of ${date(s.asOf)}`);
  return flow.pages;
}

export interface RenderedStatements extends RenderedPdf {
  /** First page (1-based) and page count of each customer's statement, in order. */
  parts: { customerNumber: string; firstPage: number; pageCount: number; balanceDueCents: number }[];
}

/** A PDF of statements being drawn one after another (a batch's file, or a single statement). */
export interface StatementsPdf {
  add(s: StatementData): void;
  readonly count: number;
  finish(): Promise<RenderedStatements>;
}

export async function startStatementsPdf(meta: { asOf: string; pastDueOnly: boolean }, settings: AppSettings, fonts: FontBytes): Promise<StatementsPdf> {
  const kit = await createPdf(fonts, settings);
  const parts: RenderedStatements['parts'] = [];
  const numbers = crypto.createHash('sha256');
  let single: StatementData | undefined;
  return {
    add(s) {
      const firstPage = kit.doc.getPageCount() + 1;
      const pages = drawStatement(kit, s);
      settlePages(pages);
      parts.push({ customerNumber: s.customer.number, firstPage, pageCount: pages.length, balanceDueCents: s.balanceDueCents });
      // The file's identity hashes the customer numbers joined by commas, as it always has.
      numbers.update(parts.length === 1 ? s.customer.number : `,${s.customer.number}`);
      single = parts.length === 1 ? s : undefined;
    },
    get count() {
      return parts.length;
    },
    async finish() {
      if (parts.length === 0) {
        const page = kit.doc.addPage();
        const y = drawLetterhead(kit, page, 'STATEMENTS');
        drawText(
          kit,
          page,
          `No customer had ${meta.pastDueOnly ? 'a past-due amount' : 'an open balance'} on ${formatDate(meta.asOf, settings.dateFormat)}.`,
          MARGIN_X,
          y + 10,
          { size: 11 },
        );
      }
      const bytes = await finishPdf(kit, {
        title: single
          ? `Statement for ${single.customer.number} as of ${meta.asOf}`
          : `Statements as of ${meta.asOf}${meta.pastDueOnly ? ' (past due)' : ''}`,
        subject: single ? `${single.customer.number} ${single.customer.legalName}` : `${parts.length} statements`,
        at: `${meta.asOf}T00:00:00.000Z`,
        identity: `statements:${meta.asOf}:${meta.pastDueOnly}:${numbers.digest('hex')}`,
      });
      return { bytes, pageCount: kit.doc.getPageCount(), parts };
    },
  };
}

/** One PDF with each statement starting on a new page (for a batch), or a single statement. */
export async function renderStatementsPdf(
  statements: StatementData[],
  meta: { asOf: string; pastDueOnly: boolean },
  settings: AppSettings,
  fonts: FontBytes,
): Promise<RenderedStatements> {
  const pdf = await startStatementsPdf(meta, settings, fonts);
  for (const s of statements) pdf.add(s);
  return pdf.finish();
}
