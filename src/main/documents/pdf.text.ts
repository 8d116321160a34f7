import fontkit from '@pdf-lib/fontkit';
import { CustomFontSubsetEmbedder, PDFFont, type PDFDocument } from 'pdf-lib';
import type { FallbackFontBytes } from './fonts';
import { shapeArabic } from './arabic.rules';
import { needsBidi, visualOrder } from './bidi.rules';
import { glyphSeparatesShaping, gsubTriggers } from './pdf.gsub';

/**
 * Text in any script on a PDF page. A line is shaped (Arabic joining), put in visual order (bidi),
 * and cut into runs of characters one font can draw: the document's own font (DejaVu Sans, regular
 * or bold) first, then the fallback fonts (Noto Sans SC, then KR, for Chinese, Japanese and Korean),
 * each embedded only when a page uses it and then only with the glyphs used (subset). A character
 * no font has prints as U+FFFD (a visible �), so the document always builds.
 */

type FontkitFont = ReturnType<typeof fontkit.create>;
type Layout = (text: string, features?: unknown, script?: string, language?: string, direction?: string) => { glyphs: { codePoints: number[] }[] };

const PRESENTATION_FORM = (cp: number) => (cp >= 0xfb50 && cp <= 0xfdff) || (cp >= 0xfe70 && cp <= 0xfeff);

/**
 * fontkit as pdf-lib is to use it, with two corrections:
 *
 * - Text that holds right-to-left letters arrives here already in visual order and shaped, so
 *   fontkit must neither reverse it again nor apply its own script rules (it would, for a run it
 *   takes for Arabic or Hebrew). The glyphs of Arabic presentation forms are mapped back to the
 *   letters they stand for, so copying or extracting text gives the real letters.
 * - fontkit's TrueType subsetter writes a short loca table (offsets / 2) whenever the subset is
 *   under 64 KB, but copies each glyph's bytes unpadded: after a glyph of odd length every later
 *   glyph is read from the wrong place and prints blank (Noto Sans SC and KR have such glyphs;
 *   DejaVu's are padded). Each glyph is padded to an even length here.
 */
export const documentFontkit = {
  create(buffer: Uint8Array, postscriptName?: string): FontkitFont {
    // One parsed font per file for the whole process: every document's subset starts from it.
    const key = postscriptName ?? '';
    const cached = parsed.get(buffer)?.get(key);
    if (cached) return cached;
    const font = prepare(fontkit.create(buffer, postscriptName));
    if (!parsed.has(buffer)) parsed.set(buffer, new Map());
    parsed.get(buffer)!.set(key, font);
    return font;
  },
};

const parsed = new WeakMap<Uint8Array, Map<string, FontkitFont>>();

function prepare(font: FontkitFont): FontkitFont {
  const layout = (font.layout as unknown as Layout).bind(font);
  const asGiven: Layout = (text, features, script, language, direction) => {
    if (typeof text !== 'string' || script != null || !needsBidi(text)) return layout(text, features, script, language, direction);
    const run = layout(text, features, 'latn', language, 'ltr');
    for (const glyph of run.glyphs) {
      if (glyph.codePoints.length > 0 && glyph.codePoints.every(PRESENTATION_FORM)) {
        // In visual order like the glyphs around it: lam-alef reads alef, lam, which text extraction
        // (poppler, pdf.js) turns back into logical order together with the rest of the word.
        glyph.codePoints = [...String.fromCodePoint(...glyph.codePoints).normalize('NFKC')].reverse().map((c) => c.codePointAt(0)!);
      }
    }
    return run;
  };
  // pdf-lib lays a string out once to measure it and again to encode it: the last strings' runs are kept.
  const recent = new Map<string, ReturnType<Layout>>();
  const plain = glyphsWithoutShaping(font, layout);
  const remembered: Layout = (text, features, script, language, direction) => {
    if (typeof text !== 'string' || features != null || script != null || language != null || direction != null) return asGiven(text, features, script, language, direction);
    const direct = plain(text);
    if (direct) return { glyphs: direct };
    let run = recent.get(text);
    if (run === undefined) {
      if (recent.size >= 256) recent.clear();
      recent.set(text, (run = asGiven(text)));
    }
    return run;
  };
  (font as unknown as { layout: Layout }).layout = remembered;
  const createSubset = font.createSubset.bind(font);
  font.createSubset = () => padGlyphs(createSubset());
  return font;
}

/** Latin text with no combining marks and no default-ignorable characters (U+00AD). */
const PLAIN_CHAR = (cp: number) => (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0x24f && cp !== 0xad);

type Glyph = ReturnType<FontkitFont['glyphForCodePoint']>;

/** Words shaped once per process and font (each line of a batch repeats most of them); dropped whole when this many. */
const KEPT_WORDS = 50_000;
const LATIN = /\p{Script=Latin}/u;

/**
 * The glyphs shaping would give the text, where they can be had without shaping all of it, or null
 * when it must be shaped whole:
 * - text none of whose glyphs a substitution can start at (gsubTriggers) is its characters' glyphs
 *   through the cmap;
 * - Latin text, when no substitution reaches across a space (glyphSeparatesShaping), is its words'
 *   glyphs with the space's between them, each word with a trigger shaped once as Latin (the script
 *   the whole line is shaped as: its first character of a script of its own is Latin) and kept.
 */
function glyphsWithoutShaping(font: FontkitFont, layout: Layout): (text: string) => Glyph[] | null {
  const triggers = gsubTriggers(font);
  if (!triggers) return () => null;
  const byChar = new Map<number, Glyph | null>();
  const glyphOf = (cp: number): Glyph | null => {
    let glyph = byChar.get(cp);
    if (glyph === undefined) {
      const g = PLAIN_CHAR(cp) ? font.glyphForCodePoint(cp) : null;
      byChar.set(cp, (glyph = g && !triggers.has(g.id) ? g : null));
    }
    return glyph;
  };
  const space = font.glyphForCodePoint(0x20);
  const byWords = space && !triggers.has(space.id) && glyphSeparatesShaping(font, space.id);
  const words = new Map<string, Glyph[]>();
  const cmapGlyphs = (word: string): Glyph[] | null => {
    const out: Glyph[] = [];
    for (let i = 0; i < word.length; i++) {
      const g = glyphOf(word.charCodeAt(i));
      if (!g) return null;
      out.push(g);
    }
    return out;
  };
  const wordGlyphs = (word: string): Glyph[] => {
    let glyphs = words.get(word);
    if (glyphs === undefined) {
      glyphs = cmapGlyphs(word) ?? (layout(word, undefined, 'latn').glyphs as unknown as Glyph[]);
      if (words.size >= KEPT_WORDS) words.clear();
      words.set(word, glyphs);
    }
    return glyphs;
  };
  return (text) => {
    const glyphs: Glyph[] = [];
    let plain = true;
    for (let i = 0; i < text.length; i++) {
      const cp = text.charCodeAt(i);
      const glyph = glyphOf(cp);
      if (glyph) glyphs.push(glyph);
      else if (!PLAIN_CHAR(cp)) return null;
      else plain = false;
    }
    if (plain) return glyphs;
    if (!byWords || !LATIN.test(text)) return null;
    const out: Glyph[] = [];
    for (const [i, word] of text.split(' ').entries()) {
      if (i > 0) out.push(space);
      for (const g of wordGlyphs(word)) out.push(g);
    }
    return out;
  };
}

interface TrueTypeSubset {
  _addGlyph?: (gid: number) => number;
  glyf?: Uint8Array[];
  offset?: number;
}

function padGlyphs<T>(subset: T): T {
  const ttf = subset as TrueTypeSubset;
  const addGlyph = ttf._addGlyph;
  // Only the TrueType subsetter has glyf data; a CFF subset is left as it is.
  if (typeof addGlyph !== 'function') return subset;
  ttf._addGlyph = function (this: TrueTypeSubset, gid: number): number {
    const index = addGlyph.call(this, gid);
    const data = this.glyf?.[index];
    if (data && data.length % 2 === 1 && this.offset !== undefined) {
      // Of the same class as the glyph's bytes (fontkit's own Buffer), which its encoder insists on.
      const Bytes = data.constructor as { alloc?: (size: number) => Uint8Array };
      const padded = typeof Bytes.alloc === 'function' ? Bytes.alloc(data.length + 1) : new Uint8Array(data.length + 1);
      padded.set(data);
      this.glyf![index] = padded;
      this.offset += 1;
    }
    return index;
  };
  return subset;
}

// ---------------------------------------------------------------- coverage

/** Which code points a font has, asked once per process per font file. */
const coverage = new WeakMap<Uint8Array, Map<number, boolean>>();

function covers(bytes: Uint8Array, cp: number): boolean {
  let known = coverage.get(bytes);
  if (!known) coverage.set(bytes, (known = new Map()));
  let has = known.get(cp);
  if (has === undefined) {
    has = documentFontkit.create(bytes).hasGlyphForCodePoint(cp);
    known.set(cp, has);
  }
  return has;
}

// ---------------------------------------------------------------- faces and runs

/**
 * A document's memory of strings stays this size: a batch file of a thousand statements draws a few
 * thousand strings that recur (labels, dates, amounts) and tens of thousands that do not (names,
 * addresses, footers), which would otherwise live as long as the file.
 */
const KEPT_STRINGS = 4096;

function keep<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= KEPT_STRINGS) map.clear();
  map.set(key, value);
}

/**
 * Shaping a string with fontkit (kerning, ligatures) is most of a document's drawing time, and a
 * batch of statements draws the same labels, dates and amounts again and again: each font of a
 * document remembers what it measured and encoded. Encoding is per document (it adds the glyphs to
 * that document's subset, which a repeat would add again to no effect), so the memory goes with the
 * document. The bytes are the same as without it.
 */
function rememberShaping(font: PDFFont): PDFFont {
  const unitWidths = new Map<string, number>();
  const encoded = new Map<string, ReturnType<PDFFont['encodeText']>>();
  const widthAt1000 = font.widthOfTextAtSize.bind(font);
  const encode = font.encodeText.bind(font);
  font.widthOfTextAtSize = (text: string, size: number): number => {
    let unit = unitWidths.get(text);
    // pdf-lib's width is (sum of advances x scale) x size / 1000: at size 1000 the factor is exactly 1.
    if (unit === undefined) keep(unitWidths, text, (unit = widthAt1000(text, 1000)));
    return unit * (size / 1000);
  };
  font.encodeText = (text: string) => {
    let hex = encoded.get(text);
    if (hex === undefined) keep(encoded, text, (hex = encode(text)));
    return hex;
  };
  return font;
}

/**
 * pdf-lib's subsetting embedder for a font, made at once: its `for` is async only to await
 * `fontkit.create`, which documentFontkit answers synchronously (from the process's parsed copy),
 * and a fallback is first wanted in the middle of cutting a line into runs, which cannot wait.
 */
const SubsetEmbedder = CustomFontSubsetEmbedder as unknown as new (font: FontkitFont, fontData: Uint8Array, customName?: string) => CustomFontSubsetEmbedder;

function subsetEmbedder(f: FallbackFontBytes): CustomFontSubsetEmbedder {
  return new SubsetEmbedder(documentFontkit.create(f.bytes), f.bytes, f.name);
}

interface Face {
  bytes: Uint8Array;
  font(): PDFFont;
  /** Set once a page used it: a fallback is embedded only then. */
  used: PDFFont | null;
}

export interface TextRun {
  text: string;
  font: PDFFont;
}

const REPLACEMENT = '\uFFFD';
/** Line and tab controls: a line is drawn as one line, so they show as a space. */
const BREAKS = /^[\t\n\r\v\f\u2028\u2029\u0085]$/u;
const SPACE = /^\p{Zs}$/u;
const INVISIBLE = /^[\p{Default_Ignorable_Code_Point}]$/u;

export class TextFonts {
  /** Each line's runs, by weight: the same text in a document is cut into the same runs. */
  private readonly known = [new Map<string, TextRun[]>(), new Map<string, TextRun[]>()] as const;

  private constructor(
    private readonly regular: Face,
    private readonly bold: Face,
    private readonly fallbacks: Face[],
  ) {}

  /** Embeds the main fonts now (as before) and readies the fallbacks, which are embedded only if used. */
  static async create(
    doc: PDFDocument,
    main: { regular: { bytes: Uint8Array; font: PDFFont }; bold: { bytes: Uint8Array; font: PDFFont } },
    fallbacks: FallbackFontBytes[],
  ): Promise<TextFonts> {
    const eager = (m: { bytes: Uint8Array; font: PDFFont }): Face => {
      const font = rememberShaping(m.font);
      return { bytes: m.bytes, font: () => font, used: font };
    };
    // A fallback's bytes are read, parsed and readied for subsetting only when a character first
    // needs it (fonts.ts reads the file on first use).
    const lazy = fallbacks.map((f): Face => {
      const face: Face = {
        get bytes() {
          return f.bytes;
        },
        used: null,
        font: () => (face.used ??= rememberShaping(PDFFont.of(doc.context.nextRef(), doc, subsetEmbedder(f)))),
      };
      return face;
    });
    return new TextFonts(eager(main.regular), eager(main.bold), lazy);
  }

  /** The first font that has the character, in order: the weight asked for, regular, the fallbacks. */
  private faceFor(cp: number, bold: boolean): Face | null {
    const order = bold ? [this.bold, this.regular, ...this.fallbacks] : [this.regular, ...this.fallbacks];
    return order.find((f) => covers(f.bytes, cp)) ?? null;
  }

  /** One line as runs, left to right, each with the font that draws it. */
  runs(text: string, bold = false): TextRun[] {
    const known = this.known[bold ? 1 : 0];
    let runs = known.get(text);
    if (runs === undefined) keep(known, text, (runs = this.cut(text, bold)));
    return runs;
  }

  private cut(text: string, bold: boolean): TextRun[] {
    const main = bold ? this.bold : this.regular;
    const shaped = shapeArabic(text);
    const visual = needsBidi(shaped) ? visualOrder(shaped) : shaped;
    const runs: { text: string; face: Face }[] = [];
    for (const ch of visual) {
      const cp = ch.codePointAt(0)!;
      const brk = BREAKS.test(ch);
      let face = brk || (ch.length === 1 && cp >= 0xd800 && cp <= 0xdfff) ? null : this.faceFor(cp, bold);
      let shown = ch;
      if (!face && (brk || SPACE.test(ch))) [face, shown] = [main, ' '];
      else if (!face && INVISIBLE.test(ch)) continue;
      else if (!face) [face, shown] = covers(main.bytes, 0xfffd) ? [main, REPLACEMENT] : [main, '?'];
      const last = runs[runs.length - 1];
      if (last && last.face === face) last.text += shown;
      else runs.push({ text: shown, face });
    }
    return runs.map((r) => ({ text: r.text, font: r.face.font() }));
  }

  width(text: string, size: number, bold = false): number {
    return this.runs(text, bold).reduce((w, r) => w + r.font.widthOfTextAtSize(r.text, size), 0);
  }

  /** Writes the fallback fonts a page used into the document (only their glyphs); call once drawing is done. */
  async embedUsedFallbacks(): Promise<void> {
    for (const f of this.fallbacks) await f.used?.embed();
  }
}
