import os from 'node:os';
import { displayName, STAFF_ROLES, username as usernameSchema, type StaffRole } from '../../../shared/contract/auth';
import { PASSWORD_RULE } from '../../../shared/passwords';
import { parseCommandArgs, UsageError } from '../args';
import type { CliCommand, CliContext } from '../command';
import type { StaffActor } from '../../staff/staff.service';

/** The CLI acts with file-level access to the ledger: the audit log names the OS user behind it. */
function cliActor(): StaffActor {
  let user = 'unknown';
  try {
    user = os.userInfo().username || user;
  } catch {
    // no passwd entry (a container): keep "unknown"
  }
  return { id: null, username: `cli:${user}`, name: null };
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The password given on standard input (one line; the line break is not part of it). Tests hand in readStdin. */
async function passwordFromStdin(ctx: CliContext): Promise<string> {
  const read = (ctx as CliContext & { readStdin?: () => Promise<string> }).readStdin ?? readProcessStdin;
  const text = (await read()).replace(/\r?\n$/, '');
  if (text === '') throw new UsageError(`--password-stdin read no password (the rule: ${PASSWORD_RULE})`);
  return text;
}

function oneUsername(positionals: string[], sub: string): string {
  if (positionals.length !== 1) throw new UsageError(`staff ${sub} needs one USERNAME`);
  const parsed = usernameSchema.safeParse(positionals[0]);
  if (!parsed.success) throw new UsageError(`USERNAME ${parsed.error.issues[0]?.message ?? 'is not valid'}`);
  return parsed.data;
}

const USAGE = [
  'staff add USERNAME --name "Full Name" --role clerk|supervisor|admin --password-stdin [--no-change-required]',
  'staff list | staff unlock USERNAME | staff disable USERNAME | staff reset-password USERNAME --password-stdin',
].join('\n                 ');

export const staffCommand: CliCommand = {
  name: 'staff',
  summary: 'Staff accounts: add (the first one an administrator), list, unlock, reset-password, disable',
  usage: USAGE,
  async run(ctx, argv) {
    const [sub, ...rest] = argv;
    const actor = cliActor();
    switch (sub) {
      case 'add': {
        const { values, positionals } = parseCommandArgs(
          rest,
          { name: { type: 'string' }, role: { type: 'string' }, 'password-stdin': { type: 'boolean' }, 'no-change-required': { type: 'boolean' } },
          true,
        );
        const username = oneUsername(positionals, 'add');
        const name = displayName.safeParse(values.name ?? '');
        if (!name.success) throw new UsageError('--name "Full Name" is required');
        if (!STAFF_ROLES.includes(values.role as StaffRole)) throw new UsageError(`--role must be one of ${STAFF_ROLES.join(', ')}`);
        if (!values['password-stdin']) throw new UsageError('--password-stdin is required: the password is read from standard input, never from the command line');
        const password = await passwordFromStdin(ctx);
        const { core } = await ctx.runtime();
        const user = await core.staff.users.create(actor, {
          username,
          name: name.data,
          role: values.role as StaffRole,
          password,
          mustChangePassword: !values['no-change-required'],
        });
        ctx.out(
          `Added ${user.username} (${user.name}) as ${user.role}` +
            (user.mustChangePassword ? '; the password is temporary and must be changed at the first sign-in.' : '; the password need not be changed (--no-change-required, audited).'),
        );
        return 0;
      }
      case 'list': {
        parseCommandArgs(rest, {});
        const { core } = await ctx.runtime();
        ctx.out(JSON.stringify(await core.staff.users.list(), null, 2));
        return 0;
      }
      case 'unlock': {
        const username = oneUsername(parseCommandArgs(rest, {}, true).positionals, 'unlock');
        const { core } = await ctx.runtime();
        await core.staff.users.unlock(actor, username);
        ctx.out(`Unlocked ${username}.`);
        return 0;
      }
      case 'disable': {
        const username = oneUsername(parseCommandArgs(rest, {}, true).positionals, 'disable');
        const { core } = await ctx.runtime();
        await core.staff.users.update(actor, { username, active: false });
        ctx.out(`Disabled ${username}; their sessions are ended.`);
        return 0;
      }
      case 'reset-password': {
        const { values, positionals } = parseCommandArgs(rest, { 'password-stdin': { type: 'boolean' } }, true);
        const username = oneUsername(positionals, 'reset-password');
        if (!values['password-stdin']) throw new UsageError('--password-stdin is required');
        const password = await passwordFromStdin(ctx);
        const { core } = await ctx.runtime();
        await core.staff.users.resetPassword(actor, { username, password });
        ctx.out(`Set a temporary password for ${username}; it must be changed at the next sign-in, and any lockout is lifted.`);
        return 0;
      }
      default:
        throw new UsageError(sub ? `Unknown staff subcommand: ${sub}` : 'staff needs a subcommand');
    }
  },
};
