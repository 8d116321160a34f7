import { sql, type Kysely } from 'kysely';

/**
 * Staff sign-in and a complete audit trail (PCI DSS 7, 8 and 10).
 *
 * staff_users gains what sign-in needs: an Argon2id hash (never the password), the hashes of the
 * previous passwords (a new one may not repeat the last four), the failed-attempt count and the
 * lockout, the last sign-in, an optional TOTP secret encrypted with a key from the OS keychain (or
 * AR_DESK_TOTP_KEY for tools), the last TOTP step used (a code counts once), and whether the
 * password is temporary. An account made before this has no password: an administrator sets one.
 *
 * audit_log keeps its columns (entity and entity_id are the target) and gains who by id and name,
 * who approved and why, the customer (for filtering), the outcome with its error code, and the
 * workstation. Rows stay append-only (the triggers of 0001). The indexes serve audit.list newest
 * first by time alone, or by person, action or customer, with the id as tie-breaker for the cursor.
 *
 * staff_policy is the office's one row of sign-in settings: the idle lock (15 minutes at most, by
 * CHECK) and whether administrators need a TOTP code. Frozen: later changes go in new migrations.
 */
const statements = [
  `ALTER TABLE staff_users ADD COLUMN password_hash TEXT`,
  `ALTER TABLE staff_users ADD COLUMN password_history TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(password_history))`,
  `ALTER TABLE staff_users ADD COLUMN password_changed_at TEXT`,
  `ALTER TABLE staff_users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 1 CHECK (must_change_password IN (0, 1))`,
  `ALTER TABLE staff_users ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0)`,
  `ALTER TABLE staff_users ADD COLUMN locked_until TEXT`,
  `ALTER TABLE staff_users ADD COLUMN last_sign_in_at TEXT`,
  `ALTER TABLE staff_users ADD COLUMN totp_secret TEXT`,
  `ALTER TABLE staff_users ADD COLUMN totp_last_step INTEGER`,
  `ALTER TABLE staff_users ADD COLUMN updated_at TEXT`,

  `ALTER TABLE audit_log ADD COLUMN actor_id INTEGER`,
  `ALTER TABLE audit_log ADD COLUMN actor_name TEXT`,
  `ALTER TABLE audit_log ADD COLUMN approved_by_id INTEGER`,
  `ALTER TABLE audit_log ADD COLUMN approved_by TEXT`,
  `ALTER TABLE audit_log ADD COLUMN approval_reason TEXT`,
  `ALTER TABLE audit_log ADD COLUMN customer_number TEXT`,
  `ALTER TABLE audit_log ADD COLUMN outcome TEXT NOT NULL DEFAULT 'success' CHECK (outcome IN ('success', 'failure'))`,
  `ALTER TABLE audit_log ADD COLUMN error_code TEXT`,
  `ALTER TABLE audit_log ADD COLUMN workstation TEXT`,
  `CREATE INDEX audit_log_at ON audit_log (at, id)`,
  `CREATE INDEX audit_log_actor_at ON audit_log (actor, at, id)`,
  `CREATE INDEX audit_log_action_at ON audit_log (action, at, id)`,
  `CREATE INDEX audit_log_customer_at ON audit_log (customer_number, at, id) WHERE customer_number IS NOT NULL`,

  `CREATE TABLE staff_policy (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    idle_lock_minutes INTEGER NOT NULL DEFAULT 15 CHECK (idle_lock_minutes BETWEEN 1 AND 15),
    require_admin_totp INTEGER NOT NULL DEFAULT 0 CHECK (require_admin_totp IN (0, 1)),
    updated_at TEXT,
    updated_by TEXT
  ) STRICT`,
  `INSERT INTO staff_policy (id) VALUES (1)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
