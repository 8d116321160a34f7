import { describe, expect, it } from 'vitest';
import { shapeArabic } from '../../../src/main/documents/arabic.rules';
import { visualOrder } from '../../../src/main/documents/bidi.rules';

/** Expected values are written out by hand from the Unicode charts (Arabic Presentation Forms-A/B). */
const hex = (s: string) => [...s].map((c) => c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')).join(' ');

describe('shapeArabic', () => {
  it('gives each letter the form its neighbours call for', () => {
    // sheen initial, reh final, kaf initial, teh marbuta final
    expect(hex(shapeArabic('شركة'))).toBe('FEB7 FEAE FEDB FE94');
    // seen initial, lam-alef final, meem isolated (alef does not join to the letter after it)
    expect(hex(shapeArabic('سلام'))).toBe('FEB3 FEFC FEE1');
  });

  it('joins lam and alef into one ligature, isolated or final', () => {
    expect(hex(shapeArabic('لا'))).toBe('FEFB');
    // alef isolated, lam with alef-hamza isolated, meem initial, lam final
    expect(hex(shapeArabic('الأمل'))).toBe('FE8D FEF7 FEE3 FEDE');
  });

  it('shapes Persian letters and lets vowel marks through without breaking a join', () => {
    // peh initial, farsi yeh medial, alef final, meem isolated
    expect(hex(shapeArabic('پیام'))).toBe('FB58 FBFF FE8E FEE1');
    // meem initial + damma, hah medial + fatha, meem medial + fatha + shadda (canonical order), dal final
    expect(hex(shapeArabic('مُحَمَّد'))).toBe('FEE3 064F FEA4 064E FEE4 064E 0651 FEAA');
  });

  it('leaves text without Arabic letters as it is', () => {
    expect(shapeArabic('Harbor Lane Dental LLC')).toBe('Harbor Lane Dental LLC');
    expect(shapeArabic('חברת אור')).toBe('חברת אור');
  });
});

describe('visualOrder', () => {
  it('leaves left-to-right text as it is', () => {
    expect(visualOrder('Åkesson & Søn Bakery (Seattle)')).toBe('Åkesson & Søn Bakery (Seattle)');
  });

  it('reverses a right-to-left line, keeping numbers left to right and mirroring brackets', () => {
    expect(visualOrder('חברת אור')).toBe('רוא תרבח');
    expect(visualOrder('חברת אור (ישראל) בע"מ 123')).toBe('123 מ"עב (לארשי) רוא תרבח');
  });

  it('puts a right-to-left name inside a left-to-right line where it reads right', () => {
    expect(visualOrder('Attn: חברת אור')).toBe('Attn: רוא תרבח');
    expect(visualOrder('Statement for שלום as of 11/20/2026')).toBe('Statement for םולש as of 11/20/2026');
  });

  it('keeps marks after their base and surrogate pairs whole, and drops bidi controls', () => {
    expect(hex(visualOrder('\uFEE3\u064F\uFEA4'))).toBe('FEA4 FEE3 064F');
    const withExtB = visualOrder('שלום \u{2000B}');
    expect(withExtB).toBe('\u{2000B} םולש');
    expect(withExtB).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(visualOrder('\u202Bשלום\u202C')).toBe('םולש');
  });
});
