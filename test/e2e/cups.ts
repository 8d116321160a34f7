import { createCupsPrinter } from '../../src/main/printing/cups.printer';
import type { Printer } from '../../src/main/printing/printer.port';
import { cups, cupsCommand, CUPS_SKIP_REASON } from '../helpers/cups';

/**
 * The end-to-end app printing through the real CUPS adapter, to the private scheduler that
 * scripts/cups-test-server.sh starts (CI does, before `npm test`). Without its AR_DESK_TEST_CUPS_*
 * environment the tests that print are skipped with CUPS_SKIP_REASON; with AR_DESK_REQUIRE_CUPS=1
 * (CI) its absence fails the run instead (test/helpers/cups.ts).
 */
export { cups, CUPS_SKIP_REASON };

/** The CUPS adapter the app uses on Linux and macOS, pointed at the test scheduler. */
export function cupsTestPrinter(): Printer {
  if (!cups) throw new Error(CUPS_SKIP_REASON);
  return createCupsPrinter({ env: { ...process.env, CUPS_SERVER: cups.server } });
}

/** Prints a file with `lp` straight to the test scheduler (not through AR Desk); the CUPS job id. */
export function lpFile(printer: string, file: string, title: string): string {
  const out = cupsCommand('lp', ['-d', printer, '-t', title, file]);
  const id = /request id is \S+-(\d+)\b/.exec(out)?.[1];
  if (!id) throw new Error(`lp did not say the job id: ${out}`);
  return id;
}

/** Cancels a CUPS job on the test scheduler, as someone at the printer would. */
export function cancelCupsJob(printer: string, jobId: string): void {
  cupsCommand('cancel', [`${printer}-${jobId}`]);
}

/**
 * Cancels a job unless it has finished printing meanwhile (a fast machine prints even a long
 * document in seconds); either way the queue behind it moves on.
 */
export function cancelCupsJobIfPrinting(printer: string, jobId: string): 'cancelled' | 'finished' {
  try {
    cancelCupsJob(printer, jobId);
    return 'cancelled';
  } catch (err) {
    if (/already completed/i.test(String((err as { stderr?: unknown }).stderr ?? err))) return 'finished';
    throw err;
  }
}
