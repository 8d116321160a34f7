import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Envelope } from '../../shared/errors';
import type { Core } from '../core';
import { CONTENT_SECURITY_POLICY } from '../window';
import { createDispatcher } from './handlers';
import { dispatch } from './dispatch';
import { eventStreams } from './events';

/** The bridge binds to loopback only; it is never exposed on another address. */
export const BRIDGE_HOST = '127.0.0.1';
export const MAX_BODY_BYTES = 1024 * 1024;
/** The per-launch secret every /ipc/ request carries. */
export const TOKEN_HEADER = 'x-ar-desk-token';
/** The staff session (auth.signIn's token). */
export const SESSION_HEADER = 'x-ar-desk-session';

export interface BridgeOptions {
  port?: number;
  /** A built renderer (out/renderer) to serve at /, for dev:web and end-to-end tests. */
  staticDir?: string;
  /** The per-launch secret; else AR_DESK_BRIDGE_TOKEN, else a random one. */
  token?: string;
  /** How often an open GET /events stream gets a heartbeat comment. */
  heartbeatMs?: number;
}

export interface Bridge {
  url: string;
  /** The page's address handing it the token in the fragment (never sent to a server): what dev:web prints. */
  pageUrl: string;
  token: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

/** Host header must name loopback, so a page on another origin cannot reach the bridge by DNS rebinding. */
function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.replace(/:\d+$/, '');
  return name === '127.0.0.1' || name === 'localhost';
}

function refuse(res: http.ServerResponse, status: number, code: 'FORBIDDEN' | 'VALIDATION', message: string): void {
  const body: Envelope<never> = { ok: false, error: { code, message } };
  sendJson(res, status, body);
}

/**
 * The body as text, or 'too large'. A body over the limit is read to its end and dropped (up to a
 * bound, past which the connection is cut), so the client reads the 413 instead of a reset.
 */
function readBody(req: http.IncomingMessage): Promise<string | 'too large'> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
      else if (size > 16 * MAX_BODY_BYTES) {
        resolve('too large');
        req.destroy();
      }
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? 'too large' : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sameSecret(given: string | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (t: string) => crypto.createHash('sha256').update(t).digest();
  return crypto.timingSafeEqual(digest(given), digest(token));
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function serveStatic(dir: string, urlPath: string, res: http.ServerResponse): void {
  const clean = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  let file = path.normalize(path.join(dir, clean));
  if (!file.startsWith(path.resolve(dir))) {
    res.writeHead(403).end();
    return;
  }
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(dir, 'index.html');
  const ext = path.extname(file);
  const headers: Record<string, string> = { 'content-type': MIME[ext] ?? 'application/octet-stream' };
  if (ext === '.html') {
    headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
    headers['cache-control'] = 'no-store';
  }
  res.writeHead(200, headers);
  fs.createReadStream(file).pipe(res);
}

/**
 * Serves the channel map as POST /ipc/<channel> with the same envelope as Electron IPC, to requests
 * that carry the per-launch token in X-AR-Desk-Token, with Content-Type application/json and no
 * Origin other than the bridge's own: a page on another origin can neither send those headers
 * without a preflight the bridge never grants, nor read the token. The staff session travels in
 * X-AR-Desk-Session. The renderer's files (GET) are served without the token.
 *
 * GET /events streams live updates (events.ts) under the same token and Origin rules, without a
 * staff session: a notice says only that some accounts (by id) changed, never what, and every
 * read it prompts is still refused without a session. Requiring one would tear the stream down
 * at every sign-in, sign-out and idle lock, when the lock screen's page needs the notices too.
 */
export function startBridge(core: Core, options: BridgeOptions = {}): Promise<Bridge> {
  const dispatcher = createDispatcher(core);
  const token = options.token ?? process.env.AR_DESK_BRIDGE_TOKEN ?? crypto.randomBytes(32).toString('base64url');
  let ownOrigins: string[] = [];
  const streams = eventStreams(core.changes, options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {});
  /** The Origin and token checks of every request but the page's files; true when it was refused. */
  const refusedCaller = (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    const origin = header(req, 'origin');
    if (origin !== undefined && !ownOrigins.includes(origin)) {
      refuse(res, 403, 'FORBIDDEN', 'The bridge answers only its own page.');
      return true;
    }
    if (!sameSecret(header(req, TOKEN_HEADER), token)) {
      refuse(res, 403, 'FORBIDDEN', 'The bridge token is missing or wrong: open the address dev:web printed.');
      return true;
    }
    return false;
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      if (!isLoopbackHost(req.headers.host)) {
        sendJson(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: 'The bridge answers on 127.0.0.1 only.' } });
        return;
      }
      const url = req.url ?? '/';
      if (url.startsWith('/ipc/')) {
        if (req.method !== 'POST') {
          res.setHeader('allow', 'POST');
          refuse(res, 405, 'VALIDATION', 'Channels are called with POST.');
          return;
        }
        if (refusedCaller(req, res)) return;
        if ((header(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase() !== 'application/json') {
          refuse(res, 415, 'VALIDATION', 'The request must be Content-Type: application/json.');
          return;
        }
        const channel = url.slice('/ipc/'.length).split('?')[0] ?? '';
        let input: unknown;
        try {
          const text = await readBody(req);
          if (text === 'too large') {
            refuse(res, 413, 'VALIDATION', `The request body is over ${MAX_BODY_BYTES} bytes.`);
            return;
          }
          input = text.trim() === '' ? {} : JSON.parse(text);
        } catch {
          refuse(res, 400, 'VALIDATION', 'The request body is not valid JSON.');
          return;
        }
        const session = header(req, SESSION_HEADER);
        const result = await dispatch(dispatcher, channel, input, { via: 'bridge', sessionToken: session ?? null });
        sendJson(res, 200, result);
        return;
      }
      if (url === '/events' || url.startsWith('/events?')) {
        if (req.method !== 'GET') {
          res.setHeader('allow', 'GET');
          refuse(res, 405, 'VALIDATION', 'Live updates are read with GET.');
          return;
        }
        if (refusedCaller(req, res)) return;
        streams.serve(req, res);
        return;
      }
      if (options.staticDir && (req.method === 'GET' || req.method === 'HEAD')) {
        serveStatic(options.staticDir, url, res);
        return;
      }
      res.writeHead(404).end();
    })().catch((e: unknown) => {
      core.deps.log.error('Bridge request failed', { error: e instanceof Error ? e.message : String(e) });
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'Bridge failure' } });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, BRIDGE_HOST, () => {
      const { port } = server.address() as AddressInfo;
      ownOrigins = [`http://${BRIDGE_HOST}:${port}`, `http://localhost:${port}`];
      resolve({
        url: `http://${BRIDGE_HOST}:${port}`,
        pageUrl: `http://${BRIDGE_HOST}:${port}/#token=${encodeURIComponent(token)}`,
        token,
        port,
        server,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            streams.closeAll();
          }),
      });
    });
  });
}
