/**
 * Copies a whole SQLite ledger, row for row and id for id, into a freshly migrated PostgreSQL
 * ledger: how the demo seed (which writes through the SQLite handle, see seed.ts) reaches an
 * office server without a second copy of its rules. Used by the benchmark and by
 * `npm run cli -- --database-url URL seed`.
 *
 * - Every table of the PostgreSQL schema (but the migrator's own) is read from the SQLite file
 *   under the same name and columns, in batches of BATCH_ROWS, and written with one
 *   `INSERT ... SELECT FROM unnest($1::bigint[], $2::text[], ...)` per batch: one round trip and
 *   one parsed statement for thousands of rows.
 * - Only into a new ledger: every table must be empty but for the rows the migrations wrote, which
 *   are the same in both engines (the staff policy's one row) and are kept.
 * - One transaction per table, parents before children. Triggers are off inside it: the change-log
 *   triggers would otherwise note (and NOTIFY) every copied row as a new change, and the rows are
 *   the source's own. A superuser sets `session_replication_role = replica` for the transaction,
 *   which also skips the foreign-key checks (the SQLite file enforced the same keys); the owner of
 *   the database, who may not, disables the tables' own triggers (`DISABLE TRIGGER USER`) for the
 *   transaction and the foreign keys are checked as the rows go in.
 * - Then each identity sequence continues after the highest copied id, and VACUUM ANALYZE gives
 *   the planner its statistics and the visibility map a settled server would have.
 */
import type Database from 'better-sqlite3';
import { sql } from 'kysely';
import { AppError } from '../../shared/errors';
import type { Ledger } from '../db/connection';

const BATCH_ROWS = 5000;
const MIGRATOR_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

interface Column {
  name: string;
  /** PostgreSQL's name of the column's type (bigint, integer, text, bytea), used for the array cast. */
  type: string;
  identity: boolean;
}

interface Table {
  name: string;
  columns: Column[];
  /** Tables this one's foreign keys point at (itself left out). */
  parents: string[];
}

export interface CopySummary {
  tables: { name: string; rows: number; seconds: number }[];
  rows: number;
  /** How the triggers were kept off: the superuser's replica role, or the owner's DISABLE TRIGGER USER. */
  triggersOff: 'replica' | 'disable-trigger';
  vacuumSeconds: number;
  seconds: number;
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function schemaTables(ledger: Ledger): Promise<Table[]> {
  const columns = await sql<{ table_name: string; column_name: string; type: string; identity: string }>`
    SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, NULL) AS type, a.attidentity AS identity
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = current_schema() AND c.relkind = 'r'
    ORDER BY c.relname, a.attnum`.execute(ledger.db);
  const keys = await sql<{ child: string; parent: string }>`
    SELECT DISTINCT ch.relname AS child, pa.relname AS parent
    FROM pg_constraint k
    JOIN pg_class ch ON ch.oid = k.conrelid
    JOIN pg_class pa ON pa.oid = k.confrelid
    JOIN pg_namespace n ON n.oid = ch.relnamespace
    WHERE k.contype = 'f' AND n.nspname = current_schema() AND ch.oid <> pa.oid`.execute(ledger.db);
  const tables = new Map<string, Table>();
  for (const c of columns.rows) {
    if (MIGRATOR_TABLES.has(c.table_name)) continue;
    let t = tables.get(c.table_name);
    if (!t) tables.set(c.table_name, (t = { name: c.table_name, columns: [], parents: [] }));
    t.columns.push({ name: c.column_name, type: c.type, identity: c.identity !== '' });
  }
  for (const k of keys.rows) tables.get(k.child)?.parents.push(k.parent);
  return parentsFirst([...tables.values()]);
}

/** The tables ordered so that every table comes after the tables its foreign keys point at. */
function parentsFirst(tables: Table[]): Table[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const out: Table[] = [];
  const visit = (t: Table, path: Set<string>) => {
    if (done.has(t.name)) return;
    if (path.has(t.name)) throw new AppError('INTERNAL', `The foreign keys of ${t.name} form a cycle; the ledger cannot be copied table by table.`);
    path.add(t.name);
    for (const p of t.parents) {
      const parent = byName.get(p);
      if (parent) visit(parent, path);
    }
    path.delete(t.name);
    done.add(t.name);
    out.push(t);
  };
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t, new Set());
  return out;
}

function assertSameColumns(source: Database.Database, table: Table): void {
  const have = new Set((source.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table.name) as string[]));
  if (have.size === 0) throw new AppError('INTERNAL', `The SQLite ledger has no table ${table.name}; is it from an older AR Desk?`, { table: table.name });
  const missing = table.columns.filter((c) => !have.has(c.name)).map((c) => c.name);
  if (missing.length > 0) {
    throw new AppError('INTERNAL', `The SQLite ledger's ${table.name} lacks ${missing.join(', ')}; both ledgers must be at the same schema.`, {
      table: table.name,
      missing,
    });
  }
}

async function isSuperuser(ledger: Ledger): Promise<boolean> {
  const r = await sql<{ value: string }>`SELECT current_setting('is_superuser') AS value`.execute(ledger.db);
  return r.rows[0]?.value === 'on';
}

/**
 * Tables a workstation writes on its own when it opens a new ledger, before any data is copied:
 * their rows in the target are kept and the source's are not copied.
 */
const WRITTEN_AT_OPEN: Record<string, string> = {
  office_settings: "the office's settings record, made from the opening workstation's own settings",
  change_log: 'the live-update feed, whose one row is that record being made',
};

/**
 * The tables to copy: those still empty in `target` (see WRITTEN_AT_OPEN). A table that already has rows is left alone
 * when they are the source's very rows (what both engines' migrations write, like the staff
 * policy's one row); any other rows mean the ledger is in use, and nothing is copied.
 */
async function tablesToCopy(source: Database.Database, target: Ledger, tables: Table[]): Promise<Table[]> {
  const empty: Table[] = [];
  for (const table of tables) {
    const columns = table.columns.map((c) => ident(c.name)).join(', ');
    const { n } = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table.name)}`.execute(target.db)).rows[0]!;
    if (n === 0) {
      empty.push(table);
      continue;
    }
    if (n <= 100 && table.name in WRITTEN_AT_OPEN) continue;
    const sameRows =
      n <= 100 &&
      JSON.stringify((await sql.raw(`SELECT ${columns} FROM ${ident(table.name)} ORDER BY 1`).execute(target.db)).rows) ===
        JSON.stringify(source.prepare(`SELECT ${columns} FROM ${ident(table.name)} ORDER BY 1`).all());
    if (!sameRows) {
      throw new AppError(
        'CONFLICT',
        `The ledger at ${target.path} already has ${n} rows in ${table.name}; demo data is copied only into a new, empty ledger. Nothing was copied.`,
        { table: table.name, rows: n },
      );
    }
  }
  return empty;
}

/**
 * Copies every table of `source` into the PostgreSQL `target`, which must be migrated to the same
 * schema and otherwise empty (see tablesToCopy); refused (CONFLICT) before anything is written.
 */
export async function copyLedgerToPostgres(source: Database.Database, target: Ledger): Promise<CopySummary> {
  if (target.dialect !== 'postgres') throw new AppError('INTERNAL', 'The copy goes into a PostgreSQL ledger.');
  const started = performance.now();
  const all = await schemaTables(target);
  for (const t of all) assertSameColumns(source, t);
  const tables = await tablesToCopy(source, target, all);
  const replica = await isSuperuser(target);
  const summary: CopySummary = { tables: [], rows: 0, triggersOff: replica ? 'replica' : 'disable-trigger', vacuumSeconds: 0, seconds: 0 };

  for (const table of tables) {
    const tableStarted = performance.now();
    const name = ident(table.name);
    const columnList = table.columns.map((c) => ident(c.name)).join(', ');
    const into = sql.join(table.columns.map((c) => sql.ref(c.name)));
    const hasId = table.columns.some((c) => c.name === 'id');
    const read = source.prepare(`SELECT ${columnList} FROM ${name}${hasId ? ' ORDER BY id' : ''}`).raw(true);
    let rows = 0;
    await target.db.transaction().execute(async (trx) => {
      if (replica) await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      else await sql.raw(`ALTER TABLE ${name} DISABLE TRIGGER USER`).execute(trx);
      let batch: unknown[][] = table.columns.map(() => []);
      let inBatch = 0;
      const flush = async () => {
        if (inBatch === 0) return;
        const arrays = sql.join(batch.map((values, i) => sql`${values}::${sql.raw(table.columns[i]!.type)}[]`));
        await sql`INSERT INTO ${sql.table(table.name)} (${into}) SELECT * FROM unnest(${arrays})`.execute(trx);
        batch = table.columns.map(() => []);
        inBatch = 0;
      };
      for (const row of read.iterate() as IterableIterator<unknown[]>) {
        for (let i = 0; i < row.length; i++) batch[i]!.push(row[i]);
        rows++;
        if (++inBatch === BATCH_ROWS) await flush();
      }
      await flush();
      if (!replica) await sql.raw(`ALTER TABLE ${name} ENABLE TRIGGER USER`).execute(trx);
      for (const c of table.columns.filter((col) => col.identity)) {
        await sql`SELECT setval(pg_get_serial_sequence(${table.name}, ${c.name}), coalesce(max(${sql.ref(c.name)}), 0) + 1, false)
                  FROM ${sql.table(table.name)}`.execute(trx);
      }
    });
    summary.tables.push({ name: table.name, rows, seconds: (performance.now() - tableStarted) / 1000 });
    summary.rows += rows;
  }

  const vacuumStarted = performance.now();
  for (const table of all) await sql.raw(`VACUUM (ANALYZE) ${ident(table.name)}`).execute(target.db);
  summary.vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
