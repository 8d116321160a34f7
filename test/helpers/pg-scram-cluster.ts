import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A tiny PostgreSQL cluster of its own that checks passwords (scram-sha-256), for the tests of a
 * wrong password: the shared test cluster trusts every local connection, so it cannot refuse one.
 * Made with the machine's PostgreSQL (as scripts/pg-test-server.sh does), stopped and deleted by
 * stop(). Null where PostgreSQL's programs are not installed.
 */
export interface ScramCluster {
  /** postgres://postgres:PASSWORD@127.0.0.1:PORT/postgres */
  url: string;
  password: string;
  stop(): void;
}

function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).sort((a, b) => Number(a) - Number(b));
  for (const v of versions.reverse()) {
    const bin = path.join(root, v, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb'))) return bin;
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export async function startScramCluster(): Promise<ScramCluster | null> {
  const bin = binDir();
  if (!bin) return null;
  const root = process.getuid?.() === 0;
  // initdb refuses to run as root: the server runs as the postgres user then, in a folder it owns.
  const as = (cmd: string, args: string[]) =>
    root ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-desk-scram-'));
  const password = 'scram-test-password-1';
  fs.writeFileSync(path.join(dir, 'pw'), `${password}\n`);
  if (root) execFileSync('chown', ['-R', 'postgres', dir]);
  const port = await freePort();
  const data = path.join(dir, 'data');
  as(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'scram-sha-256', `--pwfile=${path.join(dir, 'pw')}`, '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  as(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    password,
    stop: () => {
      try {
        as(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
