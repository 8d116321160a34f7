import type { Migration } from 'kysely/migration';
import * as m0001 from './2026_11_22_0001_ledger';
import * as m0002 from './2026_11_22_0002_read_indexes';
import * as m0003 from './2026_11_22_0003_payments';
import * as m0004 from './2026_11_22_0004_documents';
import * as m0005 from './2026_11_22_0005_recent_payments';
import * as mPrintTracking from './2026_12_01_0002_print_tracking';
import * as m20261201_0003 from './2026_12_01_0003_search_ascii';
import * as m20261201_0004 from './2026_12_01_0004_staff';
import * as m20261201_0005 from './2026_12_01_0005_office_ledger';
import * as m20261202_0001 from './2026_12_02_0001_open_invoices_index_with_id';
import * as m20261203_0001 from './2026_12_03_0001_office_settings';
import * as m20261203_0002 from './2026_12_03_0002_received_money';
import * as m20261203_0003 from './2026_12_03_0003_corrections';
import * as m20261203_0004 from './2026_12_03_0004_account_notes';
import * as m20261203_0005 from './2026_12_03_0005_day_close';
import * as m20261203_0007 from './2026_12_03_0007_subscriptions';
import * as m20261204_0001 from './2026_12_04_0001_payments_found_received_money';
import * as m20261204_0002 from './2026_12_04_0002_account_cancel';
import * as m20261204_0003 from './2026_12_04_0003_invoice_delivery';
import * as m20261205_0003 from './2026_12_05_0003_payments_on_account';
import * as m20261205_0004 from './2026_12_05_0004_subscription_rebills';
import * as m20261205_0005 from './2026_12_05_0005_disputes';
import * as m20261206_0001 from './2026_12_06_0001_autopay';
import * as m20261206_0002 from './2026_12_06_0002_dunning';
import * as m20261207_0002 from './2026_12_07_0002_owner_removals';
import * as m20261208_0001 from './2026_12_08_0001_import_row_changes';
import * as m20261209_0001 from './2026_12_09_0001_lookup_words_name_order';

/**
 * The PostgreSQL ledger's migrations: the same names, in the same order, as the SQLite set
 * (../sqlite/index.ts), each making the same tables, columns, constraints, indexes and
 * append-only triggers in PostgreSQL's words. The parity test compares the two schemas.
 * Append new ones; never edit or reorder a released one.
 */
export const postgresMigrations: Record<string, Migration> = {
  '2026_11_22_0001_ledger': m0001,
  '2026_11_22_0002_read_indexes': m0002,
  '2026_11_22_0003_payments': m0003,
  '2026_11_22_0004_documents': m0004,
  '2026_11_22_0005_recent_payments': m0005,
  '2026_12_01_0002_print_tracking': mPrintTracking,
  '2026_12_01_0003_search_ascii': m20261201_0003,
  '2026_12_01_0004_staff': m20261201_0004,
  '2026_12_01_0005_office_ledger': m20261201_0005,
  '2026_12_02_0001_open_invoices_index_with_id': m20261202_0001,
  '2026_12_03_0001_office_settings': m20261203_0001,
  '2026_12_03_0002_received_money': m20261203_0002,
  '2026_12_03_0003_corrections': m20261203_0003,
  '2026_12_03_0004_account_notes': m20261203_0004,
  '2026_12_03_0005_day_close': m20261203_0005,
  '2026_12_03_0007_subscriptions': m20261203_0007,
  '2026_12_04_0001_payments_found_received_money': m20261204_0001,
  '2026_12_04_0002_account_cancel': m20261204_0002,
  '2026_12_04_0003_invoice_delivery': m20261204_0003,
  '2026_12_05_0003_payments_on_account': m20261205_0003,
  '2026_12_05_0004_subscription_rebills': m20261205_0004,
  '2026_12_05_0005_disputes': m20261205_0005,
  '2026_12_06_0001_autopay': m20261206_0001,
  '2026_12_06_0002_dunning': m20261206_0002,
  '2026_12_07_0002_owner_removals': m20261207_0002,
  '2026_12_08_0001_import_row_changes': m20261208_0001,
  '2026_12_09_0001_lookup_words_name_order': m20261209_0001,
};
