import pg from 'pg';
import { runCli } from '../../src/main/cli/cli';

/** Helpers of the office ledger's tests (office-server, office-config): the CLI with standard input, one statement as any user. */

export async function cli(args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { out: (t: string) => (out += `${t}\n`), err: (t: string) => (err += `${t}\n`), readStdin: async () => stdin ?? '' };
  const code = await runCli(args, io);
  return { code, out, err };
}

/** One statement on `url`; the error (with its SQLSTATE code) is returned, not thrown. */
export async function query(url: string, text: string): Promise<{ rows: Record<string, unknown>[]; error?: { code: string; message: string } }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return { rows: (await client.query(text)).rows };
  } catch (e) {
    return { rows: [], error: { code: (e as { code: string }).code, message: (e as Error).message } };
  } finally {
    await client.end();
  }
}

/** The address `url` as another user. */
export function asUser(url: string, user: string, password?: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password ?? '';
  return u.toString();
}
