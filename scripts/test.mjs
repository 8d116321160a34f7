// Runs every test of AR Desk: typecheck, unit and integration (Vitest), end to end (Playwright).
// Each runner writes a JSON report under test-results/; the summary line is summed from them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
for (const f of ['vitest.json', 'playwright.json']) fs.rmSync(path.join(results, f), { force: true });

const only = process.argv[2]; // optional: typecheck | structure | unit | e2e
const run = (args) => spawnSync('npm', ['run', '--silent', ...args], { cwd: root, stdio: 'inherit' }).status ?? 1;

const counts = { passed: 0, failed: 0, skipped: 0 };
let failedSteps = [];

if (!only || only === 'typecheck') {
  const code = run(['typecheck']);
  if (code === 0) counts.passed += 1;
  else {
    counts.failed += 1;
    failedSteps.push('typecheck');
  }
}
if (!only || only === 'structure') {
  // Dependency rules (layers, no cycles) and the file-size limit: scripts/check-structure.mjs.
  const code = spawnSync(process.execPath, [path.join(root, 'scripts/check-structure.mjs')], { cwd: root, stdio: 'inherit' }).status ?? 1;
  if (code === 0) counts.passed += 1;
  else {
    counts.failed += 1;
    failedSteps.push('structure');
  }
}
if (!only || only === 'unit') {
  const code = run(['test:unit']);
  const file = path.join(results, 'vitest.json');
  if (fs.existsSync(file)) {
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    counts.passed += r.numPassedTests ?? 0;
    counts.failed += r.numFailedTests ?? 0;
    counts.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    // A file that fails to load has no tests to count: count it as a failure.
    const brokenFiles = (r.testResults ?? []).filter((t) => t.status === 'failed' && (t.assertionResults ?? []).length === 0);
    counts.failed += brokenFiles.length;
  } else if (code !== 0) counts.failed += 1;
  if (code !== 0) failedSteps.push('unit');
}
if (!only || only === 'e2e') {
  // With a PostgreSQL test cluster the suite runs on PostgreSQL, and the specs about the SQLite file
  // on SQLite (playwright.config.ts, AR_DESK_E2E_SPLIT).
  if (process.env.AR_DESK_TEST_DATABASE_URL && !process.env.AR_DESK_E2E_ENGINE) process.env.AR_DESK_E2E_SPLIT = '1';
  const code = run(['test:e2e']);
  const file = path.join(results, 'playwright.json');
  if (fs.existsSync(file)) {
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    const s = r.stats ?? {};
    counts.passed += (s.expected ?? 0) + (s.flaky ?? 0);
    counts.failed += s.unexpected ?? 0;
    counts.skipped += s.skipped ?? 0;
    if ((r.errors ?? []).length > 0 && (s.unexpected ?? 0) === 0) counts.failed += r.errors.length;
  } else if (code !== 0) counts.failed += 1;
  if (code !== 0) failedSteps.push('e2e');
}

if (failedSteps.length > 0 && counts.failed === 0) counts.failed = failedSteps.length;
console.log(`\nFailed steps: ${failedSteps.join(', ') || 'none'}`);
console.log(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(counts.failed > 0 || counts.passed === 0 ? 1 : 0);
