/**
 * Nothing to change in SQLite: the PostgreSQL ledger's partial index of open invoices gains the
 * invoice id in this migration (../postgres/2026_12_02_0001_open_invoices_index_with_id.ts), which
 * SQLite's invoices_open_aging already carries, as every SQLite index holds its row's id (the
 * INTEGER PRIMARY KEY). It exists so both engines have the same migrations under the same names.
 * Frozen.
 */
export async function up(): Promise<void> {
  // The SQLite index already covers the invoice id.
}

export async function down(): Promise<void> {
  throw new Error('The ledger schema is never rolled back; restore a backup instead.');
}
