import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { SettingsStore } from '../settings/settings.store';
import { MailDeliveryError, SMTP_PASSWORD_SECRET, type Mailer, type SecretStore } from './ports';

interface NodemailerError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

/** A 5xx reply refuses the message itself; anything else (offline, refused connection, 4xx) may pass later. */
function classify(e: unknown): MailDeliveryError {
  const err = e as NodemailerError;
  const code = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const text = err.response ? `${err.message} (${err.response})` : (err.message ?? String(e));
  return new MailDeliveryError(text, { permanent: code !== undefined && code >= 500, ...(code !== undefined ? { responseCode: code } : {}) });
}

/**
 * Sends mail over SMTP with the settings of the moment (host, port, TLS, user) and the password
 * from the secret store. `transport` adds options for special cases (tests use ignoreTLS).
 */
export function createSmtpMailer(deps: {
  settings: SettingsStore;
  secrets: SecretStore;
  transport?: Partial<SMTPTransport.Options>;
}): Mailer {
  return {
    async send(message) {
      const email = deps.settings.get().email;
      if (!email.smtpHost.trim()) {
        throw new MailDeliveryError('No mail server is set up (Settings: email SMTP host).', { permanent: false });
      }
      const password = await deps.secrets.get(SMTP_PASSWORD_SECRET);
      const transport = nodemailer.createTransport({
        host: email.smtpHost.trim(),
        port: email.smtpPort,
        secure: email.secure,
        ...(email.user ? { auth: { user: email.user, pass: password ?? '' } } : {}),
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 60_000,
        ...deps.transport,
      });
      try {
        const info = await transport.sendMail({
          from: message.from ?? email.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.messageId ? { messageId: message.messageId } : {}),
          ...(message.date ? { date: message.date } : {}),
          attachments: message.attachments.map((a) => ({
            filename: a.filename,
            content: Buffer.from(a.content),
            contentType: a.contentType,
          })),
        });
        const rejected = (info.rejected ?? []).map(String);
        if (rejected.length > 0 && (info.accepted ?? []).length === 0) {
          throw new MailDeliveryError(`The mail server refused ${rejected.join(', ')}: ${info.response}`, { permanent: true });
        }
        return { messageId: info.messageId, response: info.response };
      } catch (e) {
        throw e instanceof MailDeliveryError ? e : classify(e);
      } finally {
        transport.close();
      }
    },
  };
}
