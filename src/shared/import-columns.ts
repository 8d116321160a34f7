/** The columns of each kind of CSV import: main checks files against them, the Import screen lists them. */
export type ImportColumnsKind = 'customers' | 'invoices' | 'credits';

export const IMPORT_COLUMNS: Record<ImportColumnsKind, { required: readonly string[]; optional: readonly string[] }> = {
  customers: {
    required: ['customer_number', 'legal_name'],
    optional: ['email', 'phone', 'address_line1', 'address_line2', 'city', 'region', 'postal_code', 'country', 'terms_days', 'tax_exempt', 'autopay'],
  },
  invoices: {
    required: ['invoice_number', 'customer_number', 'issue_date', 'due_date', 'amount'],
    optional: ['amount_paid', 'description', 'period_start', 'period_end'],
  },
  credits: {
    required: ['credit_number', 'customer_number', 'issue_date', 'amount'],
    optional: ['reason'],
  },
};
