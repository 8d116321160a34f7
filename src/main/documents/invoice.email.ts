import type { AppSettings } from '../../shared/settings';
import { fillTemplate, formatDate, formatMoney } from './format.rules';
import type { BuiltDocument } from './render';

/** What an invoice's email says about it: enough to write it without drawing the PDF. */
export interface InvoiceEmailFacts {
  invoiceNumber: string;
  customerName: string;
  customerNumber: string;
  totalCents: number;
  dueDate: string;
}

/** The facts of an invoice drawn from the ledger. */
export function invoiceFactsOf(doc: BuiltDocument, invoiceNumber: string): InvoiceEmailFacts {
  const f = doc.figures;
  return { invoiceNumber, customerName: String(f.customerName), customerNumber: String(f.customerNumber), totalCents: Number(f.totalCents), dueDate: String(f.dueDate) };
}

/** The subject and text of an invoice sent by email, from the office's invoice templates. */
export function invoiceEmailText(facts: InvoiceEmailFacts, settings: AppSettings): { subject: string; body: string } {
  const values = {
    invoiceNumber: facts.invoiceNumber,
    customerName: facts.customerName,
    customerNumber: facts.customerNumber,
    amount: formatMoney(facts.totalCents, settings.numberFormat),
    dueDate: formatDate(facts.dueDate, settings.dateFormat),
    companyName: settings.company.name,
    companyPhone: settings.company.phone,
    companyEmail: settings.company.email,
  };
  const t = settings.email.templates;
  return { subject: fillTemplate(t.invoiceSubject, values), body: fillTemplate(t.invoiceBody, values) };
}
