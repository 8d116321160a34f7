import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, startBridge, type Bridge } from '../../../src/main/ipc/bridge';
import { openTestRuntime, tempDir, type TestRuntime } from '../../helpers/runtime';
import { addStaff, PASSWORD } from '../../helpers/staff-fixtures';

let rt: TestRuntime;
let bridge: Bridge;
let staticDir: string;
beforeAll(async () => {
  rt = await openTestRuntime();
  await addStaff(rt, 'dana', 'admin');
  staticDir = tempDir('ar-desk-static-');
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>AR Desk</title>');
  bridge = await startBridge(rt.core, { staticDir });
});
afterAll(async () => {
  await bridge.close();
  await rt.dispose();
  fs.rmSync(staticDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  json: { ok: boolean; data?: unknown; error?: { code: string; message: string } } | null;
  text: string;
}

function request(options: { path?: string; method?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: bridge.port, path: options.path ?? '/ipc/app.info', method: options.method ?? 'POST', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Answer['json'] = null;
          try {
            json = JSON.parse(text) as Answer['json'];
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, json, text });
        });
      },
    );
    req.on('error', reject);
    req.end(options.method === 'GET' ? undefined : (options.body ?? '{}'));
  });
}

const json = { 'content-type': 'application/json' };
const withToken = (more: Record<string, string> = {}) => ({ ...json, 'x-ar-desk-token': bridge.token, ...more });

describe('the bridge refuses what a web page could send', () => {
  it('answers its own page: token, JSON, no Origin or its own', async () => {
    expect(await request({ headers: withToken() })).toMatchObject({ status: 200, json: { ok: true } });
    expect(await request({ headers: withToken({ origin: bridge.url }) })).toMatchObject({ status: 200, json: { ok: true } });
    expect(await request({ headers: withToken({ 'content-type': 'application/json; charset=utf-8' }) })).toMatchObject({ status: 200 });
  });

  it('refuses a request without the token: 403 with the envelope', async () => {
    const r = await request({ headers: json });
    expect(r.status).toBe(403);
    expect(r.json).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/token/) } });
  });

  it('refuses a wrong token: 403', async () => {
    for (const token of ['nope', `${bridge.token}x`, bridge.token.slice(1), '']) {
      const r = await request({ headers: { ...json, 'x-ar-desk-token': token } });
      expect(r.status, token).toBe(403);
      expect(r.json?.error?.code).toBe('FORBIDDEN');
    }
  });

  it('refuses a foreign Origin even with the token: 403', async () => {
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${bridge.port + 1}`, 'http://127.0.0.1']) {
      const r = await request({ headers: withToken({ origin }) });
      expect(r.status, origin).toBe(403);
      expect(r.json).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });

  it('refuses text/plain (what a cross-origin form or simple fetch sends): 415', async () => {
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await request({ headers: { 'x-ar-desk-token': bridge.token, 'content-type': type } });
      expect(r.status, type).toBe(415);
      expect(r.json).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    const none = await request({ headers: { 'x-ar-desk-token': bridge.token } });
    expect(none.status).toBe(415);
  });

  it('answers an oversized body with 413 and the envelope, not a reset connection', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES * 2, 0x20);
    const r = await request({ headers: withToken(), body: big });
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/over/) } });
    // And keeps serving.
    expect(await request({ headers: withToken() })).toMatchObject({ status: 200 });
  });

  it('answers a GET of a channel with 405, and serves the page itself without the token', async () => {
    const r = await request({ method: 'GET', headers: {} });
    expect(r.status).toBe(405);
    expect(r.json).toMatchObject({ ok: false });
    const page = await request({ path: '/', method: 'GET', headers: {} });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>AR Desk</title>');
  });

  it('carries the staff session in X-AR-Desk-Session', async () => {
    const anonymous = await request({ path: '/ipc/lookup.search', headers: withToken(), body: '{"query":"x"}' });
    expect(anonymous.json).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const signedIn = await request({ path: '/ipc/auth.signIn', headers: withToken(), body: JSON.stringify({ username: 'dana', password: PASSWORD }) });
    const session = (signedIn.json?.data as { token: string }).token;
    const found = await request({ path: '/ipc/lookup.search', headers: withToken({ 'x-ar-desk-session': session }), body: '{"query":"x"}' });
    expect(found).toMatchObject({ status: 200, json: { ok: true } });
    // The session is not a bridge token, and the bridge token is no session.
    expect((await request({ headers: { ...json, 'x-ar-desk-token': session } })).status).toBe(403);
    const swapped = await request({ path: '/ipc/lookup.search', headers: withToken({ 'x-ar-desk-session': bridge.token }), body: '{"query":"x"}' });
    expect(swapped.json).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('takes its token from AR_DESK_BRIDGE_TOKEN, else makes a new random one each launch', async () => {
    const before = process.env.AR_DESK_BRIDGE_TOKEN;
    process.env.AR_DESK_BRIDGE_TOKEN = 'set-by-the-environment-1234';
    const fixed = await startBridge(rt.core);
    delete process.env.AR_DESK_BRIDGE_TOKEN;
    const random = await startBridge(rt.core);
    if (before !== undefined) process.env.AR_DESK_BRIDGE_TOKEN = before;
    try {
      expect(fixed.token).toBe('set-by-the-environment-1234');
      expect(fixed.pageUrl).toBe(`${fixed.url}/#token=set-by-the-environment-1234`);
      expect(random.token).toMatch(/^[\w-]{43}$/);
      expect(random.token).not.toBe(bridge.token);
    } finally {
      await fixed.close();
      await random.close();
    }
  });
});
