import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Envelope } from '../../shared/errors';
import type { Core } from '../core';
import { CONTENT_SECURITY_POLICY } from '../window';
import { buildHandlers } from './handlers';
import { dispatch, type CallContext } from './dispatch';

/** The bridge binds to loopback only; it is never exposed on another address. */
export const BRIDGE_HOST = '127.0.0.1';
const MAX_BODY_BYTES = 1024 * 1024;

export interface BridgeOptions {
  port?: number;
  /** A built renderer (out/renderer) to serve at /, for dev:web and end-to-end tests. */
  staticDir?: string;
  context?: () => CallContext;
}

export interface Bridge {
  url: string;
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

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
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

/** Serves the channel map as POST /ipc/<channel> with the same envelope as Electron IPC. */
export function startBridge(core: Core, options: BridgeOptions = {}): Promise<Bridge> {
  const handlers = buildHandlers(core);
  const context = options.context ?? (() => ({ actor: 'clerk' }));
  const server = http.createServer((req, res) => {
    void (async () => {
      if (!isLoopbackHost(req.headers.host)) {
        sendJson(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: 'The bridge answers on 127.0.0.1 only.' } });
        return;
      }
      const url = req.url ?? '/';
      if (url.startsWith('/ipc/')) {
        if (req.method !== 'POST') {
          res.writeHead(405, { allow: 'POST' }).end();
          return;
        }
        const channel = url.slice('/ipc/'.length).split('?')[0] ?? '';
        let input: unknown;
        try {
          const text = await readBody(req);
          input = text.trim() === '' ? {} : JSON.parse(text);
        } catch {
          const body: Envelope<never> = { ok: false, error: { code: 'VALIDATION', message: 'The request body is not valid JSON.' } };
          sendJson(res, 400, body);
          return;
        }
        const result = await dispatch(handlers, channel, input, context(), core.deps.log);
        sendJson(res, 200, result);
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
      resolve({
        url: `http://${BRIDGE_HOST}:${port}`,
        port,
        server,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
