import { z } from 'zod';
import { channel } from './define';
import { AUTOPAY_CHARGE_ON, INVOICE_DELIVERY_CHOICES, workstationChangesSchema, type AppSettings } from '../settings';

/** The settings a workstation may change; the house rules and company details are the office's. */
export const EDITABLE_SETTINGS = ['timeZone', 'numberFormat', 'dateFormat', 'exportFormat', 'printing'] as const;
export type EditableSetting = (typeof EDITABLE_SETTINGS)[number];

export interface SettingsView {
  settings: AppSettings;
  editable: EditableSetting[];
  /** The business date now, in the settings' time zone (what "today" means for aging and expiry). */
  today: string;
  /** Whether an SMTP password is saved; the password itself never leaves the main process. */
  smtpPasswordSet: boolean;
  /** The default tax rate as percent text ("8.25"), written from the basis points without float math. */
  defaultTaxRatePercent: string;
  /**
   * Until the admin confirms the time zone (first run), the zone the letterhead address points to,
   * to offer; null when the address tells none and the admin is asked to choose.
   */
  timeZoneSetup: { confirmed: true } | { confirmed: false; suggested: { timeZone: string; place: string } | null };
  /** Which ledger this window uses, and the office ledger's address saved for the next start. */
  officeLedger: OfficeLedgerView;
  /**
   * The office settings record in the ledger, shared by every workstation on it: its version (send it
   * back with a change, so a change made meanwhile elsewhere is not overwritten), when and by whom it
   * was last saved. null until it has been read.
   */
  office: { version: number; updatedAt: string; updatedBy: string } | null;
}

/**
 * Why this window runs on the ledger it does: no office ledger is configured (local), the
 * AR_DESK_DATABASE_URL variable or --database-url (environment), the address saved in Settings
 * (settings), or the saved address failed at start and an administrator chose this workstation's
 * own ledger to correct it (fallback, with the problem in words).
 */
export type LedgerOrigin =
  | { source: 'local' }
  | { source: 'environment' }
  | { source: 'settings' }
  | { source: 'fallback'; problem: string };

export interface OfficeLedgerView {
  /** The saved address, postgres://USER@HOST:PORT/DB without the password; null: this workstation's own ledger. */
  databaseUrl: string | null;
  /** Whether a password is kept in the keychain for it; the password itself never leaves the main process. */
  passwordSet: boolean;
  /** The ledger this window runs on now: the SQLite file, or the server's address without the password. */
  current: { engine: 'sqlite' | 'postgres'; where: string; origin: LedgerOrigin };
  /** True when the saved address is not the ledger in use: it is used from the next start of AR Desk. */
  restartNeeded: boolean;
}

/** What saving the office ledger's address answers: the new view, and what the check found at that address. */
export interface OfficeLedgerSaved {
  officeLedger: OfficeLedgerView;
  /** The schema changes the ledger there has, of the ones this AR Desk knows; null after Clear. 0: an empty database. */
  checked: { schemaVersion: number; latestVersion: number } | null;
}

export interface TemplatePlaceholder {
  name: string;
  meaning: string;
}

const CUSTOMER_PLACEHOLDERS: TemplatePlaceholder[] = [
  { name: 'customerName', meaning: "the customer's name" },
  { name: 'customerNumber', meaning: 'the customer number, e.g. CL1042' },
];

const COMPANY_PLACEHOLDERS: TemplatePlaceholder[] = [
  { name: 'companyName', meaning: 'the company name of the letterhead' },
  { name: 'companyPhone', meaning: 'the letterhead phone number' },
  { name: 'companyEmail', meaning: 'the letterhead email address' },
];

/**
 * The {placeholders} the documents module fills in each kind of email (documents.service.ts:
 * confirmationEmailText, statementEmailText; autopay.notices.ts). A template may use only these.
 */
export const TEMPLATE_PLACEHOLDERS: {
  confirmation: TemplatePlaceholder[];
  statement: TemplatePlaceholder[];
  invoice: TemplatePlaceholder[];
  autopayReceipt: TemplatePlaceholder[];
  autopayDecline: TemplatePlaceholder[];
  cardExpiring: TemplatePlaceholder[];
  followUp: TemplatePlaceholder[];
} = {
  confirmation: [
    ...CUSTOMER_PLACEHOLDERS,
    { name: 'confirmationNumber', meaning: 'the payment confirmation number' },
    { name: 'amount', meaning: 'the amount paid' },
    { name: 'date', meaning: 'the payment date' },
    { name: 'time', meaning: 'the payment time' },
    ...COMPANY_PLACEHOLDERS,
  ],
  statement: [
    ...CUSTOMER_PLACEHOLDERS,
    { name: 'asOf', meaning: 'the statement date' },
    { name: 'balanceDue', meaning: 'the balance due' },
    { name: 'pastDue', meaning: 'the past-due part of the balance' },
    ...COMPANY_PLACEHOLDERS,
  ],
  invoice: [
    ...CUSTOMER_PLACEHOLDERS,
    { name: 'invoiceNumber', meaning: 'the invoice number' },
    { name: 'amount', meaning: 'the invoice total' },
    { name: 'dueDate', meaning: 'the due date' },
    ...COMPANY_PLACEHOLDERS,
  ],
  autopayReceipt: [
    ...CUSTOMER_PLACEHOLDERS,
    { name: 'confirmationNumber', meaning: 'the payment confirmation number' },
    { name: 'amount', meaning: 'the amount charged' },
    { name: 'date', meaning: 'the day it was charged' },
    { name: 'time', meaning: 'the time it was charged' },
    { name: 'method', meaning: 'the card or account charged, e.g. Visa ending 4242' },
    ...COMPANY_PLACEHOLDERS,
  ],
  autopayDecline: [
    ...CUSTOMER_PLACEHOLDERS,
    { name: 'amount', meaning: 'the amount the automatic payment tried to charge' },
    { name: 'date', meaning: 'the day it was tried' },
    { name: 'method', meaning: 'the card or account, e.g. Visa ending 4242' },
    { name: 'reason', meaning: "the gateway's reason for the decline" },
    { name: 'nextTry', meaning: 'a sentence naming the next try, or nothing when there is none' },
    ...COMPANY_PLACEHOLDERS,
  ],
  cardExpiring: [
    ...CUSTOMER_PLACEHOLDERS,
    { name: 'method', meaning: 'the card, e.g. Visa ending 4242' },
    { name: 'expires', meaning: 'the month it expires, MM/YYYY' },
    ...COMPANY_PLACEHOLDERS,
  ],
  followUp: [
    ...CUSTOMER_PLACEHOLDERS,
    { name: 'pastDue', meaning: 'the past-due amount' },
    { name: 'invoiceNumbers', meaning: 'the past-due invoices' },
    { name: 'daysPastDue', meaning: 'days past due of the oldest' },
    { name: 'level', meaning: 'the follow-up level' },
    ...COMPANY_PLACEHOLDERS,
  ],
};

export type EmailTemplateKey = keyof AppSettings['email']['templates'];

/** Which kind of email each template writes, and so which placeholders it may use. */
export const TEMPLATE_KIND: Record<EmailTemplateKey, keyof typeof TEMPLATE_PLACEHOLDERS> = {
  confirmationSubject: 'confirmation',
  confirmationBody: 'confirmation',
  statementSubject: 'statement',
  statementBody: 'statement',
  invoiceSubject: 'invoice',
  invoiceBody: 'invoice',
  autopayReceiptSubject: 'autopayReceipt',
  autopayReceiptBody: 'autopayReceipt',
  autopayDeclineSubject: 'autopayDecline',
  autopayDeclineBody: 'autopayDecline',
  cardExpiringSubject: 'cardExpiring',
  cardExpiringBody: 'cardExpiring',
  followUpSubject: 'followUp',
  followUpBody: 'followUp',
};

const PORT_MESSAGE = 'must be a whole number from 1 to 65535';
const upTo = (max: number) => z.string().max(max, { error: `must be at most ${max} characters` });
const template = (max: number) => upTo(max).optional();

/**
 * What the office may change from the Settings screen. Every part is optional so each section of
 * the screen saves alone. The SMTP password is not here (settings.setSmtpPassword), nor the logo path (a file the app would read into every PDF), nor printing
 * (each workstation's own: settings.update).
 */
export const officeSettingsChangesSchema = z.strictObject({
  company: z
    .strictObject({
      name: upTo(100).optional(),
      addressLines: z.array(upTo(80)).max(4, { error: 'must be at most 4 lines' }).optional(),
      phone: upTo(40).optional(),
      email: upTo(254).optional(),
    })
    .optional(),
  email: z
    .strictObject({
      smtpHost: upTo(253).optional(),
      smtpPort: z
        .number({ error: PORT_MESSAGE })
        .int({ error: PORT_MESSAGE })
        .min(1, { error: PORT_MESSAGE })
        .max(65535, { error: PORT_MESSAGE })
        .optional(),
      secure: z.boolean().optional(),
      user: upTo(254).optional(),
      from: upTo(320).optional(),
      templates: z
        .strictObject({
          confirmationSubject: template(200),
          confirmationBody: template(5000),
          statementSubject: template(200),
          statementBody: template(5000),
          invoiceSubject: template(200),
          invoiceBody: template(5000),
          autopayReceiptSubject: template(200),
          autopayReceiptBody: template(5000),
          autopayDeclineSubject: template(200),
          autopayDeclineBody: template(5000),
          cardExpiringSubject: template(200),
          cardExpiringBody: template(5000),
          followUpSubject: template(200),
          followUpBody: template(5000),
        })
        .optional(),
    })
    .optional(),
  /** The default tax rate for new invoices as typed, in percent ("8.25"); main turns it into basis points. */
  defaultTaxRatePercent: upTo(20).optional(),
  /** The house rules. The limit and the days as typed ("$25.00", "5"); main reads them and says what is wrong at the field. */
  policy: z
    .strictObject({
      exactInvoicePayments: z.boolean().optional(),
      overpayment: z.enum(['refuse', 'unapplied_credit']).optional(),
      writeOffLimit: upTo(30).optional(),
      lateGraceDays: upTo(10).optional(),
      billingLeadDays: upTo(10).optional(),
      invoiceDelivery: z.enum(INVOICE_DELIVERY_CHOICES).optional(),
      autopayChargeOn: z.enum(AUTOPAY_CHARGE_ON).optional(),
      /** Days after the first decline, as typed: "1, 9, 13, 20" (empty: no retries). */
      autopayRetryDays: upTo(60).optional(),
    })
    .optional(),
});
export type OfficeSettingsChanges = z.infer<typeof officeSettingsChangesSchema>;

/** The outcome of a test message: the server's answer, or why it was not delivered, in words. */
export type TestEmailResult = { sent: true; serverAnswer: string } | { sent: false; reason: string };

export const settingsChannels = {
  'settings.get': channel<SettingsView>()(z.strictObject({})),
  'settings.update': channel<SettingsView>()(z.strictObject({ changes: workstationChangesSchema })),
  /** `officeVersion`: the version of the office settings the change was made from; refused when another save came since. */
  'settings.updateOffice': channel<SettingsView>()(
    z.strictObject({ changes: officeSettingsChangesSchema, officeVersion: z.number().int().min(1).optional() }),
  ),
  'settings.setSmtpPassword': channel<{ smtpPasswordSet: boolean }>()(
    z.strictObject({ password: z.string().max(1024, { error: 'must be at most 1024 characters' }) }),
  ),
  'settings.testEmail': channel<TestEmailResult>()(z.strictObject({ to: upTo(254) })),
  /**
   * This workstation's office ledger: the address without a password, tried before it is saved, and
   * the password for the keychain (left out: the saved one is kept; empty: none). A null address
   * clears both: back to this workstation's own ledger. Takes effect when AR Desk starts again.
   */
  'settings.setOfficeLedger': channel<OfficeLedgerSaved>()(
    z.strictObject({
      databaseUrl: upTo(1024).nullable(),
      password: z.string().max(1024, { error: 'must be at most 1024 characters' }).optional(),
    }),
  ),
  /** The admin confirms the office's time zone (the one offered from the letterhead, or another). */
  'settings.confirmTimeZone': channel<SettingsView>()(
    z.strictObject({ timeZone: upTo(64), officeVersion: z.number().int().min(1).optional() }),
  ),
};
