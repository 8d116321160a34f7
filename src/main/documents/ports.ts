/** Outside things the documents module needs; the Electron shell and tests pass real or fake ones. */
export interface MailMessage {
  /** Sender as "Name <address>"; when absent the mailer uses its configured one. */
  from?: string;
  to: string;
  subject: string;
  text: string;
  /**
   * The Message-ID header, fixed when the message was queued. A message sent again after a crash
   * carries the same one, so the receiving side can recognise the duplicate.
   */
  messageId?: string;
  /** The Date header; fixed to the queue time so a resend is the same message. */
  date?: Date;
  attachments: { filename: string; content: Uint8Array; contentType: string }[];
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string; response?: string }>;
}

/**
 * A delivery failure the mailer could classify. `permanent` means the server refused the message
 * itself (a 5xx reply): retrying the same message will not help, the clerk must change something.
 */
export class MailDeliveryError extends Error {
  readonly permanent: boolean;
  readonly responseCode: number | undefined;

  constructor(message: string, options: { permanent: boolean; responseCode?: number }) {
    super(message);
    this.name = 'MailDeliveryError';
    this.permanent = options.permanent;
    this.responseCode = options.responseCode;
  }
}

/** The print system's port and its adapters live in src/main/printing. */
export type { Printer, PrintJobRef, PrintRequest, PrintSystemJobStatus, PrinterList } from '../printing/printer.port';
export { noPrinter, PrintRefusedError } from '../printing/printer.port';

/**
 * Secrets that must not sit in plain settings (the SMTP password, the key of the TOTP secrets). The
 * Electron shell backs it with safeStorage, whose encryption is asynchronous; tools without Electron
 * use memory or the environment. An empty value removes the name.
 */
export interface SecretStore {
  /** Whether a value is kept under the name, without reading or decrypting it. */
  has(name: string): boolean;
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
}

export const SMTP_PASSWORD_SECRET = 'smtp.password';
/** The password of the office ledger's address saved in Settings (settings.setOfficeLedger). */
export const OFFICE_LEDGER_PASSWORD_SECRET = 'officeLedger.password';

export function memorySecretStore(initial: Record<string, string> = {}): SecretStore {
  const values = new Map(Object.entries(initial).filter(([, v]) => v !== ''));
  return {
    has: (name) => values.has(name),
    get: async (name) => values.get(name),
    set: async (name, value) => {
      if (value === '') values.delete(name);
      else values.set(name, value);
    },
  };
}

/** Reads AR_DESK_SMTP_PASSWORD for the SMTP password; anything set later is kept in memory only. */
export function envSecretStore(env: NodeJS.ProcessEnv = process.env): SecretStore {
  const fromEnv = env.AR_DESK_SMTP_PASSWORD;
  return memorySecretStore(fromEnv ? { [SMTP_PASSWORD_SECRET]: fromEnv } : {});
}

export const noMailer: Mailer = {
  send: async () => {
    throw new Error('No mail server is configured.');
  },
};
