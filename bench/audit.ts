/**
 * audit.list on a big audit log (figures, not pass/fail):
 *   npx tsx bench/audit.ts [--rows 1000000] [--reuse]
 * Fills a ledger in the temp folder with generated audit rows (40 people, 7 actions, 5,000
 * customers, a year of history), then prints, for each filter audit.list offers, the time of the
 * first page of 100 and of the next ten pages by cursor, and the query plan SQLite chose.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fixedClock } from '../src/main/clock';
import { openLedger } from '../src/main/db/connection';
import { silentLogger } from '../src/main/log';
import { createAuditService } from '../src/main/staff/audit.service';
import type { AuditListInput } from '../src/shared/contract/audit';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, reuse: { type: 'boolean', default: false } }, strict: true });
const rows = Number(args.rows);
if (!Number.isSafeInteger(rows) || rows < 1) throw new Error('--rows must be a positive whole number');
const file = path.join(os.tmpdir(), 'ar-desk-bench', `audit-${rows}.db`);
if (!args.reuse) for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
fs.mkdirSync(path.dirname(file), { recursive: true });

const ledger = await openLedger(file);
const have = (ledger.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
if (have < rows) {
  const t = performance.now();
  ledger.sqlite.exec(`
    WITH RECURSIVE n(i) AS (SELECT ${have + 1} UNION ALL SELECT i + 1 FROM n WHERE i < ${rows})
    INSERT INTO audit_log (at, actor, action, entity, entity_id, summary, customer_number, outcome, error_code, workstation, actor_id, actor_name)
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', '2025-11-20', '+' || (i * 31536000 / ${rows}) || ' seconds'),
      'user' || (i % 40),
      CASE i % 7 WHEN 0 THEN 'payments.refund' WHEN 1 THEN 'auth.signIn' WHEN 2 THEN 'payment.capture' WHEN 3 THEN 'customer.update'
        WHEN 4 THEN 'print.queue' WHEN 5 THEN 'invoice.void' ELSE 'payment.void' END,
      'payment', i, '{}',
      CASE WHEN i % 3 = 0 THEN NULL ELSE 'CL' || (1000 + i % 5000) END,
      CASE WHEN i % 50 = 0 THEN 'failure' ELSE 'success' END, CASE WHEN i % 50 = 0 THEN 'FORBIDDEN' END,
      'ws-' || printf('%012x', i % 4), i % 40, 'User ' || (i % 40)
    FROM n`);
  console.log(`generated ${rows - have} audit rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

const audit = createAuditService({ ledger, clock: fixedClock('2026-11-20T15:00:00Z'), log: silentLogger, workstation: 'bench', totpKey: () => null, timeZone: () => 'America/New_York' });
const filters: AuditListInput[] = [
  {},
  { actor: 'user7' },
  { action: 'invoice.void' },
  { customerNumber: 'CL1042' },
  { from: '2026-03-01', to: '2026-03-31' },
  { actor: 'user7', action: 'invoice.void' },
  { actor: 'user7', from: '2026-06-01', to: '2026-06-07' },
  { customerNumber: 'CL1042', action: 'payments.refund' },
];
console.log(`audit.list on ${rows.toLocaleString('en-US')} rows, pages of 100:`);
for (const filter of filters) {
  let t = performance.now();
  let page = await audit.list({ ...filter, limit: 100 });
  const first = performance.now() - t;
  t = performance.now();
  let pages = 0;
  for (; pages < 10 && page.nextCursor; pages += 1) page = await audit.list({ ...filter, limit: 100, cursor: page.nextCursor });
  const next = (performance.now() - t) / Math.max(pages, 1);
  console.log(`  ${JSON.stringify(filter).padEnd(58)} first page ${first.toFixed(1).padStart(6)} ms, next pages ${next.toFixed(1).padStart(6)} ms each`);
}
await ledger.close();
