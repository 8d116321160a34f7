import fs from 'node:fs';
import { backupLedgerFile, pgDumpAdvice } from '../../db/backup';
import { checkLedgerFile } from '../../ledger/ledger-audit';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand } from '../command';
import { printReport } from './check.commands';

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const backupCommand: CliCommand = {
  name: 'backup',
  summary: 'Back up the SQLite ledger to a new file and check the copy (PostgreSQL: the pg_dump command)',
  usage: 'backup --out FILE',
  async run(ctx, argv) {
    const { values } = parseCommandArgs(argv, { out: { type: 'string' } });
    if (!values.out) throw new UsageError('backup needs --out FILE (a new file; an existing one is never overwritten)');
    if (ctx.databaseUrl) {
      ctx.out(pgDumpAdvice(ctx.databaseUrl, values.out));
      return 0;
    }
    const started = performance.now();
    const r = await backupLedgerFile(ctx.ledgerPath, values.out);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (!r.verdict.ok) {
      ctx.err(
        [
          `The copy of ${ctx.ledgerPath} failed its integrity_check, so it was not kept (${seconds} s):`,
          ...r.verdict.problems.map((p) => `  ${p}`),
          'The ledger itself may be damaged: run "npm run cli -- check", and keep your earlier backups.',
        ].join('\n'),
      );
      return 1;
    }
    ctx.out(`Backup of ${ctx.ledgerPath} written to ${r.file}: ${megabytes(r.bytes)}, integrity_check ok (${seconds} s).`);
    return 0;
  },
};

const PG_DUMP_MAGIC = Buffer.from('PGDMP', 'latin1');

function isPgDump(file: string): boolean {
  const head = Buffer.alloc(PG_DUMP_MAGIC.length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  return head.equals(PG_DUMP_MAGIC);
}

/** Opens a SQLite backup read-only (never migrating or writing it) and runs every check of `check` on it. */
export const restoreCheckCommand: CliCommand = {
  name: 'restore-check',
  summary: 'Check a SQLite backup read-only before restoring it; prints JSON { ok, problems }',
  usage: 'restore-check FILE',
  async run(ctx, argv) {
    const { positionals } = parseCommandArgs(argv, {}, true);
    if (positionals.length !== 1) throw new UsageError('restore-check needs one FILE: the backup to check');
    const file = positionals[0]!;
    if (fs.existsSync(file) && fs.statSync(file).isFile() && isPgDump(file)) {
      ctx.err(
        `${file} is a pg_dump archive of an office ledger, not a SQLite backup: restore it into a new database with pg_restore and run ` +
          '"npm run cli -- check --database-url URL" there ("npm run cli -- backup --database-url URL --out FILE" shows the commands).',
      );
      return 1;
    }
    return printReport(ctx, await checkLedgerFile(file), 'Backup');
  },
};
