import type { Generated, Kysely, Selectable, Transaction } from 'kysely';
import type { DB, PrintJobTrackingColumns } from '../db/schema';
import type { Db, Tx } from '../db/types';
import type { DocumentKind, OutboxStatus, PrintJobStatus } from '../../shared/contract/documents';

/** Row types of the tables migration 0004 adds (print queue and outbox); print_jobs has the tracking columns of 2026_12_01_0002. */
export interface PrintJobsTable extends PrintJobTrackingColumns {
  id: Generated<number>;
  document_kind: DocumentKind;
  document_ref: string;
  title: string;
  customer_id: number | null;
  payment_id: number | null;
  status: PrintJobStatus;
  attempts: Generated<number>;
  last_error: string | null;
  last_attempt_at: string | null;
  printed_at: string | null;
  discarded_at: string | null;
  discarded_by: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  /** Added by 2026_12_01_0005: the workstation whose printer prints it; null for any (jobs made before). */
  workstation: string | null;
}

export interface OutboxTable {
  id: Generated<number>;
  message_id: string;
  to_address: string;
  subject: string;
  body: string;
  attachment_kind: DocumentKind | null;
  attachment_ref: string | null;
  attachment_name: string | null;
  /** null with a kind and reference: drawn when sent (2026_12_04_0003_invoice_delivery). */
  attachment_pdf: Uint8Array | null;
  customer_id: number | null;
  payment_id: number | null;
  status: OutboxStatus;
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  smtp_response: string | null;
  sent_at: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  /** Added by 2026_12_01_0005: the workstation sending it while 'sending'. */
  claimed_by: string | null;
}

export type DocumentTables = {
  print_jobs: PrintJobsTable;
  outbox: OutboxTable;
};

export type DocsDB = DB & DocumentTables;
export type PrintJobRow = Selectable<PrintJobsTable>;
export type OutboxRow = Selectable<OutboxTable>;

/** The ledger handle seen with the documents tables; a transaction stays the same transaction. */
export function withDocumentTables(db: Tx): Transaction<DocsDB>;
export function withDocumentTables(db: Kysely<DB>): Kysely<DocsDB>;
export function withDocumentTables(db: Db): Kysely<DocsDB> | Transaction<DocsDB>;
export function withDocumentTables(db: Db): Kysely<DocsDB> | Transaction<DocsDB> {
  return db.withTables<DocumentTables>() as Kysely<DocsDB> | Transaction<DocsDB>;
}
