import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findFontsDir, loadFonts } from '../../../src/main/documents/fonts';

/** The fallback fonts (17 MB of Noto) are read only when a document first needs one of their characters. */
describe('loadFonts', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads the two main fonts at once and each fallback font only on first use, once', () => {
    // A folder of its own, so this load is not the process's kept one.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-fonts-'));
    for (const f of fs.readdirSync(findFontsDir())) fs.copyFileSync(path.join(findFontsDir(), f), path.join(dir, f));
    const read = vi.spyOn(fs, 'readFileSync');
    const readOf = (name: string) => read.mock.calls.filter(([file]) => String(file).endsWith(name)).length;
    try {
      const fonts = loadFonts(dir);
      expect(readOf('DejaVuSans.ttf')).toBe(1);
      expect(readOf('DejaVuSans-Bold.ttf')).toBe(1);
      expect(fonts.fallbacks!.map((f) => f.name)).toEqual(['ARDesk-NotoSansSC', 'ARDesk-NotoSansKR']);
      expect(readOf('NotoSansSC-Regular.ttf')).toBe(0);
      expect(readOf('NotoSansKR-Regular.ttf')).toBe(0);

      const sc = fonts.fallbacks![0]!.bytes;
      expect(sc.byteLength).toBe(fs.statSync(path.join(dir, 'NotoSansSC-Regular.ttf')).size);
      expect(fonts.fallbacks![0]!.bytes).toBe(sc);
      expect(readOf('NotoSansSC-Regular.ttf')).toBe(1);
      expect(readOf('NotoSansKR-Regular.ttf')).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
