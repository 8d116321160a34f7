// The structure check of `npm test`: the dependency rules of .dependency-cruiser.cjs (layers, no
// cycles) and the size limit of source files. Exits non-zero and says which rule broke.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const MAX_LINES = 400;
/** Files allowed past the limit, each with its reason. Generated files and pure data tables only. */
const SIZE_EXCEPTIONS = {
};

let failed = false;

const cruise = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs'), 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
  { cwd: root, encoding: 'utf8' },
);
const cruiseOut = `${cruise.stdout ?? ''}${cruise.stderr ?? ''}`
  .split('\n')
  .filter((l) => !/missing-tsc-transpiler|compatible TypeScript compiler|it's likely to have missed|Install typescript|npm i -D typescript|Support for typescript@>=7|^\s*$|^‼|typescript: >=2/.test(l))
  .join('\n');
console.log(cruiseOut);
if (cruise.status !== 0) failed = true;

function* sourceFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(p);
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(entry.name)) yield p;
  }
}
const oversized = [];
for (const file of sourceFiles(path.join(root, 'src'))) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  const lines = fs.readFileSync(file, 'utf8').split('\n').length;
  if (lines > MAX_LINES && !(rel in SIZE_EXCEPTIONS)) oversized.push(`${rel}: ${lines} lines`);
}
if (oversized.length > 0) {
  failed = true;
  console.log(`Source files over ${MAX_LINES} lines (split them along their seams, or name them in SIZE_EXCEPTIONS with the reason):`);
  for (const o of oversized) console.log(`  ${o}`);
} else console.log(`No source file in src/ over ${MAX_LINES} lines.`);

process.exit(failed ? 1 : 0);
