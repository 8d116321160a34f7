import { AppError } from '../../shared/errors';
import type { AppSettings, PrintingSettingsChanges } from '../../shared/settings';
import type { Printer } from '../printing/printer.port';

type Printing = AppSettings['printing'];

const PRINTER_FIELDS = ['confirmationPrinter', 'statementPrinter'] as const;

/**
 * This workstation's printing after `changes`, and what differs, as "printing.copies" → { from, to }
 * for the audit log. A printer must be one of the system's printers when the system can list them;
 * when it cannot (the spooler is down), the name is kept as typed and checked when printing.
 */
export async function applyPrintingChanges(
  before: Printing,
  changes: PrintingSettingsChanges,
  printer: Pick<Printer, 'listPrinters'>,
): Promise<{ next: Printing; differences: Record<string, { from: unknown; to: unknown }> }> {
  const next: Printing = { ...before };
  for (const [key, value] of Object.entries(changes) as [keyof Printing, never][]) {
    if (value !== undefined) next[key] = value;
  }
  const named = PRINTER_FIELDS.filter((f) => next[f] !== null && next[f] !== before[f]);
  if (named.length > 0) {
    let known: string[] | null = null;
    try {
      known = (await printer.listPrinters()).printers.map((p) => p.name);
    } catch {
      known = null;
    }
    if (known) {
      const problems: Record<string, string> = {};
      for (const field of named) {
        const name = next[field]!;
        if (!known.includes(name)) {
          problems[`printing.${field}`] =
            known.length === 0
              ? `"${name}" is not a printer of this computer: it has no printers`
              : `"${name}" is not a printer of this computer; choose one of ${known.join(', ')}`;
        }
      }
      if (Object.keys(problems).length > 0) {
        throw new AppError('VALIDATION', Object.entries(problems).map(([k, v]) => `${k}: ${v}`).join('; '), { fields: problems });
      }
    }
  }
  const differences = Object.fromEntries(
    (Object.keys(next) as (keyof Printing)[])
      .filter((k) => next[k] !== before[k])
      .map((k) => [`printing.${k}`, { from: before[k], to: next[k] }]),
  );
  return { next, differences };
}
