import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ROLE_FUNCTIONS, APP_ROLE_READ_ONLY, APP_ROLE_UPDATES, SQLITE_ONLY_DELETES } from '../../src/main/db/app-role';
import { customerColumns } from '../../src/main/ledger/customers.rules';
import { scramVerifier } from '../../src/main/db/scram';

/**
 * The workstations' rights on the office ledger (db/app-role.ts) must cover every change the code
 * makes: each update's literal columns and each delete found in src/main is on the lists. Spreads
 * the scan cannot read (a customer's edited columns) are checked from their source below; the
 * PostgreSQL tests take payments as the prepared role.
 */

const SRC = path.resolve(__dirname, '../../src/main');

function* sources(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      // Migrations run as the owner; the test gateway keeps its own store.
      if (entry.name === 'migrations' || entry.name === 'test-gateway') continue;
      yield* sources(p);
    } else if (entry.name.endsWith('.ts')) yield p;
  }
}

/** The tables an `updateTable(table)` with a variable may name, per file. */
const VARIABLE_TABLES: Record<string, string[]> = {
  'payments/payments.repo.ts': ['payments', 'payment_reversals'],
  'payments/claims.ts': ['payments', 'payment_reversals'],
};

interface Found {
  updates: { table: string; column: string; where: string }[];
  deletes: { table: string; where: string }[];
}

function scan(): Found {
  const found: Found = { updates: [], deletes: [] };
  for (const file of sources(SRC)) {
    const rel = path.relative(SRC, file).split(path.sep).join('/');
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\.updateTable\(\s*(?:'(\w+)'|(\w+))\s*\)/g)) {
      const tables = m[1] ? [m[1]] : (VARIABLE_TABLES[rel] ?? [`(variable ${m[2]} in ${rel})`]);
      const rest = text.slice(m.index + m[0].length);
      const end = rest.search(/\.where\(|\.execute|\.returning\(/);
      const set = rest.slice(0, end < 0 ? 400 : end);
      for (const key of set.matchAll(/(\w+):\s/g)) {
        for (const table of tables) found.updates.push({ table, column: key[1]!, where: rel });
      }
      if (!/(\w+):\s/.test(set)) for (const table of tables) found.updates.push({ table, column: '(any)', where: rel });
    }
    for (const m of text.matchAll(/ON CONFLICT \(\w+\) DO UPDATE SET (\w+)/g)) {
      const table = /INSERT INTO (\w+)/.exec(text.slice(Math.max(0, m.index - 200), m.index))?.[1] ?? '?';
      found.updates.push({ table, column: m[1]!, where: rel });
    }
    for (const m of text.matchAll(/\bUPDATE (\w+) SET (\w+)/g)) found.updates.push({ table: m[1]!, column: m[2]!, where: rel });
    for (const m of text.matchAll(/\.onConflict\(\(oc\) => oc\.column\('\w+'\)\.doUpdateSet\(\{ (\w+)/g)) {
      const table = /insertInto\('(\w+)'\)/.exec(text.slice(Math.max(0, m.index - 200), m.index))?.[1] ?? '?';
      found.updates.push({ table, column: m[1]!, where: rel });
    }
    for (const m of text.matchAll(/\.deleteFrom\(\s*'(\w+)'\s*\)|\bDELETE FROM (\w+)/g)) found.deletes.push({ table: (m[1] ?? m[2])!, where: rel });
  }
  return found;
}

describe("the workstations' rights on the office ledger", () => {
  const found = scan();

  it('cover every column the code updates', () => {
    expect(found.updates.length).toBeGreaterThan(20);
    const missing = found.updates.filter(
      (u) => u.column !== '(any)' && !APP_ROLE_UPDATES[u.table]?.columns.includes(u.column),
    );
    expect(missing.map((u) => `${u.table}.${u.column} (${u.where})`)).toEqual([]);
    const tables = new Set(found.updates.map((u) => u.table));
    expect([...tables].filter((t) => !APP_ROLE_UPDATES[t])).toEqual([]);
  });

  it("cover a customer's edited columns, never its number", () => {
    const draft = {
      customerNumber: 'CL1',
      legalName: 'A',
      billingContact: null,
      email: null,
      phone: null,
      address: { line1: null, line2: null, city: null, region: null, postalCode: null, country: null },
      mailingAddress: null,
      termsDays: 30,
      taxExempt: false,
      status: 'active',
      notes: null,
    } as unknown as Parameters<typeof customerColumns>[0];
    const edited = Object.keys(customerColumns(draft)).filter((c) => c !== 'customer_number');
    expect(edited.filter((c) => !APP_ROLE_UPDATES.customers!.columns.includes(c))).toEqual([]);
    expect(APP_ROLE_UPDATES.customers!.columns).not.toContain('customer_number');
    expect(APP_ROLE_UPDATES.customers!.columns).not.toContain('id');
  });

  it('delete nothing: every removal is in db/removals.ts, each with its owner\'s function, none of posted money', () => {
    expect(found.deletes.filter((d) => d.where !== 'db/removals.ts').map((d) => `${d.table} (${d.where})`)).toEqual([]);
    const removed = [...new Set(found.deletes.map((d) => d.table))].sort();
    expect(removed).toEqual([...Object.values(APP_ROLE_FUNCTIONS).map((f) => f.table), ...Object.keys(SQLITE_ONLY_DELETES)].sort());
    // What SQLite deletes and PostgreSQL changes instead is within the role's UPDATE rights there.
    for (const table of Object.keys(SQLITE_ONLY_DELETES)) expect(APP_ROLE_UPDATES[table], table).toBeDefined();
    const removals = fs.readFileSync(path.join(SRC, 'db/removals.ts'), 'utf8');
    for (const signature of Object.keys(APP_ROLE_FUNCTIONS)) expect(removals, signature).toContain(`${signature.slice(0, signature.indexOf('('))}(`);
    const tables = [...Object.values(APP_ROLE_FUNCTIONS).map((f) => f.table), ...Object.keys(SQLITE_ONLY_DELETES)];
    for (const money of ['payments', 'applications', 'payment_allocations', 'payment_reversals', 'credit_memos', 'invoices', 'invoice_lines', 'audit_log']) {
      expect(tables, money).not.toContain(money);
    }
  });

  it("never let a payment's amount, customer, kind or key, an application or the audit log change", () => {
    for (const c of ['amount_cents', 'customer_id', 'kind', 'idempotency_key', 'id']) expect(APP_ROLE_UPDATES.payments!.columns).not.toContain(c);
    for (const t of ['applications', 'payment_allocations', 'audit_log', 'credit_memos', 'invoice_lines', 'change_log']) expect(APP_ROLE_UPDATES[t], t).toBeUndefined();
    for (const t of APP_ROLE_READ_ONLY) expect(APP_ROLE_UPDATES[t], t).toBeUndefined();
  });
});

describe('the SCRAM-SHA-256 verifier', () => {
  it("matches PostgreSQL's format and RFC 7677's test vector", () => {
    // RFC 7677 section 3: user "user", password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations.
    const v = scramVerifier('pencil', 4096, Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'));
    expect(v).toBe('SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=');
    expect(scramVerifier('pencil')).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$/);
  });
});
