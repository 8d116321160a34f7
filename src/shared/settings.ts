import { z } from 'zod';
import { PAPER_SIZES, printerNameSchema } from './contract/printers';

/** How a customer gets its invoices: by email (the PDF through the outbox), on paper (printed for a window envelope), or both. */
export const INVOICE_DELIVERY_CHOICES = ['email', 'paper', 'both'] as const;
export type InvoiceDelivery = (typeof INVOICE_DELIVERY_CHOICES)[number];

/** When autopay charges an invoice: on its due date, or on its invoice (issue) date. */
export const AUTOPAY_CHARGE_ON = ['due_date', 'invoice_date'] as const;
export const DEFAULT_AUTOPAY_RETRY_DAYS = [1, 9, 13, 20];

const COPIES_MESSAGE = 'must be a whole number of copies from 1 to 99';

/**
 * Settings of this workstation and of the office, kept by the main process: the office part
 * (OFFICE_SETTINGS_KEYS) in the ledger's office_settings record, shared by every workstation on
 * it; the rest in this workstation's config.json (electron-store in the app).
 */
export const settingsSchema = z.strictObject({
  timeZone: z.string().min(1),
  /**
   * Whether the admin has chosen or confirmed the time zone. On first run it is not: the Settings
   * screen offers the zone of the letterhead address, or asks, and the zone changes only when the
   * admin says so (settings.confirmTimeZone, or saving another zone).
   */
  timeZoneConfirmed: z.boolean(),
  /** BCP 47 locale used for numbers and money, e.g. en-US. */
  numberFormat: z.string().min(2),
  dateFormat: z.enum(['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY', 'MMM D, YYYY']),
  exportFormat: z.enum(['csv', 'csv-semicolon']),
  policy: z.strictObject({
    exactInvoicePayments: z.boolean(),
    overpayment: z.enum(['refuse', 'unapplied_credit']),
    /** The largest balance a supervisor may write off, in cents. */
    writeOffLimitCents: z.number().int().min(0).max(100_000_000),
    /** Days after the due date before an invoice counts as late for follow-up. */
    lateGraceDays: z.number().int().min(0).max(90),
    /** "Create invoices N days before the period": the billing run bills periods starting up to this many days ahead. */
    billingLeadDays: z.number().int().min(0).max(30),
    /** How the billing run's invoices reach a customer who has no choice of its own on the account. */
    invoiceDelivery: z.enum(INVOICE_DELIVERY_CHOICES),
    /** When the daily run charges an autopay customer's invoice: on its due date (the default) or on its invoice date. */
    autopayChargeOn: z.enum(AUTOPAY_CHARGE_ON),
    /** The retries after an autopay charge is declined, in days after the first decline, ascending. */
    autopayRetryDays: z.array(z.number().int().min(1).max(60)).max(8),
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
  /** Outgoing mail. The SMTP password is not here: it is kept by the secret store (safeStorage in the app). */
  email: z.strictObject({
    smtpHost: z.string(),
    smtpPort: z.number().int().min(1).max(65535),
    /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
    secure: z.boolean(),
    user: z.string(),
    from: z.string(),
    /** {placeholders} are filled from the record: see documents/templates.rules.ts. */
    templates: z.strictObject({
      confirmationSubject: z.string(),
      confirmationBody: z.string(),
      statementSubject: z.string(),
      statementBody: z.string(),
      invoiceSubject: z.string(),
      invoiceBody: z.string(),
      autopayReceiptSubject: z.string(),
      autopayReceiptBody: z.string(),
      autopayDeclineSubject: z.string(),
      autopayDeclineBody: z.string(),
      cardExpiringSubject: z.string(),
      cardExpiringBody: z.string(),
      followUpSubject: z.string(),
      followUpBody: z.string(),
    }),
  }),
  /** This workstation's printing (see src/main/printing). */
  printing: z.strictObject({
    /** Print straight to the printer (the default) instead of showing the print dialog. */
    silent: z.boolean(),
    /** The printer for payment confirmations; null: the system's default printer. */
    confirmationPrinter: printerNameSchema.nullable(),
    /** The printer for statements and invoices; null: the system's default printer. */
    statementPrinter: printerNameSchema.nullable(),
    copies: z
      .number({ error: COPIES_MESSAGE })
      .int({ error: COPIES_MESSAGE })
      .min(1, { error: COPIES_MESSAGE })
      .max(99, { error: COPIES_MESSAGE }),
    paper: z.enum(PAPER_SIZES),
  }),
  /**
   * This workstation's way to the office ledger on a PostgreSQL server: postgres://USER@HOST:PORT/DB,
   * never with the password (kept in the OS keychain); null: the SQLite file on this computer.
   * AR_DESK_DATABASE_URL, when set, comes before it. Read when AR Desk starts.
   */
  officeLedger: z.strictObject({
    databaseUrl: z.string().min(1).nullable(),
  }),
});

export type AppSettings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: AppSettings = {
  timeZone: 'America/New_York',
  timeZoneConfirmed: false,
  numberFormat: 'en-US',
  dateFormat: 'MM/DD/YYYY',
  exportFormat: 'csv',
  policy: { exactInvoicePayments: true, overpayment: 'refuse', writeOffLimitCents: 2500, lateGraceDays: 0, billingLeadDays: 0, invoiceDelivery: 'paper', autopayChargeOn: 'due_date', autopayRetryDays: [...DEFAULT_AUTOPAY_RETRY_DAYS] },
  company: {
    name: 'Northwind Services LLC',
    addressLines: ['100 Harbor Way, Suite 400', 'Portland, OR 97201'],
    phone: '(503) 555-0100',
    email: 'billing@northwind.example',
    logoPath: null,
  },
  defaultTaxRateBp: 0,
  email: {
    smtpHost: '',
    smtpPort: 587,
    secure: false,
    user: '',
    from: 'Northwind Services Billing <billing@northwind.example>',
    templates: {
      confirmationSubject: 'Payment confirmation {confirmationNumber} from {companyName}',
      confirmationBody:
        'Dear {customerName},\n\nThank you for your payment of {amount} on {date}. Your confirmation number is ' +
        '{confirmationNumber}. The confirmation is attached.\n\n{companyName}\n{companyPhone}',
      statementSubject: 'Your statement as of {asOf} from {companyName}',
      statementBody:
        'Dear {customerName},\n\nYour statement as of {asOf} is attached. Balance due: {balanceDue}.\n\n' +
        'To pay by card or bank account, call us at {companyPhone}.\n\n{companyName}',
      invoiceSubject: 'Invoice {invoiceNumber} from {companyName}',
      invoiceBody:
        'Dear {customerName},\n\nAttached is invoice {invoiceNumber} for {amount}. Please pay by {dueDate}.\n\n' +
        'Questions about it? Reach us at {companyPhone} or {companyEmail}.\n\n{companyName}',
      autopayReceiptSubject: 'Receipt {confirmationNumber}: your automatic payment to {companyName}',
      autopayReceiptBody:
        'Dear {customerName},\n\nYour automatic payment of {amount} was charged to {method} on {date}. Your confirmation number is ' +
        '{confirmationNumber}. The receipt is attached; there is nothing you need to do.\n\n{companyName}\n{companyPhone}',
      autopayDeclineSubject: 'Your automatic payment to {companyName} did not go through',
      autopayDeclineBody:
        'Dear {customerName},\n\nYour automatic payment of {amount} on {date} with {method} did not go through ({reason}). ' +
        'Please update your payment method: call us at {companyPhone}.{nextTry}\n\n{companyName}',
      cardExpiringSubject: 'Your card on file with {companyName} expires next month',
      cardExpiringBody:
        'Dear {customerName},\n\nYour {method}, which pays your account automatically, expires at the end of {expires}. ' +
        'Please call us at {companyPhone} to give us your new card before then.\n\n{companyName}',
      followUpSubject: 'Your account with {companyName} is past due',
      followUpBody:
        'Dear {customerName},\n\nOur records show {pastDue} past due on your account {customerNumber} ' +
        '(invoices {invoiceNumbers}, the oldest {daysPastDue} days past due). Your statement is attached.\n\n' +
        'If you have already paid, thank you. To pay by card or bank account, call us at {companyPhone}.\n\n{companyName}',
    },
  },
  printing: { silent: true, confirmationPrinter: null, statementPrinter: null, copies: 1, paper: 'Letter' },
  officeLedger: { databaseUrl: null },
};

/** The part a workstation may change; the house rules are the office's and read-only to clerks. */
export const workstationSettingsSchema = settingsSchema
  .pick({ timeZone: true, numberFormat: true, dateFormat: true, exportFormat: true })
  .partial()
  .strict();
export type WorkstationSettingsUpdate = z.infer<typeof workstationSettingsSchema>;

/** This workstation's printing, each part optional (printers, copies, paper, silent or dialog). */
export const printingSettingsChangesSchema = settingsSchema.shape.printing.partial().strict();
export type PrintingSettingsChanges = z.infer<typeof printingSettingsChangesSchema>;

/** What settings.update takes: the display settings and the printing of this workstation. */
export const workstationChangesSchema = workstationSettingsSchema.extend({ printing: printingSettingsChangesSchema.optional() }).strict();
export type WorkstationChanges = z.infer<typeof workstationChangesSchema>;

/** The settings that are the office's: one record in the ledger, shared by every workstation on it. */
export const OFFICE_SETTINGS_KEYS = ['timeZone', 'timeZoneConfirmed', 'policy', 'company', 'defaultTaxRateBp', 'email'] as const;
/** The settings that are this workstation's own, kept in its config.json. */
export const WORKSTATION_SETTINGS_KEYS = ['numberFormat', 'dateFormat', 'exportFormat', 'printing', 'officeLedger'] as const;

export type OfficeSettings = Pick<AppSettings, (typeof OFFICE_SETTINGS_KEYS)[number]>;
export type WorkstationSettings = Pick<AppSettings, (typeof WORKSTATION_SETTINGS_KEYS)[number]>;

/** The office part of the settings. */
export function officePartOf(settings: AppSettings): OfficeSettings {
  return Object.fromEntries(OFFICE_SETTINGS_KEYS.map((k) => [k, structuredClone(settings[k])])) as OfficeSettings;
}

/** This workstation's part of the settings. */
export function workstationPartOf(settings: AppSettings): WorkstationSettings {
  return Object.fromEntries(WORKSTATION_SETTINGS_KEYS.map((k) => [k, structuredClone(settings[k])])) as WorkstationSettings;
}
