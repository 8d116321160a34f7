import { sql, type Kysely } from 'kysely';

/**
 * An import notes one change for its whole file (db/change-log.ts), yet the payments and
 * applications it writes for invoices that arrive part paid each added a change row of their own
 * through these two triggers: hundreds of thousands of rows in a large import, in the import's one
 * transaction, that every workstation's change feed then read through. They now add nothing while
 * the writing transaction has marked itself as an import: the `import.writing` counter at 1, set
 * and put back to 0 inside that same transaction (pauseRowChanges/resumeRowChanges), so no other
 * connection ever sees it at 1 and a rolled-back import leaves it as it was. Every other INSERT is
 * noted as before. PostgreSQL does the same with a setting local to the transaction
 * (../postgres/2026_12_08_0001_import_row_changes.ts). Frozen: later changes go in new migrations.
 */
const changed = (table: string) =>
  `CREATE TRIGGER ${table}_insert_changes AFTER INSERT ON ${table}
     WHEN NOT EXISTS (SELECT 1 FROM counters WHERE name = 'import.writing' AND value = 1)
     BEGIN INSERT INTO change_log (at, entity, entity_id, customer_id)
       VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '${table}', NEW.id, NEW.customer_id); END`;

const statements = [
  `DROP TRIGGER payments_insert_changes`,
  changed('payments'),
  `DROP TRIGGER applications_insert_changes`,
  changed('applications'),
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
