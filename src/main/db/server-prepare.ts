import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { AppError } from '../../shared/errors';
import { APP_ROLE_FUNCTIONS, APP_ROLE_READ_ONLY, APP_ROLE_UPDATES, TEST_GATEWAY_SCHEMA } from './app-role';
import { refuseNewer } from './connection';
import { migrationsFor } from './migrations';
import { appliedMigrationNames, describeConnectError, openPostgresKysely, parseDatabaseUrl, redactDatabaseUrl, type PostgresTarget } from './postgres';
import { scramVerifier } from './scram';
import type { DB } from './schema';

/**
 * `server prepare`: makes (or updates the password of) the role the workstations use and gives it
 * exactly the rights of app-role.ts, in one transaction, connected as the database's owner. Run it
 * again after every `migrate` that adds a table: no default privileges are set, so a new table is
 * the workstations' only once it is granted here.
 */

export const MIN_APP_PASSWORD_LENGTH = 12;
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PrepareResult {
  role: string;
  /** False when the role existed and only its password and rights were set again. */
  created: boolean;
  database: string;
  /** The ledger's tables the role reads and adds to (the migrator's own are only read). */
  tables: number;
  updatableColumns: number;
  /** The owner's functions the role may call, each removing one kind of row that is neither money nor history. */
  functions: string[];
  /** The workstations' address, without the password. */
  appUrl: string;
}

function refused(message: string, details: Record<string, unknown>): AppError {
  return new AppError('UNAVAILABLE', `${message} Nothing was changed.`, details);
}

export function checkAppRoleInput(appUser: string, password: string): void {
  if (!ROLE_NAME.test(appUser)) {
    throw new AppError('VALIDATION', `"${appUser}" is not a usable role name: use lower-case letters, digits and _ (for example ardesk_app).`, {
      field: 'appUser',
    });
  }
  if ([...password].length < MIN_APP_PASSWORD_LENGTH) {
    throw new AppError('VALIDATION', `The workstations' password must have at least ${MIN_APP_PASSWORD_LENGTH} characters.`, { field: 'password' });
  }
}

type Db = Kysely<DB> | Transaction<DB>;

async function rowsOf<T>(db: Db, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

/** Refuses, before anything is changed, whatever would leave the role or the ledger wrong. */
async function assertPreparable(db: Db, target: PostgresTarget, appUser: string): Promise<{ owner: string }> {
  const [me] = await rowsOf(db, sql<{ me: string; owner: string }>`
    SELECT current_user AS me, pg_get_userbyid(d.datdba) AS owner FROM pg_database d WHERE d.datname = current_database()`);
  const owner = me!.owner;
  if (me!.me !== owner) {
    throw refused(
      `server prepare runs as the owner of the database "${target.database}", which is "${owner}"; this address connects as "${me!.me}". Give the owner's address (OWNER_URL).`,
      { reason: 'not-owner', owner, user: me!.me },
    );
  }
  const where = redactDatabaseUrl(target.url);
  const applied = await appliedMigrationNames(db as Kysely<DB>);
  refuseNewer(applied, where, 'postgres');
  const pending = Object.keys(migrationsFor('postgres')).filter((name) => !applied.includes(name));
  if (pending.length > 0) {
    throw refused(
      `The ledger at ${where} needs ${pending.length} schema change(s) (${pending[0]}…) first: run "npm run cli -- migrate --database-url OWNER_URL", then server prepare again.`,
      { reason: 'migration-pending', pending },
    );
  }
  if (appUser === owner) {
    throw refused(`The workstations' role must not be the database's owner "${owner}": choose another name (for example ardesk_app).`, {
      reason: 'app-user-is-owner',
    });
  }
  const [existing] = await rowsOf(db, sql<{ rolsuper: boolean; rolreplication: boolean; rolbypassrls: boolean; member: boolean }>`
    SELECT rolsuper, rolreplication, rolbypassrls, pg_has_role(${appUser}, ${owner}, 'MEMBER') AS member FROM pg_roles WHERE rolname = ${appUser}`);
  if (existing && (existing.rolsuper || existing.rolreplication || existing.rolbypassrls || existing.member)) {
    const what = existing.rolsuper ? 'a superuser' : existing.member ? `a member of the owner role "${owner}"` : 'a replication or row-security-bypassing role';
    throw refused(`The role "${appUser}" is ${what}, so the workstations would hold rights beyond the ledger's: choose another name.`, {
      reason: 'app-user-too-powerful',
    });
  }
  return { owner };
}

/** The tables of the ledger (schema public), each checked to be the owner's: a table another role made cannot be granted. */
async function ledgerTables(db: Db, owner: string): Promise<string[]> {
  const tables = await rowsOf(db, sql<{ name: string; owner: string }>`
    SELECT c.relname AS name, pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname`);
  const foreign = tables.filter((t) => t.owner !== owner);
  if (foreign.length > 0) {
    throw refused(
      `The table(s) ${foreign.map((t) => `${t.name} (owned by "${t.owner}")`).join(', ')} do not belong to the database's owner "${owner}", so their rights cannot be given. ` +
        `As the server's superuser run ALTER TABLE … OWNER TO ${owner} for each, then server prepare again.`,
      { reason: 'foreign-tables', tables: foreign.map((t) => t.name) },
    );
  }
  const names = tables.map((t) => t.name);
  const columns = await rowsOf(db, sql<{ t: string; c: string }>`
    SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public'`);
  const has = new Set(columns.map((r) => `${r.t}.${r.c}`));
  const missing = [
    ...Object.entries(APP_ROLE_UPDATES).flatMap(([t, r]) => r.columns.filter((c) => !has.has(`${t}.${c}`)).map((c) => `${t}.${c}`)),
  ];
  if (missing.length > 0) {
    throw new AppError('INTERNAL', `The workstations' rights name ${missing.join(', ')}, which the ledger lacks. Nothing was changed.`, { missing });
  }
  return names;
}

async function setRole(trx: Transaction<DB>, appUser: string, owner: string, password: string): Promise<boolean> {
  const [found] = await rowsOf(trx, sql<{ n: number }>`SELECT 1 AS n FROM pg_roles WHERE rolname = ${appUser}`);
  const verifier = sql.lit(scramVerifier(password));
  try {
    if (found) await sql`ALTER ROLE ${sql.id(appUser)} WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD ${verifier}`.execute(trx);
    else await sql`CREATE ROLE ${sql.id(appUser)} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD ${verifier}`.execute(trx);
  } catch (e) {
    if ((e as { code?: string }).code !== '42501') throw e;
    throw refused(
      `The owner role "${owner}" may not ${found ? 'change' : 'create'} the role "${appUser}" (${(e as Error).message}). As the server's superuser, run ` +
        `ALTER ROLE ${owner} CREATEROLE once (or create the role yourself: CREATE ROLE ${appUser} LOGIN), then server prepare again.`,
      { reason: 'no-createrole' },
    );
  }
  return !found;
}

async function grantLedger(trx: Transaction<DB>, database: string, appUser: string, tables: string[]): Promise<void> {
  const role = sql.id(appUser);
  await sql`GRANT CONNECT ON DATABASE ${sql.id(database)} TO ${role}`.execute(trx);
  await sql`GRANT USAGE ON SCHEMA public TO ${role}`.execute(trx);
  // From nothing, so a right taken off the lists (or a table's column renamed) is gone after a re-run.
  await sql`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`.execute(trx);
  await sql`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${role}`.execute(trx);
  for (const table of tables) {
    const t = sql.id('public', table);
    if (APP_ROLE_READ_ONLY.includes(table)) {
      await sql`GRANT SELECT ON ${t} TO ${role}`.execute(trx);
      continue;
    }
    await sql`GRANT SELECT, INSERT ON ${t} TO ${role}`.execute(trx);
    const update = APP_ROLE_UPDATES[table];
    if (update) await sql`GRANT UPDATE (${sql.join(update.columns.map((c) => sql.id(c)))}) ON ${t} TO ${role}`.execute(trx);
  }
  // No DELETE on any table: the owner's functions remove the few rows a workstation removes.
  await sql`REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM ${role}`.execute(trx);
  for (const signature of Object.keys(APP_ROLE_FUNCTIONS)) await sql`GRANT EXECUTE ON FUNCTION ${sql.raw(`public.${signature}`)} TO ${role}`.execute(trx);
  // Identity columns need none to insert; granted so an id can also be drawn ahead (nextval), never set.
  await sql`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${role}`.execute(trx);
}

/** The test gateway's schema, the owner's; the workstations may use it and create the gateway's tables in it. */
async function grantTestGateway(trx: Transaction<DB>, appUser: string, owner: string): Promise<void> {
  const role = sql.id(appUser);
  const schema = sql.id(TEST_GATEWAY_SCHEMA);
  await sql`CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${sql.id(owner)}`.execute(trx);
  await sql`GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${role}`.execute(trx);
  const owned = await rowsOf(trx, sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ${TEST_GATEWAY_SCHEMA} AND c.relkind IN ('r', 'p') AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = ${owner})`);
  for (const { name } of owned) await sql`GRANT SELECT, INSERT, UPDATE ON ${sql.id(TEST_GATEWAY_SCHEMA, name)} TO ${role}`.execute(trx);
  await sql`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`.execute(trx);
}

/** Connected as the database's owner (ownerUrl), makes `appUser` the workstations' role with `password`. */
export async function prepareAppRole(ownerUrl: string, appUser: string, password: string): Promise<PrepareResult> {
  checkAppRoleInput(appUser, password);
  const target = parseDatabaseUrl(ownerUrl);
  const { db } = await openPostgresKysely(target, { max: 1, applicationName: 'ar-desk-prepare' });
  try {
    const { owner } = await assertPreparable(db, target, appUser);
    const result = await db.transaction().execute(async (trx) => {
      const tables = await ledgerTables(trx, owner);
      const created = await setRole(trx, appUser, owner, password);
      await grantLedger(trx, target.database, appUser, tables);
      await grantTestGateway(trx, appUser, owner);
      return { created, tables };
    });
    const app = new URL(ownerUrl);
    app.username = appUser;
    app.password = '';
    return {
      role: appUser,
      created: result.created,
      database: target.database,
      tables: result.tables.filter((t) => !APP_ROLE_READ_ONLY.includes(t)).length,
      updatableColumns: Object.values(APP_ROLE_UPDATES).reduce((n, r) => n + r.columns.length, 0),
      functions: Object.keys(APP_ROLE_FUNCTIONS),
      appUrl: app.toString(),
    };
  } catch (e) {
    throw describeConnectError(e, target);
  } finally {
    await db.destroy();
  }
}
