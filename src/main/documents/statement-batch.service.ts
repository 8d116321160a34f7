import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CoreDeps } from '../deps';
import { AppError } from '../../shared/errors';
import type { StatementBatchView } from '../../shared/contract/documents';
import { loadFonts } from './fonts';
import { writeStatementBatch, type StatementBatchOptions } from './statement.batch';

/**
 * The screen's batch of statements: started by one call, it runs in main while the screen asks
 * for its progress, and stops when cancelled. One batch at a time on a workstation; each writes
 * into a new folder of its own under `statementsDir`.
 */
export interface StatementBatchService {
  start(input: { asOf: string; pastDueOnly: boolean }): Promise<StatementBatchView>;
  get(batchId: number): StatementBatchView;
  cancel(batchId: number): StatementBatchView;
  /** The running batch's end (tests, shutdown). */
  settled(batchId: number): Promise<StatementBatchView>;
}

export interface StatementBatchServiceOptions {
  /** Statements per file (1,000 unless a test wants smaller files). */
  perFile?: number;
  round?: number;
}

interface Job {
  view: StatementBatchView;
  abort: AbortController;
  done: Promise<void>;
}

/** A new folder for the batch: statements-2026-11-20, then statements-2026-11-20-2, ... */
function newBatchFolder(root: string, asOf: string, pastDueOnly: boolean): string {
  fs.mkdirSync(root, { recursive: true });
  const base = `statements-${pastDueOnly ? 'past-due-' : ''}${asOf}`;
  for (let n = 1; ; n++) {
    const folder = path.join(root, n === 1 ? base : `${base}-${n}`);
    try {
      fs.mkdirSync(folder);
      return folder;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

export function createStatementBatchService(deps: CoreDeps, options: StatementBatchServiceOptions = {}): StatementBatchService {
  const jobs = new Map<number, Job>();
  let nextId = 1;
  const root = deps.statementsDir ?? path.join(os.tmpdir(), 'ar-desk-statements');

  const job = (batchId: number): Job => {
    const found = jobs.get(batchId);
    if (!found) throw new AppError('NOT_FOUND', `There is no batch of statements ${batchId} on this workstation.`, { batchId });
    return found;
  };
  const copy = (v: StatementBatchView): StatementBatchView => ({ ...v, files: v.files.map((f) => ({ ...f })) });

  return {
    async start(input) {
      const running = [...jobs.values()].find((j) => j.view.status === 'running');
      if (running) throw new AppError('CONFLICT', 'A batch of statements is already being written; wait for it or cancel it.', { batchId: running.view.id });
      const folder = newBatchFolder(root, input.asOf, input.pastDueOnly);
      const view: StatementBatchView = {
        id: nextId++,
        asOf: input.asOf,
        pastDueOnly: input.pastDueOnly,
        status: 'running',
        folder,
        customersRead: 0,
        customers: 0,
        statements: 0,
        files: [],
        balanceDueCents: 0,
        error: null,
        startedAt: deps.clock.now().toISOString(),
        finishedAt: null,
      };
      const abort = new AbortController();
      const batch: StatementBatchOptions = {
        asOf: input.asOf,
        pastDueOnly: input.pastDueOnly,
        folder,
        signal: abort.signal,
        ...(options.perFile ? { perFile: options.perFile } : {}),
        ...(options.round ? { round: options.round } : {}),
        onProgress: (p) => Object.assign(view, { customersRead: p.customersRead, customers: p.customers, statements: p.statements }),
      };
      const done = writeStatementBatch(deps.ledger.db, deps.settings.get(), loadFonts(), batch).then(
        (r) => {
          Object.assign(view, {
            status: r.cancelled ? 'cancelled' : 'done',
            statements: r.statements,
            files: r.files.map((f) => ({ name: f.name, statements: f.statements, pages: f.pages })),
            balanceDueCents: r.balanceDueCents,
          });
        },
        (e: unknown) => {
          deps.log.error('A batch of statements failed', { error: (e as Error).message });
          Object.assign(view, { status: 'failed', error: (e as Error).message });
        },
      ).finally(() => {
        view.finishedAt = deps.clock.now().toISOString();
      });
      jobs.set(view.id, { view, abort, done });
      return copy(view);
    },

    get: (batchId) => copy(job(batchId).view),

    cancel(batchId) {
      const j = job(batchId);
      if (j.view.status === 'running') j.abort.abort();
      return copy(j.view);
    },

    async settled(batchId) {
      const j = job(batchId);
      await j.done;
      return copy(j.view);
    },
  };
}
