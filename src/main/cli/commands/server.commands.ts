import { prepareAppRole } from '../../db/server-prepare';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand } from '../command';
import { secretFromStdin } from '../stdin';

/** The office's database server, set up by its IT person (README, "Office set-up (PostgreSQL)"). */
export const serverCommand: CliCommand = {
  name: 'server',
  summary: 'Office server: prepare makes the workstations\' role (run as the owner, after migrate)',
  usage: 'server prepare --database-url OWNER_URL --app-user NAME --password-stdin',
  async run(ctx, argv) {
    const [sub, ...rest] = argv;
    if (sub !== 'prepare') throw new UsageError(sub ? `Unknown server command: ${sub}` : 'server needs a command: prepare');
    const { values } = parseCommandArgs(rest, { 'app-user': { type: 'string' }, 'password-stdin': { type: 'boolean' } });
    if (!ctx.databaseUrl) throw new UsageError('server prepare needs the owner\'s address: --database-url postgres://OWNER:PASSWORD@HOST:PORT/DATABASE');
    if (!values['app-user']) throw new UsageError('server prepare needs --app-user NAME (the role the workstations connect as, for example ardesk_app)');
    if (!values['password-stdin']) throw new UsageError('server prepare reads the workstations\' password from standard input: give --password-stdin');
    const password = await secretFromStdin(ctx);
    const r = await prepareAppRole(ctx.databaseUrl, values['app-user'], password);
    ctx.out(
      [
        `${r.created ? 'Created' : 'Updated'} the role "${r.role}" for the workstations on the database "${r.database}":`,
        `  SELECT and INSERT on ${r.tables} tables, UPDATE of ${r.updatableColumns} state columns only; no DELETE or TRUNCATE, no schema changes.`,
        `  It removes lookup words, old live-update rows, replaced follow-up levels and items of open deposits only through the owner's functions ${r.functions.join(', ')}.`,
        `Workstations connect with ${r.appUrl.replace(`${r.role}@`, `${r.role}:PASSWORD@`)}`,
        'Run server prepare again after every migrate that adds a table.',
      ].join('\n'),
    );
    return 0;
  },
};
