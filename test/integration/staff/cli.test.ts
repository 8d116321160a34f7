import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/cli';
import { openLedger } from '../../../src/main/db/connection';
import { tempDir } from '../../helpers/runtime';

async function cli(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { out: (t: string) => (out += t + '\n'), err: (t: string) => (err += t + '\n'), readStdin: async () => stdin };
  const code = await runCli(args, io);
  return { code, out, err };
}

async function auditOf(db: string) {
  const ledger = await openLedger(db);
  try {
    return await ledger.db.selectFrom('audit_log').select(['actor', 'action', 'entity_id', 'summary', 'workstation']).orderBy('id').execute();
  } finally {
    await ledger.close();
  }
}

describe('staff accounts from the command line', () => {
  it('makes the first administrator, refuses a weak password with the rule, lists without hashes, and audits as cli:<os user>', async () => {
    const db = path.join(tempDir(), 'ledger.db');
    const clerkFirst = await cli(['--db', db, 'staff', 'add', 'amy', '--name', 'Amy Chen', '--role', 'clerk', '--password-stdin'], 'correct horse 1\n');
    expect(clerkFirst.code).toBe(1);
    expect(clerkFirst.err).toMatch(/first staff account must be an administrator/);
    const weak = await cli(['--db', db, 'staff', 'add', 'dana', '--name', 'Dana Reyes', '--role', 'admin', '--password-stdin'], 'password\n');
    expect(weak.code).toBe(1);
    expect(weak.err).toMatch(/VALIDATION: The password must be at least 12 characters with both letters and digits/);
    const first = await cli(['--db', db, 'staff', 'add', 'dana', '--name', 'Dana Reyes', '--role', 'admin', '--password-stdin'], 'correct horse 1\n');
    expect(first).toMatchObject({ code: 0, out: expect.stringMatching(/Added dana \(Dana Reyes\) as admin; the password is temporary/) });
    const scripted = await cli(['staff', 'add', 'amy', '--db', db, '--name', 'Amy Chen', '--role', 'clerk', '--password-stdin', '--no-change-required'], 'correct horse 2');
    expect(scripted).toMatchObject({ code: 0, out: expect.stringMatching(/need not be changed/) });

    const listed = await cli(['--db', db, 'staff', 'list']);
    expect(listed.code).toBe(0);
    const users = JSON.parse(listed.out) as { username: string; role: string; mustChangePassword: boolean }[];
    expect(users.map((u) => [u.username, u.role, u.mustChangePassword])).toEqual([
      ['amy', 'clerk', false],
      ['dana', 'admin', true],
    ]);
    expect(listed.out).not.toMatch(/argon2|hash|totp_secret|correct horse/);

    const who = `cli:${os.userInfo().username}`;
    const rows = await auditOf(db);
    expect(rows.map((r) => [r.actor, r.action, r.entity_id, JSON.parse(r.summary).temporaryPassword])).toEqual([
      [who, 'staff.create', 'dana', true],
      [who, 'staff.create', 'amy', false],
    ]);
    expect(rows[0]!.workstation).toMatch(/^ws-[0-9a-f]{12}$/);
  });

  it('unlocks, resets a password (temporary, not one of the last four), disables, and keeps the last administrator', async () => {
    const db = path.join(tempDir(), 'ledger.db');
    await cli(['--db', db, 'staff', 'add', 'dana', '--name', 'Dana Reyes', '--role', 'admin', '--password-stdin'], 'correct horse 1');
    await cli(['--db', db, 'staff', 'add', 'amy', '--name', 'Amy Chen', '--role', 'clerk', '--password-stdin'], 'correct horse 1');
    expect(await cli(['--db', db, 'staff', 'unlock', 'amy'])).toMatchObject({ code: 0, out: 'Unlocked amy.\n' });
    const reused = await cli(['--db', db, 'staff', 'reset-password', 'amy', '--password-stdin'], 'correct horse 1');
    expect(reused).toMatchObject({ code: 1, err: expect.stringMatching(/last four/) });
    expect(await cli(['--db', db, 'staff', 'reset-password', 'amy', '--password-stdin'], 'correct horse 3')).toMatchObject({ code: 0 });
    expect(await cli(['--db', db, 'staff', 'disable', 'amy'])).toMatchObject({ code: 0 });
    expect(await cli(['--db', db, 'staff', 'disable', 'dana'])).toMatchObject({ code: 1, err: expect.stringMatching(/last active administrator/) });
    expect(await cli(['--db', db, 'staff', 'unlock', 'ghost'])).toMatchObject({ code: 1, err: expect.stringMatching(/NOT_FOUND/) });
    expect(await cli(['--db', db, 'staff', 'add', 'Bad Name', '--name', 'X', '--role', 'clerk', '--password-stdin'])).toMatchObject({ code: 2 });
    expect(await cli(['--db', db, 'staff', 'add', 'ben', '--name', 'Ben', '--role', 'boss', '--password-stdin'])).toMatchObject({ code: 2, err: expect.stringMatching(/--role must be one of/) });
    expect(await cli(['--db', db, 'staff', 'add', 'ben', '--name', 'Ben', '--role', 'clerk'])).toMatchObject({ code: 2, err: expect.stringMatching(/never from the command line/) });
    expect(await cli(['--db', db, 'staff'])).toMatchObject({ code: 2 });
    const actions = (await auditOf(db)).map((r) => r.action);
    expect(actions).toEqual(['staff.create', 'staff.create', 'staff.unlock', 'staff.resetPassword', 'staff.update']);
  });

  it('reads the password from standard input as a process (npm run cli -- staff add ...)', () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    const db = path.join(tempDir(), 'ledger.db');
    const out = execFileSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'bin/cli.ts'), '--db', db, 'staff', 'add', 'dana', '--name', 'Dana Reyes', '--role', 'admin', '--password-stdin', '--no-change-required'], {
      input: 'a long pass phrase 7\n',
      encoding: 'utf8',
    });
    expect(out).toMatch(/Added dana \(Dana Reyes\) as admin/);
  });
});
