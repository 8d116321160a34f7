import type { AppSettings } from '../../shared/settings';
import type { BuiltDocument } from './render';
import { formatMoney } from './format.rules';

/** The subject and text of an invoice sent by email (the office's letterhead signs it). */
export function invoiceEmailText(doc: BuiltDocument, invoiceNumber: string, settings: AppSettings): { subject: string; body: string } {
  const f = doc.figures;
  const company = settings.company.name || 'us';
  const total = formatMoney(Number(f.totalCents ?? 0), settings.numberFormat);
  const contact = [settings.company.phone, settings.company.email].filter(Boolean).join(' · ');
  return {
    subject: `Invoice ${invoiceNumber} from ${company}`,
    body: [
      `Dear ${String(f.customerName ?? 'customer')},`,
      '',
      `Attached is invoice ${invoiceNumber} for ${total}.`,
      contact ? `Questions about it? Reach us at ${contact}.` : '',
      '',
      settings.company.name,
    ]
      .filter((line, i, all) => line !== '' || all[i - 1] !== '')
      .join('\n')
      .trim(),
  };
}
