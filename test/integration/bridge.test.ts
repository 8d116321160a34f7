import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../src/main/ipc/bridge';
import { createDispatcher } from '../../src/main/ipc/handlers';
import { dispatch } from '../../src/main/ipc/dispatch';
import { openTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
let bridge: Bridge;
beforeAll(async () => {
  rt = await openTestRuntime();
  bridge = await startBridge(rt.core);
});
afterAll(async () => {
  await bridge.close();
  await rt.dispose();
});

function post(path: string, body: string, host = `127.0.0.1:${bridge.port}`): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: bridge.port, path, method: 'POST', headers: { host, 'content-type': 'application/json', 'x-ar-desk-token': bridge.token } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the HTTP bridge', () => {
  it('listens on 127.0.0.1 only', () => {
    const addr = bridge.server.address() as net.AddressInfo;
    expect(addr.address).toBe('127.0.0.1');
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}`);
  });

  it('cannot be reached on another address of this machine', async () => {
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((i): i is os.NetworkInterfaceInfo => !!i && i.family === 'IPv4' && !i.internal)
      .map((i) => i.address);
    const targets = [...others, '127.0.0.2'];
    for (const address of targets) {
      const outcome = await new Promise<string>((resolve) => {
        const s = net.connect({ host: address, port: bridge.port });
        s.once('connect', () => {
          s.destroy();
          resolve('connected');
        });
        s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(outcome, address).toBe('ECONNREFUSED');
    }
  });

  it('answers a channel with the same envelope as IPC', async () => {
    const viaHttp = await post('/ipc/app.info', '{}');
    const direct = await dispatch(createDispatcher(rt.core), 'app.info', {}, { via: 'bridge', sessionToken: null });
    expect(viaHttp.status).toBe(200);
    expect(viaHttp.json).toEqual(direct);
    expect((viaHttp.json as { ok: boolean }).ok).toBe(true);
  });

  it('answers VALIDATION for bad input and for a body that is not JSON', async () => {
    const extra = await post('/ipc/app.info', '{"surprise":1}');
    expect((extra.json as { error: { code: string } }).error.code).toBe('VALIDATION');
    const garbage = await post('/ipc/app.info', '{not json');
    expect(garbage.status).toBe(400);
    expect((garbage.json as { error: { code: string } }).error.code).toBe('VALIDATION');
  });

  it('refuses a request whose Host is not loopback', async () => {
    const r = await post('/ipc/app.info', '{}', 'evil.example');
    expect(r.status).toBe(403);
    expect((r.json as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });
});
