import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

describe('the layout', () => {
  it('keeps electron out of the core: only the shell and the preload import it', () => {
    const importers = [...sourceFiles(path.join(root, 'src')), ...sourceFiles(path.join(root, 'bin'))]
      .filter((f) => /from ['"]electron['"]|require\(['"]electron['"]\)/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f))
      .sort();
    expect(importers).toEqual(['src/main/index.ts', 'src/preload/index.ts']);
  });

  it('keeps Node out of the shared code and the renderer', () => {
    const files = [...sourceFiles(path.join(root, 'src/shared')), ...sourceFiles(path.join(root, 'src/renderer'))];
    for (const f of files) {
      expect(fs.readFileSync(f, 'utf8'), path.relative(root, f)).not.toMatch(/from ['"](node:|fs['"]|path['"]|better-sqlite3|kysely)/);
    }
  });

  it('gives the renderer a TypeScript project without Node types', () => {
    const web = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.web.json'), 'utf8')) as {
      compilerOptions: { types: string[]; lib: string[] };
      include: string[];
    };
    expect(web.compilerOptions.types).toEqual([]);
    expect(web.compilerOptions.lib).toContain('DOM');
    expect(web.include.some((p) => p.startsWith('src/main'))).toBe(false);
  });
});
