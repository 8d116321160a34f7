import bidiFactory from 'bidi-js';

/**
 * One line of text in the order it is drawn, left to right: the Unicode Bidirectional Algorithm
 * (bidi-js) resolves the levels, right-to-left runs are reversed and their brackets mirrored, and
 * combining marks are put back after their base (UAX #9 L3), so a Hebrew or Arabic name, or one
 * mixed with Latin words and numbers, reads right. The paragraph direction comes from the line's
 * first strong letter. Pure.
 */

const bidi = bidiFactory();

/** Hebrew, Arabic, Syriac, Thaana, N'Ko and the other right-to-left blocks, presentation forms included, and the bidi controls. */
const NEEDS_BIDI = /[\u0590-\u08FF\u200E\u200F\u202A-\u202E\u2066-\u2069\uFB1D-\uFDFF\uFE70-\uFEFF]|[\uD802\uD803][\uDC00-\uDFFF]|\uD83A[\uDC00-\uDFFF]/;
/** Bidi controls: they steer the algorithm and are not drawn. */
const CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const MARK = /^\p{M}$/u;

export function needsBidi(text: string): boolean {
  return NEEDS_BIDI.test(text);
}

/** The line in visual order (left to right), without bidi controls. */
export function visualOrder(text: string): string {
  if (!needsBidi(text)) return text;
  const resolved = bidi.getEmbeddingLevels(text, 'auto');
  const levels = resolved.levels;
  const units = text.split('');
  for (const [i, mirror] of bidi.getMirroredCharactersMap(text, levels)) units[i] = mirror;
  const visual = bidi.getReorderedIndices(text, resolved).map((i) => ({ unit: units[i]!, level: levels[i]! }));
  // A reversed run turns surrogate pairs around (low before high): put them back.
  for (let i = 0; i + 1 < visual.length; i++) {
    const a = visual[i]!.unit.charCodeAt(0);
    const b = visual[i + 1]!.unit.charCodeAt(0);
    if (a >= 0xdc00 && a <= 0xdfff && b >= 0xd800 && b <= 0xdbff) {
      [visual[i], visual[i + 1]] = [visual[i + 1]!, visual[i]!];
      i++;
    }
  }
  // L3: in a right-to-left run the marks now stand before their base; move the base in front of them.
  for (let i = 0; i < visual.length; i++) {
    if (!(visual[i]!.level & 1) || !MARK.test(visual[i]!.unit)) continue;
    let j = i;
    while (j < visual.length && visual[j]!.level & 1 && MARK.test(visual[j]!.unit)) j++;
    if (j < visual.length && visual[j]!.level & 1) {
      const base = visual.splice(j, 1)[0]!;
      visual.splice(i, 0, base);
    }
    i = j;
  }
  return visual
    .map((v) => v.unit)
    .join('')
    .replace(CONTROLS, '');
}
