import { describe, expect, it } from 'vitest';
import { cupsJobStatus, lpRefusal, parseLpstat, parseRequestId, reasonsInWords } from '../../../src/main/printing/cups.rules';
import { decodeIppResponse, encodeIppRequest, IPP_OPERATION, ippAll, ippFirst } from '../../../src/main/printing/ipp.codec';
import { parseCupsServerName } from '../../../src/main/printing/cups.server';

/** Answers of CUPS 2.4's lpstat and lp (LC_ALL=C), as printed on Debian 12. */
const LPSTAT = [
  'printer ARDeskPDF is idle.  enabled since Tue Dec  1 09:28:28 2026',
  'printer Front-Desk now printing Front-Desk-12.  enabled since Tue Dec  1 09:30:00 2026',
  'printer Back-Office disabled since Tue Dec  1 09:28:08 2026 -',
  '\tPaper jam in tray 2',
  'printer Annex is idle.  enabled since Tue Dec  1 09:28:28 2026',
  'system default destination: Front-Desk',
  'ARDeskPDF accepting requests since Tue Dec  1 09:28:28 2026',
  'Front-Desk accepting requests since Tue Dec  1 09:30:00 2026',
  'Back-Office accepting requests since Tue Dec  1 09:28:08 2026',
  'Annex not accepting requests since Tue Dec  1 09:28:28 2026 -',
  '\tGoing away',
  '',
].join('\n');

describe('reading the CUPS commands', () => {
  it('takes the printer and job number from lp, also for printer names with dashes', () => {
    expect(parseRequestId('request id is ARDeskPDF-12 (0 file(s))\n')).toEqual({ printer: 'ARDeskPDF', jobId: '12' });
    expect(parseRequestId('request id is Front-Desk-HP-7 (1 file(s))')).toEqual({ printer: 'Front-Desk-HP', jobId: '7' });
    expect(parseRequestId('lp: Error - The printer or class does not exist.')).toBeNull();
  });

  it('lists printers with their state, reason, acceptance and the default from lpstat -p -a -d', () => {
    expect(parseLpstat(LPSTAT)).toEqual({
      defaultPrinter: 'Front-Desk',
      printers: [
        { name: 'ARDeskPDF', isDefault: false, state: 'idle', accepting: true, reason: null },
        { name: 'Front-Desk', isDefault: true, state: 'printing', accepting: true, reason: null },
        { name: 'Back-Office', isDefault: false, state: 'stopped', accepting: true, reason: 'Paper jam in tray 2' },
        { name: 'Annex', isDefault: false, state: 'idle', accepting: false, reason: 'Going away' },
      ],
    });
    expect(parseLpstat('no system default destination\n')).toEqual({ printers: [], defaultPrinter: null });
  });

  it('says in words why lp refused a job', () => {
    expect(lpRefusal('lp: Error - The printer or class does not exist.', 'Nope', true)).toEqual({
      refusal: 'unknown-printer',
      message: 'There is no printer named "Nope" on this computer. Add it, or choose another printer in Settings.',
    });
    // Without a scheduler lp says the printer does not exist: the scheduler check wins.
    expect(lpRefusal('lp: Error - The printer or class does not exist.', 'ARDeskPDF', false).refusal).toBe('spooler-down');
    expect(lpRefusal('lp: Error - No default destination.', null, true).refusal).toBe('no-printer');
    expect(lpRefusal('lp: Destination "ARDeskPDF" is not accepting jobs.', 'ARDeskPDF', true)).toEqual({
      refusal: 'not-accepting',
      message: 'The printer "ARDeskPDF" is not accepting jobs right now.',
    });
    expect(lpRefusal('lp: Something new', 'X', true)).toEqual({ refusal: 'failed', message: 'The print system refused the job: Something new.' });
  });
});

describe('a CUPS job in AR Desk terms', () => {
  const facts = { jobReasons: [], jobMessage: null, printerState: 3, printerReasons: ['none'], printerMessage: null };

  it('is held while it waits on a stopped printer, with the printer operator reason or the state reasons in words', () => {
    expect(cupsJobStatus({ ...facts, jobState: 3, printerState: 5, printerReasons: ['paused'], printerMessage: 'Paper jam in tray 2' })).toEqual({
      state: 'held',
      reason: 'Paper jam in tray 2',
    });
    expect(cupsJobStatus({ ...facts, jobState: 3, printerState: 5, printerReasons: ['media-empty-error', 'paused'] })).toEqual({
      state: 'held',
      reason: 'out of paper, the printer is stopped',
    });
    expect(cupsJobStatus({ ...facts, jobState: 3 })).toEqual({ state: 'queued', reason: null });
    expect(cupsJobStatus({ ...facts, jobState: 4, jobReasons: ['job-hold-until-specified'] })).toEqual({ state: 'held', reason: 'held until someone releases it' });
    expect(cupsJobStatus({ ...facts, jobState: 6, printerMessage: 'Cover open' })).toEqual({ state: 'held', reason: 'Cover open' });
  });

  it('is printing, completed, cancelled or aborted as the scheduler says', () => {
    expect(cupsJobStatus({ ...facts, jobState: 5 }).state).toBe('printing');
    expect(cupsJobStatus({ ...facts, jobState: 9, jobReasons: ['processing-to-stop-point'] })).toEqual({ state: 'completed', reason: null });
    expect(cupsJobStatus({ ...facts, jobState: 7, jobReasons: ['job-canceled-by-user'] })).toEqual({ state: 'cancelled', reason: 'cancelled by a user' });
    expect(cupsJobStatus({ ...facts, jobState: 8, jobMessage: 'loadFilename failed: unable to find trailer dictionary' })).toEqual({
      state: 'aborted',
      reason: 'loadFilename failed: unable to find trailer dictionary',
    });
    expect(cupsJobStatus({ ...facts, jobState: null }).state).toBe('unknown');
    expect(reasonsInWords(['none', 'job-printing'])).toBeNull();
  });
});

describe('IPP messages and the CUPS server name', () => {
  it('encodes a request the way RFC 8010 lays it out and decodes an answer with several values and groups', () => {
    const request = encodeIppRequest(IPP_OPERATION.getJobAttributes, 7, [
      { tag: 'uri', name: 'job-uri', values: ['ipp://localhost/jobs/12'] },
      { tag: 'keyword', name: 'requested-attributes', values: ['job-state', 'job-state-reasons'] },
    ]);
    expect([...request.subarray(0, 9)]).toEqual([2, 0, 0x00, 0x09, 0, 0, 0, 7, 0x01]);
    expect(request.at(-1)).toBe(0x03);
    // The second keyword is an additional value: its name length is 0.
    const second = request.indexOf(Buffer.from('job-state-reasons'));
    expect(request.readUInt16BE(second - 2)).toBe('job-state-reasons'.length);
    expect(request.readUInt16BE(second - 4)).toBe(0);

    const cell = (tag: number, name: string, value: Buffer) =>
      Buffer.concat([Buffer.from([tag]), u16(name.length), Buffer.from(name), u16(value.length), value]);
    const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
    const i32 = (n: number) => Buffer.from([0, 0, 0, n]);
    const answer = Buffer.concat([
      Buffer.from([2, 0, 0, 0, 0, 0, 0, 7]),
      Buffer.from([0x01]),
      cell(0x47, 'attributes-charset', Buffer.from('utf-8')),
      Buffer.from([0x02]),
      cell(0x23, 'job-state', i32(3)),
      cell(0x44, 'job-state-reasons', Buffer.from('job-incoming')),
      cell(0x44, '', Buffer.from('job-hold-until-specified')),
      cell(0x41, 'job-printer-state-message', Buffer.from('Café printer says hi')),
      Buffer.from([0x03]),
    ]);
    const decoded = decodeIppResponse(answer);
    expect(decoded.statusCode).toBe(0);
    expect(decoded.requestId).toBe(7);
    expect(ippFirst(decoded, 'job', 'job-state')).toBe(3);
    expect(ippAll(decoded, 'job', 'job-state-reasons')).toEqual(['job-incoming', 'job-hold-until-specified']);
    expect(ippFirst(decoded, 'job', 'job-printer-state-message')).toBe('Café printer says hi');
    expect(() => decodeIppResponse(answer.subarray(0, answer.length - 6))).toThrow('cut short');
  });

  it('reads CUPS_SERVER as lp does: a socket path, host, host:port or [v6]:port', () => {
    expect(parseCupsServerName('/run/cups/cups.sock', {})).toEqual({ socketPath: '/run/cups/cups.sock', host: 'localhost', port: 631 });
    expect(parseCupsServerName('printhost', {})).toEqual({ host: 'printhost', port: 631 });
    expect(parseCupsServerName('printhost:8631/version=1.1', {})).toEqual({ host: 'printhost', port: 8631 });
    expect(parseCupsServerName('[::1]:632', {})).toEqual({ host: '::1', port: 632 });
  });
});
