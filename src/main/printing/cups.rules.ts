import type { PrinterInfo } from '../../shared/contract/printers';
import type { PrintRefusal, PrinterList, PrintSystemJobStatus } from './printer.port';

/**
 * What the CUPS commands and the scheduler answer, read into AR Desk's terms. Pure: the adapter
 * (cups.printer.ts) runs the commands with LC_ALL=C so the texts parsed here are the English ones.
 */

/** "request id is Front-Desk-12 (1 file(s))" → printer Front-Desk, job 12. */
export function parseRequestId(stdout: string): { printer: string; jobId: string } | null {
  const m = /request id is (\S+)-(\d+)\b/.exec(stdout);
  return m ? { printer: m[1]!, jobId: m[2]! } : null;
}

/** The printers and the default of `lpstat -p -a -d` (printer lines, accepting lines, default line; tab lines are messages). */
export function parseLpstat(output: string): PrinterList {
  const printers = new Map<string, PrinterInfo>();
  let defaultPrinter: string | null = null;
  let messageFor: { name: string; kind: 'printer' | 'accepting' } | null = null;
  const get = (name: string): PrinterInfo => {
    let p = printers.get(name);
    if (!p) {
      p = { name, isDefault: false, state: 'unknown', accepting: true, reason: null };
      printers.set(name, p);
    }
    return p;
  };
  for (const line of output.split('\n')) {
    if (/^\s/.test(line)) {
      const text = line.trim();
      if (messageFor && text) {
        const p = get(messageFor.name);
        // The printer's own message wins; a rejection reason fills in when there is none.
        if (messageFor.kind === 'printer' || p.reason === null) p.reason = text;
      }
      continue;
    }
    messageFor = null;
    let m = /^printer (\S+) (is idle|now printing|disabled since)/.exec(line);
    if (m) {
      const p = get(m[1]!);
      p.state = m[2] === 'is idle' ? 'idle' : m[2] === 'now printing' ? 'printing' : 'stopped';
      messageFor = { name: p.name, kind: 'printer' };
      continue;
    }
    m = /^(\S+) (accepting|not accepting) requests since/.exec(line);
    if (m && printers.has(m[1]!)) {
      get(m[1]!).accepting = m[2] === 'accepting';
      if (m[2] === 'not accepting') messageFor = { name: m[1]!, kind: 'accepting' };
      continue;
    }
    m = /^system default destination: (\S+)/.exec(line);
    if (m) defaultPrinter = m[1]!;
  }
  if (defaultPrinter && printers.has(defaultPrinter)) get(defaultPrinter).isDefault = true;
  return { printers: [...printers.values()], defaultPrinter };
}

/** Why `lp` refused a job, in words the clerk can act on. */
export function lpRefusal(stderr: string, printer: string | null, schedulerRunning: boolean): { refusal: PrintRefusal; message: string } {
  const said = stderr.replace(/^lp:\s*(Error -\s*)?/gm, '').trim();
  if (!schedulerRunning || /unable to connect|scheduler is not running|connection refused/i.test(said)) {
    return {
      refusal: 'spooler-down',
      message: 'The print system (CUPS) of this computer is not running, so it took no job. AR Desk keeps the job and tries again.',
    };
  }
  if (/does not exist/i.test(said)) {
    return {
      refusal: 'unknown-printer',
      message: printer
        ? `There is no printer named "${printer}" on this computer. Add it, or choose another printer in Settings.`
        : 'The default printer of this computer no longer exists. Choose a printer in Settings.',
    };
  }
  if (/no default destination/i.test(said)) {
    return { refusal: 'no-printer', message: 'This computer has no default printer. Choose a printer in Settings, or set a default printer.' };
  }
  if (/not accepting/i.test(said)) {
    return { refusal: 'not-accepting', message: `The printer "${printer ?? 'default'}" is not accepting jobs right now.` };
  }
  return { refusal: 'failed', message: `The print system refused the job: ${said || 'no reason given'}.` };
}

const REASON_WORDS: Record<string, string> = {
  'job-hold-until-specified': 'held until someone releases it',
  'job-held-for-review': 'held for review',
  'cups-held-for-authentication': 'waiting for a user name and password',
  'job-canceled-by-user': 'cancelled by a user',
  'job-canceled-by-operator': "cancelled by the printer's operator",
  'job-canceled-at-device': 'cancelled at the printer',
  'aborted-by-system': 'the print system aborted it',
  'document-format-error': 'the printer could not read the document',
  'document-unprintable-error': 'the printer could not print the document',
  'printer-stopped': 'the printer is stopped',
  paused: 'the printer is stopped',
  'media-empty': 'out of paper',
  'media-needed': 'out of paper',
  'media-jam': 'paper jam',
  'toner-empty': 'out of toner',
  'marker-supply-empty': 'out of ink or toner',
  'door-open': 'a door of the printer is open',
  'cover-open': 'a cover of the printer is open',
  offline: 'the printer is offline',
  'connecting-to-device': 'connecting to the printer',
  shutdown: 'the printer is shut down',
};

/** IPP state reasons as words; the ones that say nothing ("none", "job-printing") are left out. */
export function reasonsInWords(keywords: readonly string[]): string | null {
  const words = keywords
    .map((k) => k.replace(/-(report|warning|error)$/, ''))
    .map((k) => REASON_WORDS[k])
    .filter((w): w is string => w !== undefined);
  return words.length > 0 ? [...new Set(words)].join(', ') : null;
}

export interface CupsJobFacts {
  /** IPP job-state: 3 pending, 4 held, 5 processing, 6 stopped, 7 canceled, 8 aborted, 9 completed. */
  jobState: number | null;
  jobReasons: string[];
  jobMessage: string | null;
  /** IPP printer-state: 3 idle, 4 processing, 5 stopped; null when not asked. */
  printerState: number | null;
  printerReasons: string[];
  printerMessage: string | null;
}

const clean = (text: string | null): string | null => (text && text.trim() ? text.trim() : null);

/** A CUPS job's state for AR Desk. A job waiting on a stopped printer is held, with the printer's reason. */
export function cupsJobStatus(f: CupsJobFacts): PrintSystemJobStatus {
  const printerWhy = () => clean(f.printerMessage) ?? reasonsInWords(f.printerReasons) ?? 'the printer is stopped';
  switch (f.jobState) {
    case 3:
      return f.printerState === 5 ? { state: 'held', reason: printerWhy() } : { state: 'queued', reason: null };
    case 4:
      return { state: 'held', reason: reasonsInWords(f.jobReasons) ?? clean(f.jobMessage) ?? 'held by the print system' };
    case 5:
      return { state: 'printing', reason: null };
    case 6:
      return { state: 'held', reason: printerWhy() };
    case 7:
      return { state: 'cancelled', reason: reasonsInWords(f.jobReasons) ?? clean(f.jobMessage) ?? 'cancelled' };
    case 8:
      return { state: 'aborted', reason: clean(f.jobMessage) ?? reasonsInWords(f.jobReasons) ?? 'the print system aborted it' };
    case 9:
      return { state: 'completed', reason: null };
    default:
      return { state: 'unknown', reason: 'CUPS did not say what became of the job.' };
  }
}
