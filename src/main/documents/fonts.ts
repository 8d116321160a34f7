import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The TrueType fonts embedded in every document, so the same bytes come out on any machine, offline. */
export interface FontBytes {
  regular: Uint8Array;
  bold: Uint8Array;
  /** Fonts for what DejaVu Sans lacks (Chinese, Japanese, Korean), tried in order; embedded only when used. */
  fallbacks?: FallbackFontBytes[];
}

export interface FallbackFontBytes {
  /** The font's name in the PDF (fixed, so the same record gives the same bytes). */
  name: string;
  bytes: Uint8Array;
}

const REGULAR = 'DejaVuSans.ttf';
const BOLD = 'DejaVuSans-Bold.ttf';
/**
 * Noto Sans SC covers Chinese (20,976 of the 20,992 unified ideographs, and extension A) and
 * Japanese kana; Noto Sans KR adds Hangul. Both regular weight only: bold text in these scripts
 * prints in regular. See resources/fonts/LICENSE-Noto.txt.
 */
const FALLBACKS = [
  { file: 'NotoSansSC-Regular.ttf', name: 'ARDesk-NotoSansSC' },
  { file: 'NotoSansKR-Regular.ttf', name: 'ARDesk-NotoSansKR' },
];

/**
 * resources/fonts, found by walking up from this module: it is src/main/documents under tsx and
 * Vitest, out/main once bundled, and inside app.asar (unpacked beside it) when packaged.
 */
export function findFontsDir(start = path.dirname(fileURLToPath(import.meta.url))): string {
  const tried: string[] = [];
  let dir = start;
  for (let i = 0; i < 8; i++) {
    for (const candidate of [path.join(dir, 'resources', 'fonts'), path.join(dir.replace(/\.asar(?=$|[\\/])/, '.asar.unpacked'), 'resources', 'fonts')]) {
      tried.push(candidate);
      if (fs.existsSync(path.join(candidate, REGULAR))) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`The document fonts were not found (looked in ${tried.join(', ')}).`);
}

/**
 * A fallback font read from its file the first time a document needs a character only it has: the
 * two Noto files are 17 MB, and parsed they hold about 28 MB of a process that may never print a
 * Chinese, Japanese or Korean letter.
 */
function readWhenUsed(name: string, file: string): FallbackFontBytes {
  let bytes: Uint8Array | undefined;
  return {
    name,
    get bytes() {
      return (bytes ??= new Uint8Array(fs.readFileSync(file)));
    },
  };
}

let cached: { dir: string; fonts: FontBytes } | undefined;

export function loadFonts(dir?: string): FontBytes {
  const fontsDir = dir ?? cached?.dir ?? findFontsDir();
  if (cached?.dir === fontsDir) return cached.fonts;
  const fonts: FontBytes = {
    regular: new Uint8Array(fs.readFileSync(path.join(fontsDir, REGULAR))),
    bold: new Uint8Array(fs.readFileSync(path.join(fontsDir, BOLD))),
    fallbacks: FALLBACKS.filter((f) => fs.existsSync(path.join(fontsDir, f.file))).map((f) => readWhenUsed(f.name, path.join(fontsDir, f.file))),
  };
  cached = { dir: fontsDir, fonts };
  return fonts;
}
