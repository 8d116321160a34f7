import { Worker } from 'node:worker_threads';
import { sqliteModulePath } from './ledger-check';

/**
 * One read-only query on a SQLite ledger file, run on its own connection in a worker thread: for
 * reads long enough to hold up the clerk's requests if they ran on this thread, which better-sqlite3
 * blocks while a statement runs (the aging warm-up's whole-ledger query takes about a second at
 * 50,000 customers). The worker opens the file read-only, runs the statement, sends the rows and
 * ends; it reads the ledger as committed when the statement starts (WAL gives it a snapshot).
 */

// Plain CommonJS handed over as text, so it needs no build step of its own (as ledger-check.ts's).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let db = null;
try {
  const Database = require(workerData.module);
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  // As JSON text: one string crosses to the main thread, which parses it several times faster than
  // it takes in tens of thousands of cloned objects (the clone is undone on the main thread).
  parentPort.postMessage({ json: JSON.stringify(db.prepare(workerData.sql).all(...workerData.parameters)) });
} catch (e) {
  parentPort.postMessage({ failed: String((e && e.message) || e) });
} finally {
  if (db) db.close();
}
`;

export interface OffThreadQuery {
  sql: string;
  parameters: readonly unknown[];
}

/** The rows of `query` read in a worker thread from the SQLite file `file`; rejects when the worker cannot run it. */
export function readOffThread<Row>(file: string, query: OffThreadQuery): Promise<Row[]> {
  if (file === ':memory:') return Promise.reject(new Error('an in-memory ledger cannot be read from another thread'));
  return new Promise<Row[]>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module: sqliteModulePath(), file, sql: query.sql, parameters: query.parameters },
      });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    // A CLI command or a test ends without waiting for the read.
    worker.unref();
    worker.on('message', (m: { json?: string; failed?: string }) =>
      settle(() => (m.json !== undefined ? resolve(JSON.parse(m.json) as Row[]) : reject(new Error(`the read in a worker thread failed: ${m.failed}`)))),
    );
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the worker thread ended (code ${code}) before answering`))));
  });
}
