import { UsageError } from './args';
import type { CliContext } from './command';

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * One secret given on standard input (`--password-stdin`): the text up to the end, without the
 * final line break. A terminal is refused, so a password is never typed where it shows; tests hand
 * in readStdin, as for `staff`.
 */
export async function secretFromStdin(ctx: CliContext): Promise<string> {
  const given = (ctx as CliContext & { readStdin?: () => Promise<string> }).readStdin;
  if (!given && process.stdin.isTTY) {
    throw new UsageError('--password-stdin reads the password from a pipe or a file, not from the keyboard: for example  read -rs PW; printf \'%s\\n\' "$PW" | npm run cli -- …');
  }
  return (await (given ?? readProcessStdin)()).replace(/\r?\n$/, '');
}
