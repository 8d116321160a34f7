import type { PDFPage, RGB } from 'pdf-lib';
import type { AppSettings } from '../../shared/settings';
import type { ConfirmationData } from './confirmation.repo';
import type { FontBytes } from './fonts';
import { formatInstant, formatMoney } from './format.rules';
import {
  ACCENT,
  ALERT,
  ALERT_SHADE,
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
  wrapText,
  type TableRow,
} from './pdf.layout';

/**
 * What a confirmation says about its payment. Only a captured payment is called paid; a declined,
 * voided, failed or pending one says so in its title and banner and nowhere uses the word. Money
 * received at the desk (a check, cash, a wire or transfer) was never charged: it says received.
 */
export function confirmationWording(d: Pick<ConfirmationData, 'status' | 'kind'> & { receivedVia?: ConfirmationData['receivedVia'] }) {
  const received = d.receivedVia != null;
  const methodColumn = received ? RECEIVED_COLUMN[d.receivedVia!] : d.kind === 'card' ? 'From card' : d.kind === 'bank' ? 'From bank account' : 'From payment';
  switch (d.status) {
    case 'captured':
      return { title: 'PAYMENT CONFIRMATION', alert: false, amountLabel: received ? 'Amount received' : 'Amount charged', tableTitle: 'Invoices paid', balanceLabel: 'New open balance', methodColumn };
    case 'voided':
      return { title: 'PAYMENT VOIDED', alert: true, amountLabel: 'Amount voided', tableTitle: 'Invoices this payment was applied to (reversed by the void)', balanceLabel: 'Open balance after the void', methodColumn };
    case 'declined':
      return { title: 'PAYMENT DECLINED', alert: true, amountLabel: 'Amount declined', tableTitle: 'Invoices in this attempt (nothing was applied)', balanceLabel: 'Open balance (unchanged)', methodColumn };
    case 'failed':
      return { title: 'PAYMENT FAILED', alert: true, amountLabel: 'Amount not charged', tableTitle: 'Invoices in this attempt (nothing was applied)', balanceLabel: 'Open balance (unchanged)', methodColumn };
    case 'pending':
      return { title: 'PAYMENT PENDING', alert: true, amountLabel: 'Amount pending', tableTitle: 'Invoices it will be applied to once confirmed', balanceLabel: 'Open balance (before this payment)', methodColumn };
  }
}

const RECEIVED_COLUMN: Record<NonNullable<ConfirmationData['receivedVia']>, string> = {
  check: 'By check',
  cash: 'In cash',
  wire: 'By wire',
  transfer: 'By transfer',
};

/** Who took a phone-debit authorization and when, as the confirmation and its email state it. */
export function phoneAuthorizationLine(a: NonNullable<ConfirmationData['authorization']>, settings: AppSettings): string {
  const at = formatInstant(a.at, settings);
  return `Authorized by the customer on the phone on ${at.date} at ${at.time}; read by ${a.by}.`;
}

function bannerText(d: ConfirmationData, settings: AppSettings): string | null {
  const reason = d.decline?.message ?? d.decline?.code ?? null;
  switch (d.status) {
    case 'captured':
      return null;
    case 'declined':
      return `DECLINED. This payment was declined and nothing was charged.${reason ? ` Reason: ${reason}.` : ''}`;
    case 'failed':
      return `FAILED. This payment could not be completed and nothing was charged.${reason ? ` Reason: ${reason}.` : ''}`;
    case 'pending':
      return 'PENDING. The payment processor has not confirmed this payment yet. This is not a receipt.';
    case 'voided': {
      const when = d.voidedAt ? formatInstant(d.voidedAt, settings) : null;
      const v = d.reversals.find((r) => r.kind === 'void' && r.status === 'completed');
      return (
        `VOIDED. This payment was voided${when ? ` on ${when.date} at ${when.time}` : ''}: ${d.receivedVia ? 'it was reversed' : 'the charge was cancelled'} ` +
        `and the invoices below were reopened.${v ? ` Reason: ${v.reason}.` : ''}`
      );
    }
  }
}

export interface RenderedPdf {
  bytes: Uint8Array;
  pageCount: number;
}

export async function renderConfirmationPdf(d: ConfirmationData, settings: AppSettings, fonts: FontBytes): Promise<RenderedPdf> {
  const kit = await createPdf(fonts, settings);
  const money = (c: number) => formatMoney(c, settings.numberFormat);
  const words = confirmationWording(d);
  const titleColor: RGB = words.alert ? ALERT : ACCENT;
  const reference = d.confirmationNumber ?? `Payment ${d.paymentId}`;
  const when = formatInstant(d.at, settings);

  const flow = new Flow(
    kit,
    (page) => drawContinuationHeader(kit, page, settings.company.name, `${words.title.charAt(0)}${words.title.slice(1).toLowerCase()} ${reference} (continued)`),
    (page) => drawLetterhead(kit, page, words.title, titleColor),
  );
  let page: PDFPage = flow.page;

  // Status banner
  const banner = bannerText(d, settings);
  if (banner) {
    const lines = wrapText(kit, banner, 10.5, CONTENT_WIDTH - 24, true);
    const h = 14 + lines.length * 14;
    box(page, MARGIN_X, flow.y, CONTENT_WIDTH, h, ALERT_SHADE, ALERT);
    lines.forEach((l, i) => drawText(kit, page, l, MARGIN_X + 12, flow.y + 17 + i * 14, { size: 10.5, bold: true, color: ALERT }));
    flow.y += h + 16;
  } else {
    drawText(kit, page, 'Thank you. We have received your payment.', MARGIN_X, flow.y + 4, { size: 11, bold: true, color: ACCENT });
    flow.y += 20;
  }

  // Customer (left) and payment facts (right)
  const top = flow.y;
  const leftWidth = 230;
  drawText(kit, page, 'CUSTOMER', MARGIN_X, top + 8, { size: 7.5, bold: true, color: MUTED });
  let ly = top + 24;
  drawText(kit, page, d.customer.legalName, MARGIN_X, ly, { size: 11, bold: true, maxWidth: leftWidth });
  ly += 14;
  drawText(kit, page, `Customer number ${d.customer.number}`, MARGIN_X, ly, { size: 9, color: MUTED, maxWidth: leftWidth });
  ly += 13;
  if (d.customer.billingContact) {
    drawText(kit, page, `Attn: ${d.customer.billingContact}`, MARGIN_X, ly, { size: 9.5, maxWidth: leftWidth });
    ly += 12.5;
  }
  for (const line of d.customer.addressLines) {
    drawText(kit, page, line, MARGIN_X, ly, { size: 9.5, maxWidth: leftWidth });
    ly += 12.5;
  }

  const rx = MARGIN_X + 262;
  const rw = CONTENT_WIDTH - 262;
  const factsHeight = 142;
  box(page, rx, top, rw, factsHeight, SHADE);
  drawText(kit, page, d.confirmationNumber ? 'CONFIRMATION NUMBER' : 'REFERENCE', rx + 12, top + 16, { size: 7.5, bold: true, color: MUTED });
  drawText(kit, page, reference, rx + 12, top + 38, { size: 19, bold: true, color: words.alert ? ALERT : INK, maxWidth: rw - 24 });
  let ry = top + 60;
  ry = labelValue(kit, page, 'Date', when.date, rx + 12, rw - 24, ry);
  ry = labelValue(kit, page, 'Time', when.time, rx + 12, rw - 24, ry);
  ry = labelValue(kit, page, 'Method', d.methodText, rx + 12, rw - 24, ry);
  ry = labelValue(kit, page, words.amountLabel, money(d.amountCents), rx + 12, rw - 24, ry, { bold: true, color: words.alert ? ALERT : INK });
  labelValue(kit, page, 'Clerk', d.clerk, rx + 12, rw - 24, ry);
  flow.y = Math.max(ly, top + factsHeight) + 24;

  // Invoices
  flow.ensure(60);
  page = flow.page;
  drawText(kit, page, words.tableTitle, MARGIN_X, flow.y, { size: 10.5, bold: true, color: words.alert ? ALERT : ACCENT });
  flow.y += 8;
  const rows: TableRow[] = [];
  let fromMethod = 0;
  let fromCredits = 0;
  let total = 0;
  for (const line of d.lines) {
    const credits = line.credits.reduce((s, c) => s + c.cents, 0);
    rows.push({ cells: [`Invoice ${line.invoiceNumber}`, money(line.fromMethodCents), money(credits), money(line.totalCents)] });
    for (const c of line.credits) rows.push({ cells: [`Credit ${c.creditNumber}`, '', money(c.cents), ''], detail: true });
    fromMethod += line.fromMethodCents;
    fromCredits += credits;
    total += line.totalCents;
  }
  if (rows.length === 0) rows.push({ cells: ['No invoices', '', '', ''], color: MUTED });
  rows.push({ cells: ['Total', money(fromMethod), money(fromCredits), money(total)], bold: true, ruleAbove: true });
  drawTable(flow, MARGIN_X, [
    { header: 'Invoice', width: 180 },
    { header: words.methodColumn, width: 108, align: 'right' },
    { header: 'From credits', width: 108, align: 'right' },
    { header: 'Total', width: 108, align: 'right' },
  ], rows);
  flow.y += 18;

  // Credits used and balances
  const summaryRows: { label: string; value: string; bold?: boolean; color?: RGB }[] = [];
  if (d.status === 'captured') {
    // Received money's method (number, bank, reference) is in the facts above; this line says how it came.
    summaryRows.push({ label: d.receivedVia ? `Received ${words.methodColumn.toLowerCase()}` : `Charged to ${d.methodText}`, value: money(d.amountCents) });
    summaryRows.push({ label: 'Credits applied', value: money(d.creditsAppliedCents) });
  }
  summaryRows.push({ label: 'Credits left on account', value: money(d.creditsLeftCents) });
  summaryRows.push({ label: words.balanceLabel, value: money(d.openBalanceCents), bold: true });
  const creditLines = d.creditsUsed.map(
    (c) => `Credit ${c.creditNumber}: ${money(c.appliedCents)} ${d.status === 'captured' ? 'used' : 'in this attempt'}, ${money(c.remainingCents)} left`,
  );
  const blockHeight = Math.max(summaryRows.length * 16 + 18, creditLines.length * 13 + 20);
  flow.ensure(blockHeight + 10);
  page = flow.page;
  if (creditLines.length > 0) {
    drawText(kit, page, 'CREDITS', MARGIN_X, flow.y + 8, { size: 7.5, bold: true, color: MUTED });
    creditLines.forEach((l, i) => drawText(kit, page, l, MARGIN_X, flow.y + 24 + i * 13, { size: 9, maxWidth: 240 }));
  }
  const sx = MARGIN_X + 262;
  const sw = CONTENT_WIDTH - 262;
  box(page, sx, flow.y, sw, summaryRows.length * 16 + 14, SHADE);
  let sy = flow.y + 17;
  for (const r of summaryRows) {
    sy = labelValue(kit, page, r.label, r.value, sx + 12, sw - 24, sy, { bold: r.bold ?? false, size: r.bold ? 10.5 : 9.5, ...(r.color ? { color: r.color } : {}) });
    sy += r.bold ? 0 : 1.5;
  }
  flow.y += blockHeight + 14;

  // Voids and refunds after the fact
  const later = d.reversals.filter((r) => r.status === 'completed');
  if (later.length > 0) {
    flow.ensure(24 + later.length * 13);
    page = flow.page;
    drawText(kit, page, 'Reversals', MARGIN_X, flow.y, { size: 10.5, bold: true, color: ALERT });
    flow.y += 16;
    for (const r of later) {
      const at = formatInstant(r.at, settings);
      const what = r.kind === 'void' ? 'Voided' : 'Refunded';
      const text = `${what} ${money(r.amountCents)} on ${at.date} at ${at.time}${r.invoiceNumber ? ` (invoice ${r.invoiceNumber})` : ''} by ${r.by}: ${r.reason}`;
      for (const l of wrapText(kit, text, 9, CONTENT_WIDTH)) {
        flow.ensure(13);
        drawText(kit, flow.page, l, MARGIN_X, flow.y, { size: 9 });
        flow.y += 13;
      }
    }
    flow.y += 8;
  }

  // The customer's written notice of the debit they authorized on the phone (NACHA telephone-initiated entries).
  if (d.authorization) {
    const lines = [
      ...wrapText(kit, d.authorization.wording, 9, CONTENT_WIDTH),
      '',
      ...wrapText(kit, phoneAuthorizationLine(d.authorization, settings), 9, CONTENT_WIDTH),
    ];
    flow.ensure(24 + Math.min(lines.length, 6) * 13);
    drawText(kit, flow.page, 'Authorization', MARGIN_X, flow.y, { size: 10.5, bold: true, color: ACCENT });
    flow.y += 16;
    for (const l of lines) {
      flow.ensure(13);
      if (l) drawText(kit, flow.page, l, MARGIN_X, flow.y, { size: 9 });
      flow.y += l ? 13 : 6;
    }
    flow.y += 8;
  }

  flow.ensure(30);
  page = flow.page;
  const closing =
    d.status === 'captured'
      ? `Please keep this confirmation for your records. Questions? Call ${settings.company.phone} or write to ${settings.company.email}.`
      : `Questions? Call ${settings.company.phone} or write to ${settings.company.email}.`;
  for (const l of wrapText(kit, closing, 8.5, CONTENT_WIDTH)) {
    drawText(kit, page, l, MARGIN_X, flow.y, { size: 8.5, color: MUTED });
    flow.y += 11;
  }

  drawPageFooters(kit, flow.pages, `${settings.company.name} · ${words.title.charAt(0)}${words.title.slice(1).toLowerCase()} · ${reference} · ${d.customer.number}`);
  const bytes = await finishPdf(kit, {
    title: `${words.title.charAt(0)}${words.title.slice(1).toLowerCase()} ${reference}`,
    subject: `${d.customer.number} ${d.customer.legalName}`,
    at: d.documentTime,
    identity: `confirmation:${d.paymentId}:${d.status}:${d.documentTime}`,
  });
  return { bytes, pageCount: flow.pages.length };
}
