import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { decodeIppResponse, encodeIppRequest, type IppAttributeSpec, type IppResponse } from './ipp.codec';

/**
 * Where the CUPS scheduler answers, found the way the CUPS commands (lp, lpstat) find it: the
 * CUPS_SERVER variable, then ServerName in ~/.cups/client.conf and /etc/cups/client.conf, then the
 * local socket, then localhost:631. So AR Desk asks the same scheduler that `lp` printed to.
 */
export interface CupsServer {
  /** A local socket (Linux /run/cups/cups.sock, macOS /private/var/run/cupsd), or undefined for TCP. */
  socketPath?: string;
  host: string;
  port: number;
}

const DEFAULT_SOCKETS = ['/run/cups/cups.sock', '/var/run/cups/cups.sock', '/private/var/run/cupsd'];

function serverNameIn(file: string): string | undefined {
  try {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const m = /^\s*ServerName\s+(\S+)/i.exec(line);
      if (m) return m[1];
    }
  } catch {
    // no such file: the next place decides
  }
  return undefined;
}

export function parseCupsServerName(name: string, env: NodeJS.ProcessEnv = process.env): CupsServer {
  const defaultPort = Number(env.IPP_PORT) || 631;
  if (name.startsWith('/')) return { socketPath: name, host: 'localhost', port: defaultPort };
  const bare = name.replace(/\/version=.*$/, '');
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(bare);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : defaultPort };
  const m = /^([^:]+)(?::(\d+))?$/.exec(bare);
  return { host: m?.[1] ?? 'localhost', port: m?.[2] ? Number(m[2]) : defaultPort };
}

export function resolveCupsServer(env: NodeJS.ProcessEnv = process.env): CupsServer {
  const name =
    env.CUPS_SERVER?.trim() ||
    serverNameIn(path.join(env.HOME ?? os.homedir(), '.cups', 'client.conf')) ||
    serverNameIn(path.join(env.CUPS_SERVERROOT ?? '/etc/cups', 'client.conf')) ||
    DEFAULT_SOCKETS.find((p) => fs.existsSync(p)) ||
    'localhost';
  return parseCupsServerName(name, env);
}

let nextRequestId = 1;

/** Sends one IPP request to the scheduler and decodes the answer; rejects when the scheduler does not answer. */
export function ippRequest(
  server: CupsServer,
  operation: number,
  attributes: IppAttributeSpec[],
  options: { timeoutMs?: number } = {},
): Promise<IppResponse> {
  const body = encodeIppRequest(operation, nextRequestId++, attributes);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        ...(server.socketPath ? { socketPath: server.socketPath } : { host: server.host, port: server.port }),
        method: 'POST',
        path: '/',
        headers: { 'Content-Type': 'application/ipp', 'Content-Length': body.length, Host: 'localhost' },
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) {
            reject(new Error(`CUPS answered HTTP ${res.statusCode ?? '?'}`));
            return;
          }
          try {
            resolve(decodeIppResponse(Buffer.concat(chunks)));
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('CUPS did not answer in time')));
    req.on('error', reject);
    req.end(body);
  });
}

/** The user name CUPS records as a job's owner. */
export function requestingUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'ar-desk';
  }
}
