import { sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * A ledger's schema read back from SQLite or PostgreSQL into one engine-neutral shape, so the two
 * can be compared fact by fact (schema-compare.ts, test/integration/db-parity.test.ts). What differs by nature between
 * the engines is normalised away here: type names become classes, PostgreSQL identities and
 * SQLite's INTEGER PRIMARY KEY are both "generated", CHECKs are compared by the columns they read
 * (their text differs), COLLATE NOCASE and lower(col) are the same index key.
 *
 * Kysely's own kysely_migration and kysely_migration_lock are left out: the migrator makes them in
 * each engine's own words (varchar, no STRICT), they are not part of the ledger's migrations, and
 * the ledger's code never reads them through a shared query.
 */

export type TypeClass = 'integer' | 'text' | 'blob' | 'real' | `other(${string})`;

export interface ColumnShape {
  name: string;
  type: TypeClass;
  notNull: boolean;
  /** The default's literal without casts ('active', 0), or null when there is none. */
  default: string | null;
  /** Numbered by the database when an insert gives none: an identity, or SQLite's rowid alias. */
  generated: boolean;
}

export interface IndexShape {
  unique: boolean;
  partial: boolean;
  /** Key parts: a column, `lower(col)` (also SQLite's COLLATE NOCASE), or `expr(cols it reads)`; ` desc` appended. */
  keys: string[];
}

export interface TriggerShape {
  name: string;
  timing: 'BEFORE' | 'AFTER' | 'INSTEAD OF';
  /** INSERT, DELETE, TRUNCATE, UPDATE, or `UPDATE OF a,b` (columns sorted). */
  event: string;
  level: 'row' | 'statement';
  /** Its body raises an error (SQLite's RAISE(ABORT...), PL/pgSQL's RAISE EXCEPTION). */
  rejects: boolean;
  hasWhen: boolean;
}

export interface TableShape {
  columns: ColumnShape[];
  primaryKey: string[];
  /** Unique constraints and unique indexes: key `a,b` → `constraint` or `index name[ partial]`. */
  uniques: Record<string, string>;
  /** `col` (or `a,b`) → `table(col)`. */
  foreignKeys: Record<string, string>;
  /** One entry per CHECK: the sorted columns it reads, `a,b`. */
  checks: string[];
  /** Named indexes only; those behind a primary key or unique constraint are under uniques. */
  indexes: Record<string, IndexShape>;
  triggers: TriggerShape[];
}

export interface SchemaShape {
  tables: Record<string, TableShape>;
}

export const KYSELY_TABLES: readonly string[] = ['kysely_migration', 'kysely_migration_lock'];

function emptyTable(): TableShape {
  return { columns: [], primaryKey: [], uniques: {}, foreignKeys: {}, checks: [], indexes: {}, triggers: [] };
}

/** SQL text with its string literals emptied and its comments blanked, so words in them are not read as columns. */
function withoutLiteralsAndComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      let j = i + 1;
      while (j < text.length && !(text[j] === "'" && text[j + 1] !== "'")) j += text[j] === "'" ? 2 : 1;
      out += "''";
      i = j;
    } else if (c === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      out += ' ';
    } else out += c;
  }
  return out;
}

/** The sorted table columns an expression reads. */
function columnsReadBy(expression: string, columns: readonly string[]): string[] {
  const known = new Set(columns);
  const found = new Set<string>();
  for (const m of withoutLiteralsAndComments(expression).matchAll(/"([^"]+)"|\b([A-Za-z_][A-Za-z0-9_]*)\b/g)) {
    const name = m[1] ?? m[2]!;
    if (known.has(name)) found.add(name);
  }
  return [...found].sort();
}

/** The text inside the parenthesis that opens at `open`, or null when it never closes. */
function parenthesised(text: string, open: number): string | null {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return null;
}

/** Splits at the commas outside parentheses. */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

function defaultLiteral(value: string | null): string | null {
  if (value === null) return null;
  let v = value.trim().replace(/::[a-z][a-z0-9_ ]*(\[\])?/gi, '');
  while (/^\(.*\)$/.test(v) && parenthesised(v, 0) === v.slice(1, -1)) v = v.slice(1, -1).trim();
  return v;
}

// ---------------------------------------------------------------------------------------------
// SQLite

/** SQLite's type affinity rules (section 3.1 of its datatype page), as classes. */
function sqliteTypeClass(declared: string): TypeClass {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'integer';
  if (/CHAR|CLOB|TEXT/.test(t)) return 'text';
  if (t === '' || t.includes('BLOB')) return 'blob';
  if (/REAL|FLOA|DOUB/.test(t)) return 'real';
  return `other(${declared.toLowerCase()})`;
}

/** Each CHECK's expression in a CREATE TABLE statement (which ALTER TABLE ADD COLUMN extends in place). */
function sqliteCheckExpressions(createTable: string): string[] {
  const text = withoutLiteralsAndComments(createTable);
  const found: string[] = [];
  for (const m of text.matchAll(/\bCHECK\s*\(/gi)) {
    const inner = parenthesised(text, m.index + m[0].length - 1);
    if (inner !== null) found.push(inner);
  }
  return found;
}

const SQLITE_TRIGGER =
  /^CREATE\s+(?:TEMP(?:ORARY)?\s+)?TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?\S+\s+(BEFORE\s+|AFTER\s+|INSTEAD\s+OF\s+)?(DELETE|INSERT|UPDATE(?:\s+OF\s+([\s\S]+?))?)\s+ON\s+\S+([\s\S]*?)\bBEGIN\b([\s\S]*)$/i;

function sqliteTrigger(name: string, createTrigger: string): TriggerShape {
  const m = SQLITE_TRIGGER.exec(createTrigger.trim());
  if (!m) throw new Error(`cannot read the trigger ${name}: ${createTrigger}`);
  const timing = (m[1]?.trim().replace(/\s+/g, ' ').toUpperCase() ?? 'BEFORE') as TriggerShape['timing'];
  const columns = m[3] ? m[3].split(',').map((c) => c.trim().replace(/^"|"$/g, '')).sort() : null;
  const event = columns ? `UPDATE OF ${columns.join(',')}` : m[2]!.toUpperCase();
  return {
    name,
    timing,
    event,
    level: 'row',
    rejects: /\bRAISE\s*\(\s*(ABORT|FAIL|ROLLBACK)\b/i.test(m[5]!),
    hasWhen: /\bWHEN\b/i.test(withoutLiteralsAndComments(m[4]!)),
  };
}

interface SqliteColumnInfo { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }
interface SqliteIndexList { name: string; unique: number; origin: 'c' | 'u' | 'pk'; partial: number }
interface SqliteIndexKey { seqno: number; cid: number; name: string | null; desc: number; coll: string | null }
interface SqliteForeignKey { id: number; seq: number; table: string; from: string; to: string | null }

/** The schema of a SQLite database (sqlite_master and the table-valued pragmas). */
export async function sqliteSchema(db: Kysely<unknown>): Promise<SchemaShape> {
  const rows = async <T>(query: RawBuilder<T>) => (await query.execute(db)).rows;
  const objects = await rows<{ type: string; name: string; tbl_name: string; sql: string | null }>(
    sql`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`,
  );
  const tableList = await rows<{ name: string; strict: number; wr: number }>(
    sql`SELECT name, strict, wr FROM pragma_table_list WHERE schema = 'main'`,
  );
  const schema: SchemaShape = { tables: {} };
  const columnsOf = new Map<string, string[]>();
  for (const t of objects.filter((o) => o.type === 'table' && !KYSELY_TABLES.includes(o.name))) {
    const table = emptyTable();
    const info = await rows<SqliteColumnInfo>(sql`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(${t.name}) ORDER BY cid`);
    const listed = tableList.find((l) => l.name === t.name);
    const pk = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    const rowidAlias = pk.length === 1 && pk[0]!.type.toUpperCase() === 'INTEGER' && listed?.wr !== 1;
    for (const c of info) {
      // A primary key column takes no NULL in a STRICT or WITHOUT ROWID table, nor as the rowid alias.
      const pkNotNull = c.pk > 0 && (listed?.strict === 1 || listed?.wr === 1 || rowidAlias);
      table.columns.push({
        name: c.name,
        type: sqliteTypeClass(c.type),
        notNull: c.notnull === 1 || pkNotNull,
        default: defaultLiteral(c.dflt_value),
        generated: rowidAlias && c.pk === 1,
      });
    }
    table.primaryKey = pk.map((c) => c.name);
    const names = info.map((c) => c.name);
    columnsOf.set(t.name, names);
    table.checks = sqliteCheckExpressions(t.sql ?? '').map((e) => columnsReadBy(e, names).join(','));
    for (const idx of await rows<SqliteIndexList>(sql`SELECT name, "unique", origin, partial FROM pragma_index_list(${t.name})`)) {
      if (idx.origin === 'pk') continue;
      const keyRows = await rows<SqliteIndexKey>(
        sql`SELECT seqno, cid, name, "desc", coll FROM pragma_index_xinfo(${idx.name}) WHERE key = 1 ORDER BY seqno`,
      );
      const createIndex = objects.find((o) => o.type === 'index' && o.name === idx.name)?.sql ?? '';
      const onTable = /\bON\s+\S+\s*\(/i.exec(createIndex);
      const written = onTable ? topLevelParts(parenthesised(createIndex, onTable.index + onTable[0].length - 1) ?? '') : [];
      const keys = keyRows.map((k, i) => {
        let key: string;
        if (k.cid === -2) key = `expr(${columnsReadBy(written[i] ?? '', names).join(',')})`;
        else if (k.coll?.toUpperCase() === 'NOCASE') key = `lower(${k.name})`;
        else key = k.coll && k.coll.toUpperCase() !== 'BINARY' ? `${k.name} collate ${k.coll.toLowerCase()}` : k.name!;
        return k.desc === 1 ? `${key} desc` : key;
      });
      if (idx.origin === 'u') {
        table.uniques[keys.join(',')] = 'constraint';
        continue;
      }
      table.indexes[idx.name] = { unique: idx.unique === 1, partial: idx.partial === 1, keys };
      if (idx.unique === 1) table.uniques[keys.join(',')] = `index ${idx.name}${idx.partial === 1 ? ' partial' : ''}`;
    }
    const fks = await rows<SqliteForeignKey>(sql`SELECT id, seq, "table", "from", "to" FROM pragma_foreign_key_list(${t.name}) ORDER BY id, seq`);
    for (const id of new Set(fks.map((f) => f.id))) {
      const parts = fks.filter((f) => f.id === id);
      const target = parts[0]!.table;
      // A REFERENCES without columns means the referenced table's primary key.
      const targetPk = async () =>
        (await rows<SqliteColumnInfo>(sql`SELECT name, pk FROM pragma_table_info(${target}) WHERE pk > 0 ORDER BY pk`)).map((c) => c.name);
      const to = parts.every((f) => f.to !== null) ? parts.map((f) => f.to!) : await targetPk();
      table.foreignKeys[parts.map((f) => f.from).join(',')] = `${target}(${to.join(',')})`;
    }
    schema.tables[t.name] = table;
  }
  for (const trg of objects.filter((o) => o.type === 'trigger')) {
    schema.tables[trg.tbl_name]?.triggers.push(sqliteTrigger(trg.name, trg.sql ?? ''));
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

function postgresTypeClass(dataType: string): TypeClass {
  if (['bigint', 'integer', 'smallint'].includes(dataType)) return 'integer';
  if (['text', 'character varying', 'character'].includes(dataType)) return 'text';
  if (dataType === 'bytea') return 'blob';
  if (['real', 'double precision', 'numeric'].includes(dataType)) return 'real';
  return `other(${dataType})`;
}

/** A key part of an index as pg_get_indexdef writes it, in the neutral words. */
function postgresIndexKey(definition: string, isColumn: boolean, columns: readonly string[]): string {
  const unquoted = definition.replace(/^"(.*)"$/, '$1');
  if (isColumn) return unquoted;
  const lower = /^lower\(\(?"?([A-Za-z_][A-Za-z0-9_]*)"?\)?(?:::text)?\)$/.exec(definition);
  if (lower && columns.includes(lower[1]!)) return `lower(${lower[1]})`;
  return `expr(${columnsReadBy(definition, columns).join(',')})`;
}

// pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h)
const TRIGGER_ROW = 1;
const TRIGGER_BEFORE = 2;
const TRIGGER_INSTEAD = 64;
const TRIGGER_EVENTS: [number, string][] = [[4, 'INSERT'], [8, 'DELETE'], [16, 'UPDATE'], [32, 'TRUNCATE']];

/** The schema of a PostgreSQL database's current schema (information_schema and pg_catalog). */
export async function postgresSchema(db: Kysely<unknown>): Promise<SchemaShape> {
  const rows = async <T>(query: RawBuilder<T>) => (await query.execute(db)).rows;
  const here = sql`(SELECT oid FROM pg_namespace WHERE nspname = current_schema())`;
  const tables = await rows<{ table_name: string }>(sql`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`);
  const schema: SchemaShape = { tables: {} };
  for (const t of tables) if (!KYSELY_TABLES.includes(t.table_name)) schema.tables[t.table_name] = emptyTable();
  const tableOf = (name: string) => schema.tables[name];

  const columns = await rows<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null; is_identity: string }>(sql`
    SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity FROM information_schema.columns
    WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`);
  for (const c of columns) {
    const generated = c.is_identity === 'YES' || (c.column_default ?? '').startsWith('nextval(');
    tableOf(c.table_name)?.columns.push({
      name: c.column_name,
      type: postgresTypeClass(c.data_type),
      notNull: c.is_nullable === 'NO',
      default: generated ? null : defaultLiteral(c.column_default),
      generated,
    });
  }
  const columnNames = (table: string) => tableOf(table)?.columns.map((c) => c.name) ?? [];

  const constraints = await rows<{ table_name: string; contype: string; columns: string; ref_table: string | null; ref_columns: string | null }>(sql`
    SELECT c.relname AS table_name, k.contype,
      (SELECT string_agg(a.attname, ',' ORDER BY u.n) FROM unnest(k.conkey) WITH ORDINALITY AS u (attnum, n)
         JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum) AS columns,
      f.relname AS ref_table,
      (SELECT string_agg(a.attname, ',' ORDER BY u.n) FROM unnest(k.confkey) WITH ORDINALITY AS u (attnum, n)
         JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum) AS ref_columns
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid LEFT JOIN pg_class f ON f.oid = k.confrelid
    WHERE c.relnamespace = ${here} AND k.contype IN ('p', 'u', 'f', 'c')
    ORDER BY c.relname, k.conname`);
  for (const k of constraints) {
    const table = tableOf(k.table_name);
    if (!table) continue;
    if (k.contype === 'p') table.primaryKey = k.columns.split(',');
    else if (k.contype === 'u') table.uniques[k.columns] = 'constraint';
    else if (k.contype === 'f') table.foreignKeys[k.columns] = `${k.ref_table}(${k.ref_columns})`;
    else table.checks.push(k.columns.split(',').sort().join(','));
  }

  const indexes = await rows<{ table_name: string; name: string; unique: boolean; partial: boolean; backs_constraint: boolean; keys: { attnum: number; def: string; desc: boolean }[] }>(sql`
    SELECT c.relname AS table_name, i.relname AS name, x.indisunique AS unique, x.indpred IS NOT NULL AS partial,
      EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))
        AS backs_constraint,
      (SELECT json_agg(json_build_object('attnum', x.indkey[s.k - 1], 'def', pg_get_indexdef(x.indexrelid, s.k, true),
                                         'desc', (x.indoption[s.k - 1] & 1) = 1) ORDER BY s.k)
         FROM generate_series(1, x.indnkeyatts) AS s (k)) AS keys
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
    WHERE c.relnamespace = ${here} ORDER BY i.relname`);
  for (const idx of indexes) {
    const table = tableOf(idx.table_name);
    if (!table || idx.backs_constraint) continue;
    const keys = idx.keys.map((k) => `${postgresIndexKey(k.def, k.attnum !== 0, columnNames(idx.table_name))}${k.desc ? ' desc' : ''}`);
    table.indexes[idx.name] = { unique: idx.unique, partial: idx.partial, keys };
    if (idx.unique) table.uniques[keys.join(',')] = `index ${idx.name}${idx.partial ? ' partial' : ''}`;
  }

  const triggers = await rows<{ table_name: string; name: string; type: number; has_when: boolean; source: string; columns: string | null }>(sql`
    SELECT c.relname AS table_name, t.tgname AS name, t.tgtype AS type, t.tgqual IS NOT NULL AS has_when, p.prosrc AS source,
      (SELECT string_agg(a.attname, ',' ORDER BY a.attname) FROM pg_attribute a
         WHERE a.attrelid = t.tgrelid AND a.attnum = ANY (t.tgattr::int2[])) AS columns
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE NOT t.tgisinternal AND c.relnamespace = ${here} ORDER BY t.tgname`);
  for (const t of triggers) {
    const table = tableOf(t.table_name);
    if (!table) continue;
    const timing = t.type & TRIGGER_INSTEAD ? 'INSTEAD OF' : t.type & TRIGGER_BEFORE ? 'BEFORE' : 'AFTER';
    for (const [bit, event] of TRIGGER_EVENTS) {
      if (!(t.type & bit)) continue;
      table.triggers.push({
        name: t.name,
        timing,
        event: event === 'UPDATE' && t.columns ? `UPDATE OF ${t.columns}` : event,
        level: t.type & TRIGGER_ROW ? 'row' : 'statement',
        rejects: /\bRAISE\s+EXCEPTION\b/i.test(t.source),
        hasWhen: t.has_when,
      });
    }
  }
  return schema;
}
