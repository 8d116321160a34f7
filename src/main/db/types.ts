import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema';

/** The ledger handle a repo function reads or writes through: the database or a transaction on it. */
export type Db = Kysely<DB> | Transaction<DB>;

/** A transaction on the ledger: what a function takes when it must run inside one. */
export type Tx = Transaction<DB>;
