import { sql, type Kysely } from 'kysely';

/**
 * The workstations' role deletes nothing. The four kinds of rows a workstation removes in its
 * work (none of them money or history: a customer's lookup words before they are written again,
 * old live-update rows, the follow-up levels before an administrator's new set, an item taken out
 * of a deposit that is still open) go through these functions, each doing that one thing. They
 * run with the rights of the owner who made them (SECURITY DEFINER, with a fixed search_path), and
 * only the roles `server prepare` names may call them. Triggers still fire inside them: a closed
 * deposit's items stay refused. SQLite, which has no roles, deletes the same rows itself
 * (../sqlite/2026_12_07_0002_owner_removals.ts is empty; see db/removals.ts). Frozen.
 */
const definer = `LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp`;

const statements = [
  `CREATE FUNCTION ar_desk_clear_name_words(p_customer_id bigint) RETURNS integer ${definer} AS $$
   DECLARE n integer;
   BEGIN
     DELETE FROM customer_name_words WHERE customer_id = p_customer_id;
     GET DIAGNOSTICS n = ROW_COUNT;
     RETURN n;
   END $$`,
  // The newest row always stays (as on SQLite, whose ids are max + 1).
  `CREATE FUNCTION ar_desk_prune_changes(p_keep_hours integer) RETURNS integer ${definer} AS $$
   DECLARE n integer;
   BEGIN
     IF p_keep_hours IS NULL OR p_keep_hours < 1 THEN RAISE EXCEPTION 'keep at least one hour of changes'; END IF;
     DELETE FROM change_log
      WHERE at < to_char((clock_timestamp() - make_interval(hours => p_keep_hours)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
        AND id < (SELECT max(id) FROM change_log);
     GET DIAGNOSTICS n = ROW_COUNT;
     RETURN n;
   END $$`,
  `CREATE FUNCTION ar_desk_clear_dunning_levels() RETURNS integer ${definer} AS $$
   DECLARE n integer;
   BEGIN
     DELETE FROM dunning_levels WHERE true;
     GET DIAGNOSTICS n = ROW_COUNT;
     RETURN n;
   END $$`,
  `CREATE FUNCTION ar_desk_remove_deposit_item(p_deposit_id bigint, p_item_id bigint) RETURNS integer ${definer} AS $$
   DECLARE n integer;
   BEGIN
     DELETE FROM deposit_items WHERE id = p_item_id AND deposit_id = p_deposit_id;
     GET DIAGNOSTICS n = ROW_COUNT;
     RETURN n;
   END $$`,
  `REVOKE ALL ON FUNCTION ar_desk_clear_name_words(bigint), ar_desk_prune_changes(integer), ar_desk_clear_dunning_levels(),
     ar_desk_remove_deposit_item(bigint, bigint) FROM PUBLIC`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
