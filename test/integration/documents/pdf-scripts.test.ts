import { execFileSync } from 'node:child_process';
import fontkit from '@pdf-lib/fontkit';
import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import { createPdf } from '../../../src/main/documents/pdf.layout';
import { loadFonts } from '../../../src/main/documents/fonts';
import { openTestRuntime, type TestRuntime } from '../../helpers/runtime';
import { insertCustomer, insertInvoice, insertPayment, insertStaff, keepPdf, pdfText, renderPng } from '../../helpers/documents-fixtures';

/**
 * Names in every script on every kind of document: read back with pdftotext, rendered with
 * pdftoppm to test-results/documents/scripts-*.png for a person to look at.
 */

/** pdftotext marks right-to-left lines with bidi embedding controls; they are not text. */
const plain = (s: string) => s.normalize('NFKC').replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').replace(/[ \t]+/g, ' ');
const fontsOf = (file: string) => execFileSync('/usr/bin/pdffonts', [file], { encoding: 'utf8' });
/**
 * The text as drawn, line by line, left to right (pdftotext -raw). Each right-to-left word comes
 * back spelled in logical order, and the words stand in the order they are printed: so a
 * right-to-left line is checked as its words from left to right, written out below by hand.
 */
const drawnText = (file: string) => plain(execFileSync('/usr/bin/pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }));

const HEBREW = 'חברת אור הגליל (2024) בע"מ';
const ARABIC = 'شركة الأمل للتجارة';
const MIXED = 'Al Amal Trading شركة الأمل 2024';
const CHINESE = '北京星光科技有限公司';
const JAPANESE = '株式会社さくら商事';
const KOREAN = '주식회사 한빛상사';
/** A plane-16 private-use character and a BMP one: no font has them. */
const GLYPHLESS = 'Nowhere \u{10FFFD} Supply \uE000 Co';

let rt: TestRuntime;
const paymentIds: Record<string, number> = {};
beforeAll(async () => {
  rt = await openTestRuntime({ now: '2026-11-20T23:00:00Z' });
  const db = rt.ledger.db;
  await insertStaff(db, 'dana', 'Dana Whitfield');
  const customers: [string, string, Partial<Parameters<typeof insertCustomer>[1]>, string][] = [
    ['HE1001', HEBREW, { line1: 'רחוב הרצל 12', city: 'תל אביב', region: 'IL' }, 'שירותי ניקיון חודשיים'],
    ['AR2002', ARABIC, { line1: 'شارع الملك فهد 45', city: 'الرياض', region: 'SA' }, 'خدمة الصيانة الشهرية'],
    ['MX3003', MIXED, {}, 'Monthly plan for شركة الأمل'],
    ['ZH4004', CHINESE, { line1: '朝阳区建国路88号', city: '北京' }, '每月服务费'],
    ['JP5005', JAPANESE, { line1: '渋谷区道玄坂1-2-3', city: '東京都' }, '月額サービス料'],
    ['KO6006', KOREAN, { line1: '강남구 테헤란로 152', city: '서울' }, '월간 서비스 요금'],
    ['XX7007', GLYPHLESS, {}, 'Widgets \u{10FFFD}'],
  ];
  for (const [number, legalName, address, line] of customers) {
    const id = await insertCustomer(db, { number, legalName, contact: legalName, ...address });
    const invoiceId = await insertInvoice(db, {
      customerId: id,
      number: `INV-${number}`,
      issueDate: '2026-09-01',
      dueDate: '2026-10-01',
      lines: [{ description: line, unitPriceCents: 12_345 }],
    });
    if (number === 'AR2002' || number === 'ZH4004') {
      paymentIds[number] = await insertPayment(db, {
        customerId: id,
        status: 'captured',
        brand: 'Visa',
        last4: '4242',
        confirmationNumber: `PAY${number}`,
        allocations: [{ invoiceId, source: 'card', amountCents: 5_000 }],
        at: number === 'AR2002' ? '2026-11-20T15:00:00.000Z' : '2026-11-20T15:05:00.000Z',
        createdBy: 'dana',
      });
    }
  }
});
afterAll(async () => {
  await rt.dispose();
});

/** Each TrueType font program embedded in a PDF, by its name, read back with fontkit. */
async function embeddedFonts(bytes: Uint8Array): Promise<Map<string, ReturnType<typeof fontkit.create>>> {
  const doc = await PDFDocument.load(bytes);
  const fonts = new Map<string, ReturnType<typeof fontkit.create>>();
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || obj.get(PDFName.of('Type')) !== PDFName.of('FontDescriptor')) continue;
    const file = doc.context.lookup(obj.get(PDFName.of('FontFile2')));
    if (!(file instanceof PDFRawStream)) continue;
    const name = String(obj.get(PDFName.of('FontName'))).replace(/^\//, '');
    fonts.set(name, fontkit.create(Buffer.from(decodePDFRawStream(file).decode())));
  }
  return fonts;
}

async function statement(customerNumber: string) {
  const doc = await rt.core.documents.build({ kind: 'statement', customerNumber, asOf: '2026-11-20' });
  const file = keepPdf(`scripts-statement-${customerNumber}`, doc.bytes);
  renderPng(file, 100);
  return { file, bytes: doc.bytes.length, text: plain(pdfText(file)) };
}

describe('PDFs in every script', () => {
  it('prints a Hebrew name, address and invoice line right to left, numbers and brackets the right way round', async () => {
    const { file } = await statement('HE1001');
    const drawn = drawnText(file);
    // חברת אור הגליל (2024) בע"מ, read from the right.
    expect(drawn).toContain('בע"מ (2024) הגליל אור חברת\n');
    expect(drawn).toContain('Attn: בע"מ (2024) הגליל אור חברת\n');
    // רחוב הרצל 12 and תל אביב, IL 97214, read from the right.
    expect(drawn).toContain('12 הרצל רחוב\n');
    expect(drawn).toContain('IL 97214 ,אביב תל\n');
    const invoice = await rt.core.documents.build({ kind: 'invoice', invoiceNumber: 'INV-HE1001' });
    const invoiceFile = keepPdf('scripts-invoice-HE1001', invoice.bytes);
    renderPng(invoiceFile, 100);
    expect(drawnText(invoiceFile)).toContain('חודשיים ניקיון שירותי');
  });

  it('prints an Arabic name joined and right to left, alone and among Latin words and numbers', async () => {
    const { file } = await statement('AR2002');
    const drawn = drawnText(file);
    // شركة الأمل للتجارة and شارع الملك فهد 45, read from the right.
    expect(drawn).toContain('للتجارة الأمل شركة\n');
    expect(drawn).toContain('45 فهد الملك شارع\n');
    // Latin first: a left-to-right line with the Arabic words (and the number after them) from the right.
    const mixed = await statement('MX3003');
    expect(drawnText(mixed.file)).toContain('Al Amal Trading 2024 الأمل شركة\n');
    const confirmation = await rt.core.documents.build({ kind: 'confirmation', paymentId: paymentIds.AR2002! });
    const confirmationFile = keepPdf('scripts-confirmation-AR2002', confirmation.bytes);
    renderPng(confirmationFile, 100);
    expect(drawnText(confirmationFile)).toContain('للتجارة الأمل شركة');
  });

  it('prints Chinese, Japanese and Korean with an embedded fallback font, subset so the PDF stays small', async () => {
    for (const [number, name, address] of [
      ['ZH4004', CHINESE, '朝阳区建国路88号'],
      ['JP5005', JAPANESE, '渋谷区道玄坂1-2-3'],
      ['KO6006', KOREAN, '강남구 테헤란로 152'],
    ] as const) {
      const { file, bytes, text } = await statement(number);
      expect(text).toContain(name);
      expect(text).toContain(address);
      expect(fontsOf(file)).toMatch(number === 'KO6006' ? /ARDesk-NotoSansKR\s.*\byes\b/ : /ARDesk-NotoSansSC\s.*\byes\b/);
      // The whole fallback font is 6-11 MB; the page carries only the glyphs it uses.
      expect(bytes).toBeLessThan(60_000);
    }
  });

  it('embeds fallback subsets whose every glyph has its outline (none prints blank)', async () => {
    const doc = await rt.core.documents.build({ kind: 'statements', asOf: '2026-11-20', pastDueOnly: false });
    const fonts = await embeddedFonts(doc.bytes);
    expect([...fonts.keys()].sort()).toEqual(['ARDesk-DejaVuSans', 'ARDesk-DejaVuSans-Bold', 'ARDesk-NotoSansKR', 'ARDesk-NotoSansSC']);
    for (const name of ['ARDesk-NotoSansSC', 'ARDesk-NotoSansKR']) {
      const font = fonts.get(name)!;
      // .notdef, then one glyph for each distinct Chinese, Japanese or Korean character printed
      expect(font.numGlyphs).toBeGreaterThan(name.endsWith('KR') ? 12 : 30);
      for (let id = 1; id < font.numGlyphs; id++) expect((font.getGlyph(id).path as unknown as { commands: unknown[] }).commands.length, `${name} glyph ${id}`).toBeGreaterThan(0);
    }
  });

  it('sends Arabic to the page joined, as presentation forms in the order they are drawn', async () => {
    const kit = await createPdf(loadFonts(), DEFAULT_SETTINGS);
    const runs = kit.text.runs(ARABIC);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.font).toBe(kit.regular);
    // شركة الأمل للتجارة, each word shaped (see arabic.rules), then the line reversed, from the left:
    // teh marbuta isolated, reh isolated, alef final, jeem medial, teh medial, lam medial, lam initial;
    // lam final, meem initial, lam-alef-hamza isolated, alef isolated; teh marbuta final, kaf initial,
    // reh final, sheen initial.
    expect([...runs[0]!.text].map((c) => c.codePointAt(0)!.toString(16).toUpperCase()).join(' ')).toBe(
      'FE93 FEAD FE8E FEA0 FE98 FEE0 FEDF 20 FEDE FEE3 FEF7 FE8D 20 FE94 FEDB FEAE FEB7',
    );
    // A CJK run goes to the fallback font, Latin around it to DejaVu.
    expect(kit.text.runs(`Attn: ${KOREAN}`).map((r) => r.text)).toEqual(['Attn: ', '주식회사', ' ', '한빛상사']);
  });

  it('embeds no fallback font in a document that does not need one', async () => {
    const doc = await rt.core.documents.build({ kind: 'invoice', invoiceNumber: 'INV-HE1001' });
    const file = keepPdf('scripts-invoice-no-cjk', doc.bytes);
    expect(fontsOf(file)).not.toMatch(/Noto/);
  });

  it('prints a character no font has as a visible replacement, and still builds', async () => {
    const { text } = await statement('XX7007');
    expect(text).toContain('Nowhere \uFFFD Supply \uFFFD Co');
    const invoice = await rt.core.documents.build({ kind: 'invoice', invoiceNumber: 'INV-XX7007' });
    const file = keepPdf('scripts-invoice-XX7007', invoice.bytes);
    renderPng(file, 100);
    expect(plain(pdfText(file))).toContain('Widgets \uFFFD');
  });

  it('puts every script in one batch of statements and keeps it small', async () => {
    const doc = await rt.core.documents.build({ kind: 'statements', asOf: '2026-11-20', pastDueOnly: false });
    const file = keepPdf('scripts-statements-all', doc.bytes);
    const drawn = drawnText(file);
    for (const name of ['בע"מ (2024) הגליל אור חברת', 'للتجارة الأمل شركة', 'Al Amal Trading 2024 الأمل شركة', CHINESE, JAPANESE, KOREAN]) {
      expect(drawn).toContain(name);
    }
    expect(doc.pageCount).toBe(7);
    expect(doc.bytes.length).toBeLessThan(150_000);
  });
});
