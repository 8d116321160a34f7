/**
 * Arabic joining for PDF text: each Arabic letter becomes the presentation form (isolated, final,
 * initial or medial) its neighbours call for, and lam followed by alef becomes the lam-alef
 * ligature, so a name prints joined with any font that has the presentation-form glyphs (DejaVu
 * Sans has them) and without an OpenType shaper. Pure; works in logical order, before bidi.
 *
 * The table is not typed in by hand: it is read from Unicode's own compatibility mappings of the
 * presentation-form blocks (String.prototype.normalize('NFKC')), where each letter's forms follow
 * one another as isolated, final[, initial, medial]. A letter with four forms joins on both sides,
 * one with two only to the letter before it. Letters Unicode gives no presentation forms (a few
 * used outside Arabic, Persian and Urdu) print in their isolated shape.
 *
 * Written here rather than taken from a package: the reshapers on npm are unmaintained, untyped,
 * GPL-licensed or carry a hand-typed table with known gaps (Urdu and Persian letters).
 */

interface Forms {
  isolated: string;
  final: string;
  initial?: string;
  medial?: string;
}

const FORMS = new Map<string, Forms>();
/** Lam-alef ligatures, by the alef that follows lam. */
const LAM_ALEF = new Map<string, Forms>();
const LAM = '\u0644';
const TATWEEL = '\u0640';
const ZWJ = '\u200D';

function readBlock(from: number, to: number): void {
  let base = '';
  let run: string[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const forms: Forms = { isolated: run[0]!, final: run[1] ?? run[0]!, initial: run[2], medial: run[3] };
    const chars = [...base];
    if (chars.length === 1 && !FORMS.has(base) && (run.length === 1 || run.length === 2 || run.length === 4)) FORMS.set(base, forms);
    if (chars.length === 2 && chars[0] === LAM && run.length === 2 && !LAM_ALEF.has(chars[1]!)) LAM_ALEF.set(chars[1]!, forms);
    run = [];
  };
  for (let cp = from; cp <= to; cp++) {
    const ch = String.fromCodePoint(cp);
    const n = ch.normalize('NFKC');
    if (n === ch || !/^[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]+$/.test(n)) {
      flush();
      base = '';
      continue;
    }
    if (n !== base) {
      flush();
      base = n;
    }
    run.push(ch);
  }
  flush();
}
// Forms-B first: where both blocks have a letter, B's forms are the ones fonts carry.
readBlock(0xfe70, 0xfeff);
readBlock(0xfb50, 0xfdff);
// Only the four lam-alef ligatures of Forms-B (alef with madda, hamza above, hamza below, plain).
for (const alef of [...LAM_ALEF.keys()]) if (!'\u0622\u0623\u0625\u0627'.includes(alef)) LAM_ALEF.delete(alef);

type Joining = 'dual' | 'right' | 'causing' | 'transparent' | 'none';

function joiningOf(ch: string): Joining {
  if (ch === TATWEEL || ch === ZWJ) return 'causing';
  const forms = FORMS.get(ch);
  if (forms) return forms.initial ? 'dual' : forms.final !== forms.isolated ? 'right' : 'none';
  // Marks (harakat and the like) and format characters other than ZWNJ do not break a join.
  if (/^[\p{Mn}\p{Me}]$/u.test(ch) || (/^\p{Cf}$/u.test(ch) && ch !== '\u200C')) return 'transparent';
  return 'none';
}

/** True when the text has a letter this module would change. */
export function hasArabicLetters(text: string): boolean {
  return /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]/.test(text);
}

/** The text with its Arabic letters in their contextual presentation forms (logical order kept). */
export function shapeArabic(text: string): string {
  if (!hasArabicLetters(text)) return text;
  const chars = [...text.normalize('NFC')];
  const types = chars.map(joiningOf);
  /** The nearest character before/after i that is not transparent, or -1. */
  const neighbour = (i: number, step: 1 | -1): number => {
    for (let j = i + step; j >= 0 && j < chars.length; j += step) if (types[j] !== 'transparent') return j;
    return -1;
  };
  const joinsForward = (j: number) => j >= 0 && (types[j] === 'dual' || types[j] === 'causing');
  const joinsBackward = (j: number) => j >= 0 && (types[j] === 'dual' || types[j] === 'right' || types[j] === 'causing');

  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const type = types[i]!;
    if (type !== 'dual' && type !== 'right') {
      out += ch;
      continue;
    }
    const before = joinsForward(neighbour(i, -1));
    const next = neighbour(i, 1);
    const ligature = ch === LAM && next === i + 1 ? LAM_ALEF.get(chars[next]!) : undefined;
    if (ligature) {
      out += before ? ligature.final : ligature.isolated;
      i = next;
      continue;
    }
    const forms = FORMS.get(ch)!;
    const after = type === 'dual' && joinsBackward(next);
    out += before && after ? forms.medial! : before ? forms.final : after ? forms.initial! : forms.isolated;
  }
  return out;
}
