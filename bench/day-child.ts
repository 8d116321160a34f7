/**
 * The simulated hour of bench/day.ts in a process of its own, holding the ledger as the app's main
 * process does and nothing of the benchmark's, so its resident memory is the main process's:
 *   node --import tsx bench/day-child.ts --db LEDGER [--database-url URL] --as-of DATE
 * (bench/run.ts runs it bundled, as bench/child-bundle.ts says.)
 * Prints the figures as one line of JSON.
 */
import { nameWords } from '../src/main/ledger/search.rules';
import { openChildRuntime } from './child-runtime';
import { memoryAfterDay } from './day';

const { rt, asOf } = await openChildRuntime();
try {
  const db = rt.ledger.db;
  // Accounts with something to pay, spread over the ledger (every 7th of the first 2,800 by number).
  const open = await db
    .selectFrom('invoices as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .select('c.customer_number')
    .distinct()
    .where('i.status', '=', 'open')
    .where('i.disputed', '=', 0)
    .orderBy('c.customer_number', 'desc')
    .limit(2_800)
    .execute();
  const customersWithOpen = open.map((r) => r.customer_number).filter((_, i) => i % 7 === 0);
  const people = await db.selectFrom('customers').select(['customer_number', 'legal_name']).orderBy('id').limit(600).execute();
  const lookups = people.flatMap((p) => [p.customer_number, (nameWords(p.legal_name)[0] ?? 'a').slice(0, 4)]);
  const figures = await memoryAfterDay(rt, lookups, customersWithOpen, asOf);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} finally {
  await rt.close();
}
