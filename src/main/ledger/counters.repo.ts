import type { Db, Tx } from '../db/types';

/**
 * Generated document numbers: INV-100001, CR-100001, … The counter row holds the last number
 * handed out; it moves inside the writing transaction, so two writers never get the same one.
 */

export type DocumentKind = 'invoice' | 'credit';

const FORMATS: Record<DocumentKind, { counter: string; prefix: string; table: 'invoices' | 'credit_memos'; column: 'invoice_number' | 'credit_number' }> = {
  invoice: { counter: 'invoice_number', prefix: 'INV-', table: 'invoices', column: 'invoice_number' },
  credit: { counter: 'credit_number', prefix: 'CR-', table: 'credit_memos', column: 'credit_number' },
};

const FIRST = 100_001;

/**
 * Takes the counter row's lock for the rest of the transaction (creating the row when missing), so
 * two transactions handing out numbers at once on PostgreSQL take turns instead of reading the
 * same last number; on SQLite the single writer already orders them.
 */
async function lockCounter(db: Db, name: string): Promise<void> {
  await db
    .insertInto('counters')
    .values({ name, value: FIRST - 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb.ref('counters.value') })))
    .execute();
}

async function counterValue(db: Db, name: string): Promise<number> {
  const row = await db.selectFrom('counters').select('value').where('name', '=', name).executeTakeFirst();
  return row?.value ?? FIRST - 1;
}

async function setCounter(db: Db, name: string, value: number): Promise<void> {
  await db
    .insertInto('counters')
    .values({ name, value })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
    .execute();
}

/** The next unused number of this kind; skips numbers already taken (imported or entered by hand). */
export async function nextDocumentNumber(db: Tx, kind: DocumentKind): Promise<string> {
  const f = FORMATS[kind];
  await lockCounter(db, f.counter);
  let n = (await counterValue(db, f.counter)) + 1;
  for (;;) {
    const candidate = `${f.prefix}${n}`;
    const taken = await db
      .selectFrom(f.table)
      .select('id')
      .where(f.column, '=', candidate)
      .executeTakeFirst();
    if (!taken) {
      await setCounter(db, f.counter, n);
      return candidate;
    }
    n++;
  }
}

/** `count` unused numbers of this kind in one go, in order (a billing run numbers a batch of invoices). */
export async function nextDocumentNumbers(db: Tx, kind: DocumentKind, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const f = FORMATS[kind];
  const out: string[] = [];
  await lockCounter(db, f.counter);
  let n = (await counterValue(db, f.counter)) + 1;
  while (out.length < count) {
    const want = count - out.length;
    const candidates = Array.from({ length: want }, (_, i) => `${f.prefix}${n + i}`);
    const taken = new Set<string>();
    for (let i = 0; i < candidates.length; i += 5000) {
      const rows = await db.selectFrom(f.table).select(f.column).where(f.column, 'in', candidates.slice(i, i + 5000)).execute();
      for (const r of rows) taken.add((r as Record<string, string>)[f.column]!);
    }
    for (const c of candidates) if (!taken.has(c)) out.push(c);
    n += want;
  }
  await setCounter(db, f.counter, n - 1);
  return out;
}

/**
 * After numbers were given explicitly (an import), moves the counter past the highest one in
 * the generated format so later generated numbers do not have to skip over them one by one.
 */
export async function raiseCounterPast(db: Tx, kind: DocumentKind, numbers: Iterable<string>): Promise<void> {
  const f = FORMATS[kind];
  const pattern = new RegExp(`^${f.prefix}([0-9]{1,15})$`);
  let highest = -1;
  for (const number of numbers) {
    const m = pattern.exec(number);
    if (m) highest = Math.max(highest, Number(m[1]));
  }
  if (highest < 0) return;
  const current = await counterValue(db, f.counter);
  if (highest > current) await setCounter(db, f.counter, highest);
}
