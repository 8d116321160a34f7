import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A page rendered to 8-bit gray by poppler's pdftoppm (a binary PGM, read here). */
export interface GrayImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

export function readPgm(buffer: Buffer): GrayImage {
  const fields: string[] = [];
  let at = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(buffer[at]!))) at += 1;
    if (buffer[at] === 0x23) {
      while (buffer[at] !== 0x0a) at += 1;
      continue;
    }
    const start = at;
    while (!/\s/.test(String.fromCharCode(buffer[at]!))) at += 1;
    fields.push(buffer.subarray(start, at).toString('latin1'));
  }
  at += 1;
  const [magic, width, height, max] = [fields[0], Number(fields[1]), Number(fields[2]), Number(fields[3])];
  if (magic !== 'P5' || max !== 255) throw new Error(`Not an 8-bit binary PGM: ${fields.join(' ')}`);
  return { width, height, pixels: buffer.subarray(at, at + width * height) };
}

/** Renders one page of a PDF in gray at `dpi`. */
export function renderGray(pdf: string, page = 1, dpi = 72): GrayImage {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-pixels-'));
  try {
    execFileSync('pdftoppm', ['-q', '-r', String(dpi), '-gray', '-f', String(page), '-l', String(page), '-singlefile', pdf, path.join(dir, 'page')], {
      stdio: 'ignore',
    });
    return readPgm(fs.readFileSync(path.join(dir, 'page.pgm')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface PixelDifference {
  /** Mean absolute difference of all pixels, in percent of full scale. */
  meanPercent: number;
  /**
   * Share of 8x8 blocks whose mean gray differs by more than 16 levels, in percent: anti-aliasing
   * of glyph edges stays inside a block, a missing or moved word does not.
   */
  blocksPercent: number;
  blocks: number;
}

export function compareGray(a: GrayImage, b: GrayImage, block = 8, threshold = 16): PixelDifference {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`The pages differ in size: ${a.width}x${a.height} and ${b.width}x${b.height}`);
  let sum = 0;
  for (let i = 0; i < a.pixels.length; i++) sum += Math.abs(a.pixels[i]! - b.pixels[i]!);
  let differing = 0;
  let blocks = 0;
  for (let by = 0; by + block <= a.height; by += block) {
    for (let bx = 0; bx + block <= a.width; bx += block) {
      let sa = 0;
      let sb = 0;
      for (let y = by; y < by + block; y++) {
        for (let x = bx; x < bx + block; x++) {
          sa += a.pixels[y * a.width + x]!;
          sb += b.pixels[y * b.width + x]!;
        }
      }
      blocks += 1;
      if (Math.abs(sa - sb) / (block * block) > threshold) differing += 1;
    }
  }
  return { meanPercent: (sum / a.pixels.length / 255) * 100, blocksPercent: (differing / blocks) * 100, blocks };
}
