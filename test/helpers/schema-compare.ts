import type { SchemaShape } from './schema-introspect';

/** Two schemas read by schema-introspect.ts compared fact by fact, and questions asked of one. */

/**
 * A schema as flat facts, path → value: `customers.column.email` → `text null`. Two schemas agree
 * where their facts do; a path present on one side only is a table, column, index... the other lacks.
 */
export function schemaFacts(schema: SchemaShape): Map<string, string> {
  const facts = new Map<string, string>();
  for (const [name, t] of Object.entries(schema.tables)) {
    facts.set(`${name}`, 'table');
    facts.set(`${name}.columnOrder`, t.columns.map((c) => c.name).join(','));
    for (const c of t.columns) {
      const words = [c.type, c.notNull ? 'not null' : 'null'];
      if (c.generated) words.push('generated');
      if (c.default !== null) words.push(`default ${c.default}`);
      facts.set(`${name}.column.${c.name}`, words.join(' '));
    }
    facts.set(`${name}.primaryKey`, t.primaryKey.join(','));
    for (const [cols, how] of Object.entries(t.uniques)) facts.set(`${name}.unique(${cols})`, how);
    for (const [cols, target] of Object.entries(t.foreignKeys)) facts.set(`${name}.foreignKey(${cols})`, target);
    facts.set(`${name}.checkCount`, String(t.checks.length));
    facts.set(`${name}.checks`, [...t.checks].sort().map((c) => `(${c})`).join(' '));
    for (const [idx, s] of Object.entries(t.indexes)) {
      facts.set(`${name}.index.${idx}`, `${s.unique ? 'unique ' : ''}${s.partial ? 'partial ' : ''}(${s.keys.join(', ')})`);
    }
    const events = new Map<string, string[]>();
    for (const trg of t.triggers) {
      const what = `${trg.timing} ${trg.level} ${trg.rejects ? 'rejects' : 'runs'}${trg.hasWhen ? ' when' : ''} ${trg.name}`;
      events.set(trg.event, [...(events.get(trg.event) ?? []), what]);
    }
    for (const [event, whats] of events) facts.set(`${name}.trigger.${event}`, whats.sort().join('; '));
  }
  return facts;
}

export interface SchemaDifference {
  path: string;
  /** The fact on each side, or null when that side lacks it. */
  left: string | null;
  right: string | null;
}

/** Every fact on which two schemas differ, sorted by path. */
export function schemaDifferences(left: SchemaShape, right: SchemaShape): SchemaDifference[] {
  const l = schemaFacts(left);
  const r = schemaFacts(right);
  const paths = [...new Set([...l.keys(), ...r.keys()])].sort();
  return paths
    .filter((p) => l.get(p) !== r.get(p))
    .map((p) => ({ path: p, left: l.get(p) ?? null, right: r.get(p) ?? null }));
}

/** The tables whose rows a trigger refuses to let go by `event` (DELETE, TRUNCATE...), sorted. */
export function tablesRejecting(schema: SchemaShape, event: string): string[] {
  return Object.entries(schema.tables)
    .filter(([, t]) => t.triggers.some((trg) => trg.event === event && trg.rejects))
    .map(([name]) => name)
    .sort();
}
