/** Outside things the documents module needs; the Electron shell and tests pass real or fake ones. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  attachments: { filename: string; content: Uint8Array; contentType: string }[];
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

export interface Printer {
  /** Prints a PDF; rejects when the printer is unavailable. */
  print(pdf: Uint8Array, options: { silent: boolean; jobName: string }): Promise<void>;
}

export const noMailer: Mailer = {
  send: async () => {
    throw new Error('No mail server is configured.');
  },
};

export const noPrinter: Printer = {
  print: async () => {
    throw new Error('No printer is available here.');
  },
};
