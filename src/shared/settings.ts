import { z } from 'zod';

/** Settings of this workstation and of the office, kept by the main process (electron-store in the app). */
export const settingsSchema = z.strictObject({
  timeZone: z.string().min(1),
  /** BCP 47 locale used for numbers and money, e.g. en-US. */
  numberFormat: z.string().min(2),
  dateFormat: z.enum(['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY', 'MMM D, YYYY']),
  exportFormat: z.enum(['csv', 'csv-semicolon']),
  policy: z.strictObject({
    exactInvoicePayments: z.boolean(),
    overpayment: z.enum(['refuse', 'unapplied_credit']),
  }),
  company: z.strictObject({
    name: z.string(),
    addressLines: z.array(z.string()),
    phone: z.string(),
    email: z.string(),
    logoPath: z.string().nullable(),
  }),
  /** Tax rate for new invoices, in basis points (825 = 8.25%). */
  defaultTaxRateBp: z.number().int().min(0).max(10000),
});

export type AppSettings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: AppSettings = {
  timeZone: 'America/New_York',
  numberFormat: 'en-US',
  dateFormat: 'MM/DD/YYYY',
  exportFormat: 'csv',
  policy: { exactInvoicePayments: true, overpayment: 'refuse' },
  company: {
    name: 'Northwind Services LLC',
    addressLines: ['100 Harbor Way, Suite 400', 'Portland, OR 97201'],
    phone: '(503) 555-0100',
    email: 'billing@northwind.example',
    logoPath: null,
  },
  defaultTaxRateBp: 0,
};

/** The part a workstation may change; the house rules are the office's and read-only to clerks. */
export const workstationSettingsSchema = settingsSchema
  .pick({ timeZone: true, numberFormat: true, dateFormat: true, exportFormat: true })
  .partial()
  .strict();
export type WorkstationSettingsUpdate = z.infer<typeof workstationSettingsSchema>;
