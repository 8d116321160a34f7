import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { preparingOnce } from '../../../src/main/db/statement-cache';

interface T {
  t: { id: number; name: string };
}

describe('statements prepared once per SQL text', () => {
  let sqlite: Database.Database;
  afterEach(() => {
    if (sqlite.open) sqlite.close();
  });

  function counted(max?: number) {
    sqlite = new Database(':memory:');
    const prepared: string[] = [];
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((text: string) => {
      prepared.push(text);
      return prepare(text);
    }) as typeof sqlite.prepare;
    const db = new Kysely<T>({ dialect: new SqliteDialect({ database: preparingOnce(sqlite, max) }) });
    return { db, prepared };
  }

  it('runs the same query again on the kept statement, with new parameters and right answers', async () => {
    const { db, prepared } = counted();
    await db.schema.createTable('t').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('name', 'text').execute();
    for (const [id, name] of [[1, 'Harbor Lane'], [2, 'Akesson'], [3, 'Northwind']] as const) await db.insertInto('t').values({ id, name }).execute();
    const names = [];
    for (const id of [3, 1, 2]) names.push((await db.selectFrom('t').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name);
    expect(names).toEqual(['Northwind', 'Harbor Lane', 'Akesson']);
    expect(prepared.filter((p) => p.startsWith('insert'))).toHaveLength(1);
    expect(prepared.filter((p) => p.startsWith('select'))).toHaveLength(1);
    expect(await db.selectFrom('t').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 3 });
  });

  it('sees a column added after the statement was kept', async () => {
    const { db } = counted();
    await sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, \'a\')');
    expect(await db.selectFrom('t').selectAll().execute()).toEqual([{ id: 1, name: 'a' }]);
    sqlite.exec("ALTER TABLE t ADD COLUMN city TEXT DEFAULT 'Portland'");
    expect(await db.selectFrom('t').selectAll().execute()).toEqual([{ id: 1, name: 'a', city: 'Portland' }]);
  });

  it('starts over when the most texts are kept', async () => {
    const { db, prepared } = counted(2);
    await sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
    const q = (n: number) => db.selectFrom('t').select('id').where('id', 'in', Array.from({ length: n }, (_, i) => i)).execute();
    await q(1);
    await q(2);
    await q(3); // the cache is full: it starts over with this one
    await q(3);
    await q(1); // forgotten: prepared again
    expect(prepared.filter((p) => p.startsWith('select'))).toHaveLength(4);
  });
});
