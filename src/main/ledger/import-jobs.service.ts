import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { IMPORT_ERRORS_LISTED, type ImportFileKind, type ImportJobView } from '../../shared/contract/imports';
import type { CoreDeps } from '../deps';

/**
 * Imports from the screen. The page cannot hand main a path, so it sends the file's bytes in
 * numbered pieces, which main writes to a private file of its own (mode 0600, under `importsDir`);
 * once every byte is there the file is imported exactly as the CLI imports one (two streamed
 * passes, all or nothing) while the page asks for the progress. The file is removed when the
 * import ends, and a file never started is removed an hour later.
 *
 * One import runs at a time on a workstation; only the person who began an import may send its
 * pieces, start it or follow it.
 */
export interface ImportJobs {
  begin(input: { kind: ImportFileKind; fileName: string; bytes: number }, actor: string): ImportJobView;
  append(input: { importId: number; piece: number; data: string }, actor: string): ImportJobView;
  start(importId: number, actor: string): ImportJobView;
  get(importId: number, actor: string): ImportJobView;
  /** The import's end (tests, shutdown). */
  settled(importId: number): Promise<ImportJobView>;
}

/** What the import jobs need of the import service (core.ts hands it in): the CLI's file import. */
export interface FileImporter {
  importCsvFile(
    kind: ImportFileKind,
    file: string,
    actor: string,
    options: { source: string; onProgress: (p: { phase: 'checking' | 'writing'; rows: number; total: number | null }) => void },
  ): Promise<
    | { ok: true; counts: { rows: number; amountCents: number; paidCents: number; payments: number } }
    | { ok: false; errors: { line: number; message: string }[] }
  >;
}

interface Job {
  view: ImportJobView;
  actor: string;
  file: string;
  fd: number | null;
  nextPiece: number;
  began: number;
  done: Promise<void> | null;
}

const ABANDONED_MS = 60 * 60_000;

export function createImportJobs(deps: Pick<CoreDeps, 'clock'> & { importsDir?: string | undefined }, imports: FileImporter): ImportJobs {
  const jobs = new Map<number, Job>();
  let nextId = 1;
  const root = deps.importsDir ?? path.join(os.tmpdir(), 'ar-desk-imports');
  const now = () => deps.clock.now().toISOString();
  const copy = (v: ImportJobView): ImportJobView => ({ ...v, errors: [...v.errors], counts: v.counts && { ...v.counts } });

  const closeFile = (job: Job) => {
    if (job.fd !== null) fs.closeSync(job.fd);
    job.fd = null;
  };
  const removeFile = (job: Job) => {
    closeFile(job);
    fs.rmSync(job.file, { force: true });
  };

  const jobOf = (importId: number, actor: string): Job => {
    const job = jobs.get(importId);
    if (!job) throw new AppError('NOT_FOUND', `There is no import ${importId} on this workstation.`, { importId });
    if (job.actor !== actor) throw new AppError('FORBIDDEN', 'This import was begun by someone else.', { importId });
    return job;
  };

  /** Files sent but never started are dropped after an hour. */
  const dropAbandoned = () => {
    for (const [id, job] of jobs) {
      if (job.view.status === 'receiving' && Date.now() - job.began > ABANDONED_MS) {
        removeFile(job);
        jobs.delete(id);
      }
    }
  };

  const run = async (job: Job): Promise<void> => {
    const view = job.view;
    try {
      const result = await imports.importCsvFile(view.kind, job.file, job.actor, {
        source: view.fileName,
        onProgress: (p) => {
          view.status = p.phase;
          view.rows = p.rows;
          view.totalRows = p.total;
        },
      });
      if (result.ok) {
        view.status = 'done';
        view.rows = result.counts.rows;
        view.totalRows = result.counts.rows;
        view.counts = { rows: result.counts.rows, amountCents: result.counts.amountCents, paidCents: result.counts.paidCents, payments: result.counts.payments };
      } else {
        view.status = 'refused';
        view.errors = result.errors.slice(0, IMPORT_ERRORS_LISTED);
        view.errorCount = result.errors.length;
      }
    } catch (e) {
      view.status = 'failed';
      view.error = e instanceof Error ? e.message : String(e);
    } finally {
      view.finishedAt = now();
      removeFile(job);
    }
  };

  return {
    begin(input, actor) {
      dropAbandoned();
      fs.mkdirSync(root, { recursive: true, mode: 0o700 });
      const id = nextId++;
      const file = path.join(root, `import-${process.pid}-${id}-${crypto.randomBytes(6).toString('hex')}.csv`);
      const fd = fs.openSync(file, 'wx', 0o600);
      const view: ImportJobView = {
        id,
        kind: input.kind,
        fileName: input.fileName,
        status: 'receiving',
        bytes: input.bytes,
        receivedBytes: 0,
        rows: 0,
        totalRows: null,
        counts: null,
        errors: [],
        errorCount: 0,
        error: null,
        startedAt: now(),
        finishedAt: null,
      };
      jobs.set(id, { view, actor, file, fd, nextPiece: 0, began: Date.now(), done: null });
      return copy(view);
    },

    append(input, actor) {
      const job = jobOf(input.importId, actor);
      if (job.view.status !== 'receiving' || job.fd === null) throw new AppError('CONFLICT', 'This import has already started; its file cannot change.', { importId: input.importId });
      if (input.piece !== job.nextPiece) {
        throw new AppError('CONFLICT', `Piece ${input.piece} came when piece ${job.nextPiece} was expected; send the file again.`, { expected: job.nextPiece });
      }
      const bytes = Buffer.from(input.data, 'base64');
      if (job.view.receivedBytes + bytes.length > job.view.bytes) {
        throw new AppError('VALIDATION', `More than the file's ${job.view.bytes} bytes were sent; send the file again.`, { fields: { data: 'more than the file size' } });
      }
      fs.writeSync(job.fd, bytes);
      job.nextPiece++;
      job.view.receivedBytes += bytes.length;
      return copy(job.view);
    },

    start(importId, actor) {
      const job = jobOf(importId, actor);
      if (job.view.status !== 'receiving') throw new AppError('CONFLICT', 'This import has already started.', { importId });
      if (job.view.receivedBytes !== job.view.bytes) {
        throw new AppError('CONFLICT', `Only ${job.view.receivedBytes} of the file's ${job.view.bytes} bytes arrived; send the file again.`, { importId });
      }
      const running = [...jobs.values()].find((j) => j.view.status === 'checking' || j.view.status === 'writing');
      if (running) throw new AppError('CONFLICT', `Another import (${running.view.fileName}) is running; wait for it to finish.`, { importId: running.view.id });
      closeFile(job);
      job.view.status = 'checking';
      job.done = run(job);
      return copy(job.view);
    },

    get(importId, actor) {
      return copy(jobOf(importId, actor).view);
    },

    async settled(importId) {
      const job = jobs.get(importId);
      if (!job) throw new AppError('NOT_FOUND', `There is no import ${importId} on this workstation.`, { importId });
      await job.done;
      return copy(job.view);
    },
  };
}
