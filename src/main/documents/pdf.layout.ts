import crypto from 'node:crypto';
import fs from 'node:fs';
import { PDFDocument, PDFHexString, rgb, type PDFFont, type PDFImage, type PDFPage, type RGB } from 'pdf-lib';
import type { AppSettings } from '../../shared/settings';
import type { FontBytes } from './fonts';
import { TextFonts, documentFontkit } from './pdf.text';
import { finishPainting, paintBox, paintImage, paintLine, paintText } from './pdf.paint';

/**
 * Drawing blocks shared by every document: page geometry (US Letter, measured from the top),
 * text with alignment and clipping, wrapping, a flow that starts new pages, tables whose header
 * repeats on each page, the letterhead and page footers. Output is deterministic: no clock, no randomness.
 */

export const PAGE_WIDTH = 612;
export const PAGE_HEIGHT = 792;
export const MARGIN_X = 54;
export const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;
const TOP_MARGIN = 48;
const BOTTOM_LIMIT = PAGE_HEIGHT - 64;

export const INK = rgb(0.11, 0.12, 0.14);
export const MUTED = rgb(0.38, 0.4, 0.44);
export const RULE = rgb(0.78, 0.8, 0.83);
export const SHADE = rgb(0.94, 0.95, 0.96);
export const ACCENT = rgb(0.1, 0.27, 0.5);
export const ALERT = rgb(0.72, 0.1, 0.1);
export const ALERT_SHADE = rgb(0.99, 0.92, 0.92);

export interface PdfKit {
  doc: PDFDocument;
  regular: PDFFont;
  bold: PDFFont;
  logo: PDFImage | null;
  settings: AppSettings;
  /** Every string is drawn through here: any script, in visual order, with fallback fonts (pdf.text.ts). */
  text: TextFonts;
}

export interface PdfMeta {
  title: string;
  subject: string;
  /** The record's own time: the PDF's creation and modification dates, never the clock. */
  at: string;
  /** Identity of the document; the file ID is derived from it, so the same record gives the same bytes. */
  identity: string;
}

async function embedLogo(doc: PDFDocument, logoPath: string | null): Promise<PDFImage | null> {
  if (!logoPath) return null;
  try {
    const bytes = fs.readFileSync(logoPath);
    const isPng = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    return isPng ? await doc.embedPng(bytes) : await doc.embedJpg(bytes);
  } catch {
    // A missing or unreadable logo leaves the letterhead as text rather than failing the document.
    return null;
  }
}

export async function createPdf(fonts: FontBytes, settings: AppSettings): Promise<PdfKit> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(documentFontkit);
  // Fixed names: pdf-lib would otherwise add a suffix to the subset font name.
  const regular = await doc.embedFont(fonts.regular, { subset: true, customName: 'ARDesk-DejaVuSans' });
  const bold = await doc.embedFont(fonts.bold, { subset: true, customName: 'ARDesk-DejaVuSans-Bold' });
  const text = await TextFonts.create(
    doc,
    { regular: { bytes: fonts.regular, font: regular }, bold: { bytes: fonts.bold, font: bold } },
    fonts.fallbacks ?? [],
  );
  return { doc, regular, bold, logo: await embedLogo(doc, settings.company.logoPath), settings, text };
}

export async function finishPdf(kit: PdfKit, meta: PdfMeta): Promise<Uint8Array> {
  const { doc } = kit;
  const at = new Date(meta.at);
  doc.setTitle(meta.title);
  doc.setSubject(meta.subject);
  doc.setAuthor(kit.settings.company.name);
  doc.setCreator('AR Desk');
  doc.setProducer('AR Desk (pdf-lib)');
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  const id = PDFHexString.of(crypto.createHash('md5').update(meta.identity).digest('hex'));
  doc.context.trailerInfo.ID = doc.context.obj([id, id]);
  settlePages(doc.getPages());
  await kit.text.embedUsedFallbacks();
  return doc.save();
}

/** Writes finished pages' drawing into them now (pdf.paint.ts), so a long file keeps only deflated pages in memory. */
export function settlePages(pages: PDFPage[]): void {
  for (const page of pages) finishPainting(page);
}

// ---------------------------------------------------------------- text

export interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: RGB;
  align?: 'left' | 'right' | 'center';
  /** Longer text is cut with an ellipsis so it never runs into the next column. */
  maxWidth?: number;
}

export function textWidth(kit: PdfKit, text: string, size: number, bold = false): number {
  return kit.text.width(text, size, bold);
}

function fitText(kit: PdfKit, text: string, size: number, bold: boolean, maxWidth: number): string {
  if (textWidth(kit, text, size, bold) <= maxWidth) return text;
  // Cut whole characters (never half a surrogate pair) from the logical end.
  const chars = [...text];
  while (chars.length > 1 && textWidth(kit, `${chars.join('')}…`, size, bold) > maxWidth) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/** Draws one line; `x` is the left edge, or the right edge when right-aligned, or the centre; `top` is the baseline from the page top. */
export function drawText(kit: PdfKit, page: PDFPage, text: string, x: number, top: number, style: TextStyle = {}): void {
  const size = style.size ?? 9.5;
  const bold = style.bold ?? false;
  const shown = style.maxWidth ? fitText(kit, text, size, bold, style.maxWidth) : text;
  const runs = kit.text.runs(shown, bold).map((r) => ({ ...r, width: r.font.widthOfTextAtSize(r.text, size) }));
  const width = runs.reduce((w, r) => w + r.width, 0);
  let left = style.align === 'right' ? x - width : style.align === 'center' ? x - width / 2 : x;
  for (const run of runs) {
    paintText(page, run.text, left, PAGE_HEIGHT - top, size, run.font, style.color ?? INK);
    left += run.width;
  }
}

/** Splits text into lines no wider than `width`, breaking at spaces (and inside a word only when it alone is too wide). */
export function wrapText(kit: PdfKit, text: string, size: number, width: number, bold = false): string[] {
  const lines: string[] = [];
  const space = textWidth(kit, ' ', size, bold);
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      // The line's width is about the sum of its words' (the document fonts do not kern across a
      // space); only a line within an em of the limit is measured whole, so the breaks are exactly
      // those of measuring every candidate, without shaping each longer prefix of a paragraph again.
      const estimate = line ? lineWidth + space + textWidth(kit, word, size, bold) : textWidth(kit, word, size, bold);
      const measured = Math.abs(estimate - width) <= size ? textWidth(kit, candidate, size, bold) : estimate;
      if (measured <= width) {
        line = candidate;
        lineWidth = measured;
        continue;
      }
      if (line) lines.push(line);
      // A word too wide alone is broken between characters (whole code points), as Chinese and Japanese are.
      let rest = [...word];
      while (textWidth(kit, rest.join(''), size, bold) > width && rest.length > 1) {
        let n = rest.length - 1;
        while (n > 1 && textWidth(kit, rest.slice(0, n).join(''), size, bold) > width) n--;
        lines.push(rest.slice(0, n).join(''));
        rest = rest.slice(n);
      }
      line = rest.join('');
      lineWidth = textWidth(kit, line, size, bold);
    }
    lines.push(line);
  }
  return lines;
}

export function hRule(page: PDFPage, x1: number, x2: number, top: number, color: RGB = RULE, thickness = 0.6): void {
  paintLine(page, x1, PAGE_HEIGHT - top, x2, PAGE_HEIGHT - top, thickness, color);
}

/** A filled box given by its top-left corner (from the page top), width and height. */
export function box(page: PDFPage, x: number, top: number, width: number, height: number, fill: RGB, border?: RGB): void {
  paintBox(page, x, PAGE_HEIGHT - top - height, width, height, fill, border ? { color: border, width: 0.8 } : undefined);
}

// ---------------------------------------------------------------- flow and tables

/** Lays content down the page and starts a new page (with its continuation header) when the next block does not fit. */
export class Flow {
  page: PDFPage;
  y: number;
  readonly pages: PDFPage[] = [];

  constructor(
    readonly kit: PdfKit,
    private readonly continuationHeader: (page: PDFPage, pageIndex: number) => number,
    firstPageHeader: (page: PDFPage) => number,
  ) {
    this.page = this.addPage();
    this.y = firstPageHeader(this.page);
  }

  private addPage(): PDFPage {
    const page = this.kit.doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    this.pages.push(page);
    return page;
  }

  newPage(): void {
    this.page = this.addPage();
    this.y = this.continuationHeader(this.page, this.pages.length - 1);
  }

  /** Makes room for `height` points, starting a new page if they do not fit on this one. */
  ensure(height: number): boolean {
    if (this.y + height <= BOTTOM_LIMIT) return false;
    this.newPage();
    return true;
  }
}

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

export interface TableRow {
  cells: string[];
  bold?: boolean;
  /** A detail line under the row before it: smaller and grey, no shading. */
  detail?: boolean;
  color?: RGB;
  /** A line above the row (for totals). */
  ruleAbove?: boolean;
}

const ROW_HEIGHT = 15;
const DETAIL_HEIGHT = 12;
const HEADER_HEIGHT = 17;

function drawTableHeader(flow: Flow, x: number, columns: Column[], continued: boolean): void {
  const { kit, page } = flow;
  const width = columns.reduce((s, c) => s + c.width, 0);
  box(page, x, flow.y, width, HEADER_HEIGHT, SHADE);
  let cx = x;
  columns.forEach((c, i) => {
    const label = i === 0 && continued ? `${c.header} (continued)` : c.header;
    const right = c.align === 'right';
    drawText(kit, page, label, right ? cx + c.width - 5 : cx + 5, flow.y + 11.5, {
      size: 8,
      bold: true,
      color: MUTED,
      align: right ? 'right' : 'left',
      maxWidth: c.width - 10,
    });
    cx += c.width;
  });
  flow.y += HEADER_HEIGHT;
}

/** Draws a table at `x`; rows that do not fit go on the next page under a repeated header. Detail rows stay with their row. */
export function drawTable(flow: Flow, x: number, columns: Column[], rows: TableRow[]): void {
  const width = columns.reduce((s, c) => s + c.width, 0);
  flow.ensure(HEADER_HEIGHT + ROW_HEIGHT * Math.min(rows.length, 2));
  drawTableHeader(flow, x, columns, false);
  rows.forEach((row, index) => {
    const details = [];
    for (let j = index + 1; j < rows.length && rows[j]?.detail; j++) details.push(rows[j]);
    // A total row never starts a page alone: the row before it moves with it.
    const next = rows[index + 1 + details.length];
    const height = row.detail
      ? DETAIL_HEIGHT
      : ROW_HEIGHT + details.length * DETAIL_HEIGHT + (next?.ruleAbove && !row.ruleAbove ? ROW_HEIGHT : 0);
    if (!row.detail && flow.ensure(height)) drawTableHeader(flow, x, columns, true);
    const { kit, page } = flow;
    if (row.ruleAbove) hRule(page, x, x + width, flow.y + 1, INK, 0.8);
    const size = row.detail ? 7.8 : 9;
    const baseline = flow.y + (row.detail ? 9 : 10.5);
    let cx = x;
    columns.forEach((c, i) => {
      const cell = row.cells[i] ?? '';
      if (cell) {
        const right = c.align === 'right';
        // A left-aligned cell may run on into the empty cells after it (labels of total rows).
        let room = c.width;
        for (let j = i + 1; !right && j < columns.length && !(row.cells[j] ?? ''); j++) room += columns[j]!.width;
        const indent = row.detail && i === 0 ? 10 : 0;
        drawText(kit, page, cell, right ? cx + c.width - 5 : cx + 5 + indent, baseline, {
          size,
          bold: row.bold ?? false,
          color: row.color ?? (row.detail ? MUTED : INK),
          align: right ? 'right' : 'left',
          maxWidth: room - 10 - indent,
        });
      }
      cx += c.width;
    });
    flow.y += row.detail ? DETAIL_HEIGHT : ROW_HEIGHT;
    const following = rows[index + 1];
    if (!row.ruleAbove && !(following && following.detail) && !row.bold) hRule(page, x, x + width, flow.y, SHADE, 0.5);
  });
}

// ---------------------------------------------------------------- letterhead and footer

/** The company's name, address and contacts (and logo) at the top of a first page; returns where content may start. */
export function drawLetterhead(kit: PdfKit, page: PDFPage, title: string, titleColor: RGB = ACCENT): number {
  const c = kit.settings.company;
  let top = TOP_MARGIN + 14;
  let left = MARGIN_X;
  if (kit.logo) {
    const scale = Math.min(48 / kit.logo.height, 120 / kit.logo.width);
    const w = kit.logo.width * scale;
    const h = kit.logo.height * scale;
    paintImage(page, kit.logo, MARGIN_X, PAGE_HEIGHT - TOP_MARGIN - h, w, h);
    left = MARGIN_X + w + 12;
  }
  drawText(kit, page, c.name, left, top, { size: 15, bold: true, color: ACCENT, maxWidth: 300 });
  top += 14;
  for (const line of c.addressLines) {
    drawText(kit, page, line, left, top, { size: 8.5, color: MUTED, maxWidth: 300 });
    top += 11;
  }
  const contact = [c.phone, c.email].filter(Boolean).join('   ·   ');
  if (contact) {
    drawText(kit, page, contact, left, top, { size: 8.5, color: MUTED, maxWidth: 300 });
    top += 11;
  }
  drawText(kit, page, title, PAGE_WIDTH - MARGIN_X, TOP_MARGIN + 14, { size: 15, bold: true, color: titleColor, align: 'right' });
  const bottom = Math.max(top, TOP_MARGIN + 52);
  hRule(page, MARGIN_X, PAGE_WIDTH - MARGIN_X, bottom + 2, ACCENT, 1.2);
  return bottom + 20;
}

/** The slim header of a continuation page. */
export function drawContinuationHeader(kit: PdfKit, page: PDFPage, left: string, right: string): number {
  drawText(kit, page, left, MARGIN_X, TOP_MARGIN, { size: 9, bold: true, color: ACCENT, maxWidth: CONTENT_WIDTH / 2 });
  drawText(kit, page, right, PAGE_WIDTH - MARGIN_X, TOP_MARGIN, { size: 9, color: MUTED, align: 'right', maxWidth: CONTENT_WIDTH / 2 });
  hRule(page, MARGIN_X, PAGE_WIDTH - MARGIN_X, TOP_MARGIN + 7, ACCENT, 0.8);
  return TOP_MARGIN + 26;
}

/** "Page 2 of 3" on each page of one document (one statement of a batch counts its own pages). */
export function drawPageFooters(kit: PdfKit, pages: PDFPage[], note: string): void {
  pages.forEach((page, i) => {
    hRule(page, MARGIN_X, PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - 44, RULE);
    drawText(kit, page, note, MARGIN_X, PAGE_HEIGHT - 32, { size: 7.5, color: MUTED, maxWidth: CONTENT_WIDTH - 80 });
    drawText(kit, page, `Page ${i + 1} of ${pages.length}`, PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - 32, {
      size: 7.5,
      color: MUTED,
      align: 'right',
    });
  });
}

/** Label on the left, value on the right, on one line; the value keeps its full width, the label gives way. Returns the next line's top. */
export function labelValue(
  kit: PdfKit,
  page: PDFPage,
  label: string,
  value: string,
  x: number,
  width: number,
  top: number,
  style: { bold?: boolean; size?: number; color?: RGB } = {},
): number {
  const size = style.size ?? 9.5;
  const bold = style.bold ?? false;
  const valueWidth = Math.min(textWidth(kit, value, size, bold), width * 0.75);
  drawText(kit, page, label, x, top, { size, color: MUTED, maxWidth: width - valueWidth - 10 });
  drawText(kit, page, value, x + width, top, { size, bold, color: style.color ?? INK, align: 'right', maxWidth: width * 0.75 });
  return top + size + 5;
}
