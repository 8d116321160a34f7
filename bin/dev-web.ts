import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { openNodeRuntime } from '../src/main/runtime';
import { resolveDatabaseUrl, resolveLedgerPath } from '../src/main/paths';
import { startBridge } from '../src/main/ipc/bridge';
import { startRecoveryTimer } from '../src/main/payments/recovery';
import { startAgingWarmUp } from '../src/main/ledger/aging.warm';

/** Builds the renderer and serves it with the HTTP bridge against a local ledger, on 127.0.0.1 only. */
let values: { port?: string; 'no-build'?: boolean; 'database-url'?: string; 'no-warm-up'?: boolean };
try {
  ({ values } = parseArgs({
    options: { port: { type: 'string' }, 'no-build': { type: 'boolean' }, 'database-url': { type: 'string' }, 'no-warm-up': { type: 'boolean' } },
    strict: true,
  }));
} catch (e) {
  console.error(`${(e as Error).message}\nUsage: npm run dev:web -- [--port PORT] [--no-build] [--database-url URL] [--no-warm-up]`);
  process.exit(2);
}
const port = values.port === undefined ? 5199 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('--port must be a number from 0 to 65535');
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, '..');
if (!values['no-build']) {
  execFileSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
}
// The office ledger on PostgreSQL with --database-url or AR_DESK_DATABASE_URL; else the SQLite file.
const runtime = await openNodeRuntime({ ledgerPath: resolveLedgerPath(), databaseUrl: resolveDatabaseUrl(values['database-url']) }).catch(
  (e: unknown) => {
    console.error((e as Error).message);
    process.exit(1);
  },
);
const bridge = await startBridge(runtime.core, { port, staticDir: path.join(root, 'out/renderer') });
console.log(`AR Desk is serving ${runtime.ledger.path} at ${bridge.url}`);
// The page gets the bridge's per-launch token in the fragment, which the browser never sends to a server.
console.log(`Open ${bridge.pageUrl}`);
// As in the app: pending payments are settled with the gateway at start and every few minutes.
const stopRecovery = startRecoveryTimer(runtime.core);
// As in the app: the aging screen's rows for today are made in the background once serving
// (--no-warm-up: not, so the screen's first open computes them, as the benchmark's cold case).
const stopAgingWarmUp = values['no-warm-up'] ? () => {} : startAgingWarmUp(runtime.core);
const stop = () => {
  stopRecovery();
  stopAgingWarmUp();
  void bridge.close().then(() => runtime.close()).then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
