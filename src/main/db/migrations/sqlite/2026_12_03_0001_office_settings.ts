import { sql, type Kysely } from 'kysely';

/**
 * The office's settings in the ledger, shared by every workstation on it: the house rules, the
 * letterhead, the default tax rate, the office time zone and the outgoing mail (without the SMTP
 * password, which each workstation keeps in its own keychain). Frozen: later changes go in new
 * migrations.
 * - One row (id 1). `settings` is the office part of the settings as JSON text, read key by key
 *   (a value this version cannot read falls back to its default; keys a newer version added are
 *   kept on save). The row is made by the first workstation that starts on the ledger, from its
 *   own config.json (INSERT … ON CONFLICT DO NOTHING, so workstations starting at once agree).
 * - `version` grows by one with every save: a save made from an older version is refused, so two
 *   administrators saving at once never silently overwrite each other.
 * - A change is noted in change_log (entity 'office_settings', no customer) so every
 *   workstation reloads the record and its screens refresh.
 */
const statements = [
  `CREATE TABLE office_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    settings TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
  ) STRICT`,
  ...(['INSERT', 'UPDATE'] as const).map(
    (event) => `CREATE TRIGGER office_settings_${event.toLowerCase()}_changes AFTER ${event} ON office_settings
     BEGIN INSERT INTO change_log (at, entity, entity_id, customer_id)
       VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'office_settings', NEW.id, NULL); END`,
  ),
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
