import { describe, expect, it } from 'vitest';
import { printStatusText, printTrackingView, statusAfter, type PrintJobFacts } from '../../../src/main/printing/print-status.rules';

const waiting: PrintJobFacts = {
  status: 'queued',
  attempts: 0,
  last_error: null,
  discarded_by: null,
  system: null,
  system_printer: null,
  system_job_id: null,
  system_state: null,
  system_reason: null,
  sent_at: null,
};
const sent: PrintJobFacts = {
  ...waiting,
  status: 'sent',
  attempts: 1,
  system: 'cups',
  system_printer: 'Front-Desk',
  system_job_id: '12',
  system_state: 'queued',
  sent_at: '2026-11-20T15:00:00.000Z',
};

describe('where a print job is, in words', () => {
  it('tells a job AR Desk keeps, with the print system reason', () => {
    expect(printStatusText(waiting)).toBe('Waiting to be sent to the printer.');
    expect(printStatusText({ ...waiting, attempts: 2, last_error: 'There is no printer named "Nope" on this computer. Add it, or choose another printer in Settings.' })).toBe(
      'Not printed yet: There is no printer named "Nope" on this computer. Add it, or choose another printer in Settings. AR Desk tries again.',
    );
  });

  it('tells a job the print system took: sent as job N, printing, held with the reason, printed', () => {
    expect(printStatusText(sent)).toBe("Sent to printer Front-Desk as job 12; waiting in the printer's queue.");
    expect(printStatusText({ ...sent, system_state: 'printing' })).toBe('Printing on Front-Desk (job 12).');
    expect(printStatusText({ ...sent, system_state: 'held', system_reason: 'paper jam' })).toBe('Held by the printer Front-Desk (job 12): Paper jam.');
    expect(printStatusText({ ...sent, status: 'printed', system_state: 'completed' })).toBe('Printed on Front-Desk (job 12).');
    expect(printStatusText({ ...sent, status: 'printed', system: null, system_printer: null, system_job_id: null })).toBe('Printed.');
  });

  it('tells a job that cannot be followed, and one the printer aborted or a user cancelled', () => {
    expect(printStatusText({ ...sent, system: 'windows', system_job_id: null, system_state: 'unknown' })).toBe(
      'Sent to printer Front-Desk. Windows does not report when it is printed.',
    );
    expect(printStatusText({ ...sent, system: 'dialog', system_printer: 'the printer chosen in the print dialog', system_job_id: null, system_state: 'unknown' })).toBe(
      'Sent to the printer chosen in the print dialog. The print dialog does not report when it is printed.',
    );
    expect(printStatusText({ ...sent, status: 'failed', system_state: 'aborted', system_reason: 'the printer could not read the document' })).toBe(
      'The printer Front-Desk aborted job 12: The printer could not read the document. Print it again.',
    );
    expect(printStatusText({ ...sent, status: 'failed', system_state: 'cancelled', system_reason: 'cancelled by a user' })).toBe(
      'Job 12 was cancelled at Front-Desk: Cancelled by a user. Print it again if it is still needed.',
    );
    expect(printStatusText({ ...waiting, status: 'discarded', discarded_by: 'dana' })).toBe('Discarded by dana.');
  });

  it('names where the job went only once the print system took it, and moves the status with the system', () => {
    expect(printTrackingView(waiting).sentTo).toBeNull();
    expect(printTrackingView(sent).sentTo).toEqual({ system: 'cups', printer: 'Front-Desk', jobId: '12', at: '2026-11-20T15:00:00.000Z' });
    expect(['queued', 'printing', 'held', 'unknown', 'completed', 'aborted', 'cancelled'].map((s) => statusAfter(s as never))).toEqual([
      'sent',
      'sent',
      'sent',
      'sent',
      'printed',
      'failed',
      'failed',
    ]);
  });
});
