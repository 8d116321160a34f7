import fontkit from '@pdf-lib/fontkit';
import { describe, expect, it } from 'vitest';
import { loadFonts } from '../../../src/main/documents/fonts';
import { glyphSeparatesShaping, gsubTriggers } from '../../../src/main/documents/pdf.gsub';
import { documentFontkit } from '../../../src/main/documents/pdf.text';

/**
 * The documents' fonts skip fontkit's shaping for text it would not change and shape Latin lines a
 * word at a time: the glyphs must be exactly those of shaping the whole line with fontkit itself.
 */
const fonts = loadFonts();

const LINES = [
  'Statement for AK0149 Little Sparrow Tailoring as of 11/20/2026',
  'make it payable to Northwind Services LLC, write AK0149 on it, and mail it to Northwind Services LLC, 100',
  'Office fit-out, first floor; official affidavit (fifty five)',
  'Whitaker & Núñez Dental Co.',
  'Brûlée Bakehouse Portland',
  'Åkesson & Søn Bakery',
  'Attn: Sofia García',
  '  two  spaces,  leading and trailing  ',
  'fi',
  'ij ĳ fj ffi ffl',
  'Œuvre Łódź Ştefan Ďurovič',
  'Invoice INV-100053 (disputed)',
  '1,234.56 - 7/8',
  'Questions: billing@northwind.example.',
  'Total open invoices',
];

const ids = (glyphs: { id: number }[]) => glyphs.map((g) => g.id);

describe('shaping Latin text for documents', () => {
  for (const [name, bytes] of [
    ['DejaVu Sans', fonts.regular],
    ['DejaVu Sans Bold', fonts.bold],
  ] as const) {
    it(`gives ${name} the glyphs fontkit's own shaping gives, line by line`, () => {
      const fast = documentFontkit.create(bytes);
      const reference = fontkit.create(bytes);
      for (const line of LINES) {
        // Twice: the second time from the words kept by the first.
        expect(ids(fast.layout(line).glyphs), line).toEqual(ids(reference.layout(line).glyphs));
        expect(ids(fast.layout(line).glyphs), line).toEqual(ids(reference.layout(line).glyphs));
      }
    });
  }

  it('finds that no substitution of DejaVu Sans reaches across a space, and that fi starts one', () => {
    const font = fontkit.create(fonts.regular);
    const space = font.glyphForCodePoint(0x20).id;
    expect(glyphSeparatesShaping(font, space)).toBe(true);
    expect(gsubTriggers(font)?.has(font.glyphForCodePoint(0x66).id)).toBe(true);
    // The f-i ligature is one glyph: shaping does change this text.
    expect(font.layout('fi').glyphs).toHaveLength(1);
  });

  it('finds that a glyph a ligature takes in does separate nothing', () => {
    const font = fontkit.create(fonts.regular);
    // "i" is a component of DejaVu's f-i ligature.
    expect(glyphSeparatesShaping(font, font.glyphForCodePoint(0x69).id)).toBe(false);
  });
});
