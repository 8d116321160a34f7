import { defineConfig } from 'vitest/config';

/**
 * The unit tests run once; the integration suite runs on both ledger engines from the same files:
 * the `sqlite` project always, the `postgres` project when a test cluster is given
 * (AR_DESK_TEST_DATABASE_URL, see scripts/pg-test-server.sh), as it is in CI.
 */
const postgres = Boolean(process.env.AR_DESK_TEST_DATABASE_URL);

/**
 * Integration tests that are about the SQLite file itself or touch no ledger, with the reason each
 * has no PostgreSQL run. Every other integration test runs on both engines.
 */
export const sqliteOnly: Record<string, string> = {
  'test/integration/db.test.ts': "SQLite's pragmas (WAL, synchronous, foreign keys) and its file's migrations",
  'test/integration/ledger-file.test.ts': 'recognising and refusing damaged or foreign SQLite files',
  'test/integration/ledger-read/search-migration.test.ts': 'upgrading a SQLite file written by an older AR Desk',
  'test/integration/printing/migration.test.ts': 'upgrading a SQLite file written by an older AR Desk',
  'test/integration/payments/crash.test.ts': "killing the process mid-write of the SQLite file; the server's crash safety is PostgreSQL's own",
  'test/integration/payments/disk-full.test.ts': "the SQLite file's disk filling up mid-transaction",
  'test/integration/ledger/import-busy.test.ts': "SQLite's single writer held by an import in another process (PostgreSQL locks rows: ten-clerks test)",
  'test/integration/ledger/import-fault.test.ts': "a fault injected with a temporary trigger on the SQLite connection's own schema",
  'test/integration/settings-file.test.ts': 'the settings file only; no ledger',
  'test/integration/cli-out-file.test.ts': "the CLI's output files only; no ledger",
  'test/integration/db-parity.test.ts': 'migrates and compares both engines itself, once',
  'test/integration/staff/fuzz.test.ts':
    "input checking is the same code before either engine is reached, and its byte-for-byte proof reads the SQLite file and its data_version",
};

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      { test: { name: 'sqlite', include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'] } },
      ...(postgres
        ? [
            {
              test: {
                name: 'postgres',
                include: ['test/integration/**/*.test.ts'],
                exclude: Object.keys(sqliteOnly),
                env: { AR_DESK_TEST_ENGINE: 'postgres' },
                globalSetup: ['test/helpers/pg-global-setup.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
