import zlib from 'node:zlib';
import { PDFName, PDFRawStream, type PDFFont, type PDFImage, type PDFPage, type RGB } from 'pdf-lib';

/**
 * A page's drawing written as PDF content-stream operators straight into a string, and deflated
 * into the page once it is finished. pdf-lib's own drawing keeps every operator of every page as
 * objects (an operator, its operands, their names and numbers) until the document is saved, and
 * deflates in JavaScript: for a file of a thousand statements that was about half of the drawing
 * time and most of its garbage. Only the four things documents draw are here: text in one font and
 * colour, a filled (optionally bordered) box, a straight line and an image. Each is wrapped in
 * q ... Q so one leaves no state to the next, as pdf-lib's are.
 */

interface Painting {
  ops: string[];
  /** The page's resource name of each font and image it used. */
  names: Map<PDFFont | PDFImage, string>;
}

const paintings = new WeakMap<PDFPage, Painting>();

function paintingOf(page: PDFPage): Painting {
  let p = paintings.get(page);
  if (!p) paintings.set(page, (p = { ops: [], names: new Map() }));
  return p;
}

/** A number as content streams write it: at most three decimals, no exponent, no trailing zeros. */
export function pdfNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const r = Math.round(n * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
}

const color = (c: RGB) => `${pdfNumber(c.red)} ${pdfNumber(c.green)} ${pdfNumber(c.blue)}`;

function fontName(page: PDFPage, p: Painting, font: PDFFont): string {
  let name = p.names.get(font);
  if (name === undefined) p.names.set(font, (name = page.node.newFontDictionary(font.name, font.ref).toString()));
  return name;
}

/** Text in one font, its baseline starting at (x, y) from the page's bottom left. */
export function paintText(page: PDFPage, text: string, x: number, y: number, size: number, font: PDFFont, fill: RGB): void {
  const p = paintingOf(page);
  const name = fontName(page, p, font);
  p.ops.push(`q BT ${color(fill)} rg ${name} ${pdfNumber(size)} Tf 1 0 0 1 ${pdfNumber(x)} ${pdfNumber(y)} Tm ${font.encodeText(text).toString()} Tj ET Q`);
}

/** A rectangle from its bottom-left corner, filled, with a border when one is given. */
export function paintBox(page: PDFPage, x: number, y: number, width: number, height: number, fill: RGB, border?: { color: RGB; width: number }): void {
  const rect = `${pdfNumber(x)} ${pdfNumber(y)} ${pdfNumber(width)} ${pdfNumber(height)} re`;
  paintingOf(page).ops.push(
    border ? `q ${color(fill)} rg ${color(border.color)} RG ${pdfNumber(border.width)} w ${rect} B Q` : `q ${color(fill)} rg ${rect} f Q`,
  );
}

export function paintLine(page: PDFPage, x1: number, y1: number, x2: number, y2: number, thickness: number, stroke: RGB): void {
  paintingOf(page).ops.push(`q ${color(stroke)} RG ${pdfNumber(thickness)} w ${pdfNumber(x1)} ${pdfNumber(y1)} m ${pdfNumber(x2)} ${pdfNumber(y2)} l S Q`);
}

/** An image scaled to width x height, its bottom-left corner at (x, y). */
export function paintImage(page: PDFPage, image: PDFImage, x: number, y: number, width: number, height: number): void {
  const p = paintingOf(page);
  let name = p.names.get(image);
  if (name === undefined) p.names.set(image, (name = page.node.newXObject('Image', image.ref).toString()));
  p.ops.push(`q ${pdfNumber(width)} 0 0 ${pdfNumber(height)} ${pdfNumber(x)} ${pdfNumber(y)} cm ${name} Do Q`);
}

/**
 * Deflates what was painted on the page since the last time into a content stream of its own and
 * adds it to the page. Painting on the page again afterwards starts a new stream after it. Level 1:
 * a page's operators deflate to about a fifth larger than at the default level, in a third of the time.
 */
export function finishPainting(page: PDFPage): void {
  const p = paintings.get(page);
  if (!p || p.ops.length === 0) return;
  const context = page.doc.context;
  // Copied out: the deflated bytes are a view of zlib's 16 KB output chunk, which the page would keep whole.
  const bytes = new Uint8Array(zlib.deflateSync(Buffer.from(p.ops.join('\n'), 'latin1'), { level: 1 }));
  const stream = PDFRawStream.of(context.obj({ Filter: PDFName.of('FlateDecode') }), bytes);
  page.node.addContentStream(context.register(stream));
  p.ops = [];
}
