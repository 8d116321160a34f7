import { defineConfig } from 'vitest/config';

/**
 * The unit tests run once; the integration suite runs on both ledger engines from the same files:
 * the `sqlite` project always, the `postgres` project when a test cluster is given
 * (AR_DESK_TEST_DATABASE_URL, see scripts/pg-test-server.sh), as it is in CI.
 */
const postgres = Boolean(process.env.AR_DESK_TEST_DATABASE_URL);

/** Integration tests that are about the SQLite file itself, with the reason each has no PostgreSQL run. */
export const sqliteOnly: Record<string, string> = {};

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
