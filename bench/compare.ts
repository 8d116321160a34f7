/**
 * The last SQLite and PostgreSQL runs of the benchmark side by side:
 *   npx tsx bench/compare.ts [SQLITE_JSON] [POSTGRES_JSON]
 * (by default bench/results/latest.json and bench/results/latest-postgres.json).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Medians, Timing } from './timing';

interface Result {
  at: string;
  server?: string | null;
  ledger: { customers: number; invoices: number; open_invoices: number; applications: number };
  seedSeconds: number | null;
  copy?: { seconds: number; rows: number; vacuumSeconds: number } | null;
  start: { openMs: number };
  timingsMs: Record<string, Timing>;
  loadAverage: { before: string; after: number[] };
  importTenThousandInvoicesMs: number;
  aging: {
    asOf: string;
    oursMs: Medians;
    handWrittenMs: Medians;
    ratio: Medians;
    sameFigures: boolean;
    sameAsSqlite?: boolean | null;
    yearEarlier: { asOf: string; oursMs: Medians; handWrittenMs: Medians };
  };
}

const results = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const [sqliteFile = path.join(results, 'latest.json'), postgresFile = path.join(results, 'latest-postgres.json')] = process.argv.slice(2);
const read = (file: string): Result => JSON.parse(fs.readFileSync(file, 'utf8')) as Result;
const s = read(sqliteFile);
const p = read(postgresFile);

const ms = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(2));
const cell = (text: string) => text.padStart(19);
const row = (label: string, a: string, b: string) => console.log(`${label.padEnd(52)}${cell(a)}${cell(b)}`);
const pair = (t: { p50: number; p95: number } | undefined) => (t ? `${ms(t.p50)} / ${ms(t.p95)}` : '-');
const load = (r: Result) => `${r.loadAverage.before} -> ${r.loadAverage.after.map((l) => l.toFixed(1)).join(' ')}`;

console.log(`SQLite:     ${s.at}, load average ${load(s)}`);
console.log(`PostgreSQL: ${p.at}, load average ${load(p)}`);
if (p.server) console.log(`            ${p.server}`);
console.log('');
row('', 'SQLite', 'PostgreSQL');
row('customers / invoices', `${s.ledger.customers} / ${s.ledger.invoices}`, `${p.ledger.customers} / ${p.ledger.invoices}`);
row('seed (s)', s.seedSeconds === null ? 'reused' : s.seedSeconds.toFixed(1), p.seedSeconds === null ? 'reused' : p.seedSeconds.toFixed(1));
row('copy into PostgreSQL, incl. VACUUM ANALYZE (s)', '', p.copy ? `${p.copy.seconds.toFixed(1)} (${p.copy.vacuumSeconds.toFixed(1)})` : 'reused');
row('ledger open (ms)', s.start.openMs.toFixed(0), p.start.openMs.toFixed(0));
console.log('');
row('wall ms, p50 / p95', 'SQLite', 'PostgreSQL');
for (const name of Object.keys(s.timingsMs)) row(name, pair(s.timingsMs[name]), pair(p.timingsMs[name]));
console.log('');
row('cpu ms of this process, p50 / p95', 'SQLite', 'PostgreSQL');
for (const name of Object.keys(s.timingsMs)) {
  const c = (r: Result) => {
    const t = r.timingsMs[name];
    return t ? `${ms(t.cpuP50)} / ${ms(t.cpuP95)}` : '-';
  };
  row(name, c(s), c(p));
}
if (Object.values(p.timingsMs).some((t) => t.serverCpuMean !== null && t.serverCpuMean !== undefined)) {
  console.log('');
  row('PostgreSQL server cpu ms, mean per call', '', 'PostgreSQL');
  for (const name of Object.keys(p.timingsMs)) row(name, '', ms(p.timingsMs[name]?.serverCpuMean));
}
console.log('');
row('aging report, median of 3 (wall ms)', 'SQLite', 'PostgreSQL');
row(`ours, as of ${s.aging.asOf}`, ms(s.aging.oursMs.wall), ms(p.aging.oursMs.wall));
row('  one hand-written SQL query', ms(s.aging.handWrittenMs.wall), ms(p.aging.handWrittenMs.wall));
row('  ratio ours / hand-written', s.aging.ratio.wall.toFixed(2), p.aging.ratio.wall.toFixed(2));
row('  cpu ms: this process, ours / hand-written', `${ms(s.aging.oursMs.cpu)} / ${ms(s.aging.handWrittenMs.cpu)}`, `${ms(p.aging.oursMs.cpu)} / ${ms(p.aging.handWrittenMs.cpu)}`);
row('  cpu ms: the server, ours / hand-written', '', `${ms(p.aging.oursMs.server)} / ${ms(p.aging.handWrittenMs.server)}`);
row('  same figures as the hand-written query', s.aging.sameFigures ? 'yes' : 'NO', p.aging.sameFigures ? 'yes' : 'NO');
if (p.aging.sameAsSqlite !== undefined && p.aging.sameAsSqlite !== null) row('  same figures as the SQLite ledger', '', p.aging.sameAsSqlite ? 'yes' : 'NO');
const y = (r: Result) => r.aging.yearEarlier;
row(`ours, as of ${y(s).asOf}`, ms(y(s).oursMs.wall), ms(y(p).oursMs.wall));
row('  one hand-written SQL query', ms(y(s).handWrittenMs.wall), ms(y(p).handWrittenMs.wall));
row('  ratio ours / hand-written', (y(s).oursMs.wall / y(s).handWrittenMs.wall).toFixed(2), (y(p).oursMs.wall / y(p).handWrittenMs.wall).toFixed(2));
row('  cpu ms: this process, ours / hand-written', `${ms(y(s).oursMs.cpu)} / ${ms(y(s).handWrittenMs.cpu)}`, `${ms(y(p).oursMs.cpu)} / ${ms(y(p).handWrittenMs.cpu)}`);
row('  cpu ms: the server, ours / hand-written', '', `${ms(y(p).oursMs.server)} / ${ms(y(p).handWrittenMs.server)}`);
console.log('');
row('import 10,000 invoices into a new ledger (ms)', s.importTenThousandInvoicesMs.toFixed(0), p.importTenThousandInvoicesMs.toFixed(0));
