import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/cli';
import { tempDir } from '../helpers/runtime';

export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

describe('the command line', () => {
  it('migrates a new ledger and prints app.info as JSON', async () => {
    const db = path.join(tempDir(), 'ledger.db');
    const migrated = await cli(['--db', db, 'migrate']);
    expect(migrated.code).toBe(0);
    expect(migrated.out).toContain(`Ledger ${db} is at schema`);
    const info = await cli(['info', '--db', db]);
    expect(info.code).toBe(0);
    const parsed = JSON.parse(info.out) as { ledgerPath: string; schemaVersion: number; testMode: boolean };
    expect(parsed.ledgerPath).toBe(db);
    expect(parsed.schemaVersion).toBeGreaterThan(0);
    expect(parsed.testMode).toBe(true);
  });

  it('prints usage and exits 2 for an unknown command or a bad option', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Unknown command: frobnicate/);
    expect(unknown.err).toMatch(/Usage: npm run cli/);
    const badOption = await cli(['info', '--bogus']);
    expect(badOption.code).toBe(2);
    expect(badOption.err).toMatch(/Usage: npm run cli -- info/);
    const none = await cli([]);
    expect(none.code).toBe(2);
  });
});
