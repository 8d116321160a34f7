import { execFile } from 'node:child_process';
import { IPP_OPERATION, ippAll, ippFirst } from './ipp.codec';
import { ippRequest, requestingUser, resolveCupsServer } from './cups.server';
import { cupsJobStatus, lpRefusal, parseLpstat, parseRequestId } from './cups.rules';
import { PrintRefusedError, type Printer, type PrintJobRef, type PrintSystemJobStatus } from './printer.port';

/**
 * The CUPS adapter (Linux, macOS): prints with `lp`, lists printers with `lpstat`, and follows a
 * job by asking the scheduler over IPP. Commands run with argument arrays, never through a shell,
 * and with LC_ALL=C so their answers can be read.
 */
export interface CupsPrinterOptions {
  /** The environment of the commands; CUPS_SERVER here picks the scheduler (a socket path or host:port). */
  env?: NodeJS.ProcessEnv;
  /** The commands, by name on PATH or by path. */
  commands?: { lp?: string; lpstat?: string };
  timeoutMs?: number;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  missing: boolean;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, input?: Uint8Array): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { env: { ...env, LC_ALL: 'C', LANG: 'C' }, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const err = error as (NodeJS.ErrnoException & { code?: string | number }) | null;
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : -1) : 0,
          stdout,
          stderr: stderr || (err && typeof err.code !== 'number' ? err.message : ''),
          missing: err?.code === 'ENOENT',
        });
      },
    );
    // lp may exit before reading all of the PDF (no such printer): the broken pipe is its answer, not ours.
    child.stdin?.on('error', () => undefined);
    if (input) child.stdin?.end(Buffer.from(input));
    else child.stdin?.end();
  });
}

export function createCupsPrinter(options: CupsPrinterOptions = {}): Printer {
  const env = options.env ?? process.env;
  const lp = options.commands?.lp ?? 'lp';
  const lpstat = options.commands?.lpstat ?? 'lpstat';
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function schedulerRunning(): Promise<boolean> {
    const r = await run(lpstat, ['-r'], env, timeoutMs);
    return /scheduler is running/.test(r.stdout);
  }

  async function printerFacts(printer: string) {
    const answer = await ippRequest(resolveCupsServer(env), IPP_OPERATION.getPrinterAttributes, [
      { tag: 'uri', name: 'printer-uri', values: [`ipp://localhost/printers/${encodeURIComponent(printer)}`] },
      { tag: 'name', name: 'requesting-user-name', values: [requestingUser()] },
      { tag: 'keyword', name: 'requested-attributes', values: ['printer-state', 'printer-state-reasons', 'printer-state-message'] },
    ]);
    if (answer.statusCode >= 0x0400) return { printerState: null, printerReasons: [], printerMessage: null };
    return {
      printerState: Number(ippFirst(answer, 'printer', 'printer-state') ?? NaN) || null,
      printerReasons: ippAll(answer, 'printer', 'printer-state-reasons').map(String),
      printerMessage: (ippFirst(answer, 'printer', 'printer-state-message') as string | undefined) ?? null,
    };
  }

  return {
    system: 'cups',

    async print(pdf, request): Promise<PrintJobRef> {
      const args: string[] = [];
      if (request.printer) args.push('-d', request.printer);
      args.push('-n', String(request.copies ?? 1));
      if (request.paper) args.push('-o', `media=${request.paper}`);
      args.push('-t', request.jobName);
      const r = await run(lp, args, env, timeoutMs, pdf);
      if (r.missing) throw new PrintRefusedError('no-print-system', 'CUPS, the print system, is not installed on this computer (there is no lp command).');
      if (r.code === 0) {
        const id = parseRequestId(r.stdout);
        if (!id) throw new PrintRefusedError('failed', `CUPS took the job but gave no job number: ${r.stdout.trim()}`);
        return { system: 'cups', printer: id.printer, jobId: id.jobId };
      }
      const { refusal, message } = lpRefusal(r.stderr, request.printer ?? null, await schedulerRunning());
      throw new PrintRefusedError(refusal, message);
    },

    async listPrinters() {
      const r = await run(lpstat, ['-p', '-a', '-d'], env, timeoutMs);
      if (r.missing) throw new PrintRefusedError('no-print-system', 'CUPS, the print system, is not installed on this computer (there is no lpstat command).');
      if (r.code !== 0) {
        if (/no destinations added/i.test(r.stderr)) return { printers: [], defaultPrinter: null };
        if (!(await schedulerRunning())) {
          throw new PrintRefusedError('spooler-down', 'The print system (CUPS) of this computer is not running.');
        }
        // lpstat also fails when it only could not tell the default: what it listed still counts.
        if (!/^printer /m.test(r.stdout)) throw new PrintRefusedError('failed', `CUPS could not list the printers: ${r.stderr.trim()}`);
      }
      return parseLpstat(r.stdout);
    },

    async jobStatus(ref): Promise<PrintSystemJobStatus> {
      if (!ref.jobId) return { state: 'unknown', reason: 'CUPS gave no job number to follow.' };
      const answer = await ippRequest(resolveCupsServer(env), IPP_OPERATION.getJobAttributes, [
        { tag: 'uri', name: 'job-uri', values: [`ipp://localhost/jobs/${ref.jobId}`] },
        { tag: 'name', name: 'requesting-user-name', values: [requestingUser()] },
        { tag: 'keyword', name: 'requested-attributes', values: ['job-state', 'job-state-reasons', 'job-printer-state-message'] },
      ]);
      if (answer.statusCode === 0x0406) return { state: 'unknown', reason: `CUPS no longer knows job ${ref.jobId} (its history was cleared).` };
      if (answer.statusCode >= 0x0400) throw new Error(`CUPS would not tell the state of job ${ref.jobId} (IPP status 0x${answer.statusCode.toString(16)}).`);
      const jobState = Number(ippFirst(answer, 'job', 'job-state') ?? NaN) || null;
      const waiting = jobState === 3 || jobState === 5 || jobState === 6;
      return cupsJobStatus({
        jobState,
        jobReasons: ippAll(answer, 'job', 'job-state-reasons').map(String),
        jobMessage: (ippFirst(answer, 'job', 'job-printer-state-message') as string | undefined) ?? null,
        ...(waiting ? await printerFacts(ref.printer) : { printerState: null, printerReasons: [], printerMessage: null }),
      });
    },
  };
}
