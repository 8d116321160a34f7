/**
 * A benchmark child script (bench/day-child.ts, bench/statements-child.ts) bundled into one
 * JavaScript file before it runs, so the process measured holds the code as the app's main process
 * does: one bundle with the packages left outside it (as electron-vite builds main), not TypeScript
 * compiled at run time, whose compiled sources and source maps alone cost a process about 55 MB.
 * The bundle is written to bench/.out (two folders below the project, so the fonts and
 * package.json are found as from out/main).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Bundles bench/NAME.ts and returns the bundle's path, to run with plain `node`. */
export function bundledChild(name: 'day-child' | 'statements-child'): string {
  const outfile = path.join(here, '.out', `${name}.mjs`);
  buildSync({
    entryPoints: [path.join(here, `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}
