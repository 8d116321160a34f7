import { sql, type Kysely } from 'kysely';

/**
 * As ../sqlite/2026_12_08_0001_import_row_changes.ts: the payments' and applications' INSERT
 * triggers note nothing while the writing transaction is an import, which notes one change for its
 * whole file. Here the mark is the setting `ar_desk.importing`, set to 'on' with set_config(…, true),
 * so it lasts only until that transaction ends and no other session sees it. Frozen.
 */
const changed = (table: string) =>
  `CREATE TRIGGER ${table}_insert_changes AFTER INSERT ON ${table}
     FOR EACH ROW WHEN (current_setting('ar_desk.importing', true) IS DISTINCT FROM 'on')
     EXECUTE FUNCTION ledger_note_change('${table}', 'customer_id')`;

const statements = [
  `DROP TRIGGER payments_insert_changes ON payments`,
  changed('payments'),
  `DROP TRIGGER applications_insert_changes ON applications`,
  changed('applications'),
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
