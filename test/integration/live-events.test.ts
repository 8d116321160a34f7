import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../src/main/ipc/bridge';
import { addCustomer, call } from '../helpers/payments-fixtures';
import { openSharedLedger, waitFor, type SharedLedger } from '../helpers/shared-ledger';

/**
 * The bridge's GET /events: live updates as server-sent events, under the same token and Origin
 * rules as the channels. Workstation `a` changes the ledger; the page on `b`'s bridge hears of it.
 */

let office: SharedLedger;
let bridge: Bridge;
let customerId: number;
beforeAll(async () => {
  office = await openSharedLedger();
  customerId = await addCustomer(office.a.ledger.db, 'CL1042', 'Harbor Lane Dental');
  bridge = await startBridge(office.b.core, { heartbeatMs: 200 });
});
afterAll(async () => {
  await bridge.close();
  await office.dispose();
});

interface Stream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Everything received so far. */
  text(): string;
  ended: Promise<void>;
  close(): void;
}

function openEvents(headers: Record<string, string>, method = 'GET'): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: bridge.port, path: '/events', method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      const ended = new Promise<void>((r) => {
        res.on('end', () => r());
        res.on('close', () => r());
      });
      resolve({ status: res.statusCode ?? 0, headers: res.headers, text: () => text, ended, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('live updates over the bridge (GET /events)', () => {
  it('refuses a request without the token, with a wrong one, or from another origin', async () => {
    const refused: Record<string, string>[] = [{}, { 'x-ar-desk-token': 'guess' }, { 'x-ar-desk-token': bridge.token, origin: 'http://evil.example' }];
    for (const headers of refused) {
      const s = await openEvents(headers);
      await s.ended;
      expect(s.status, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(s.text())).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });

  it('is read with GET only', async () => {
    const s = await openEvents({ 'x-ar-desk-token': bridge.token }, 'POST');
    await s.ended;
    expect(s.status).toBe(405);
    expect(s.headers.allow).toBe('GET');
  });

  it('streams a change made at another workstation, naming the customer, and a heartbeat', async () => {
    const s = await openEvents({ 'x-ar-desk-token': bridge.token, origin: bridge.url });
    expect(s.status).toBe(200);
    expect(s.headers['content-type']).toMatch(/^text\/event-stream/);
    await waitFor(() => s.text().includes('event: ready'), 5_000, 'ready event');

    await call(office.a, 'credits.create', { customerNumber: 'CL1042', amountCents: 2_500, reason: 'Missed visit' });
    const sent = performance.now();
    const event = await waitFor(
      () => s.text().split('\n\n').find((block) => block.includes('event: ledger:changed') && block.includes('credit_memos')),
      2_000,
      'ledger:changed event',
    );
    console.log(`a credit at workstation a was streamed by workstation b's bridge ${(performance.now() - sent).toFixed(0)} ms after it was written`);
    const data = JSON.parse(event.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as { lastId: number; customerIds: number[]; entities: string[] };
    expect(data.customerIds).toEqual([customerId]);
    expect(data.entities).toContain('credit_memos');
    expect(event).toMatch(new RegExp(`^id: ${data.lastId}$`, 'm'));
    // Ids only: nothing of the credit's amount or reason.
    expect(event).not.toMatch(/2500|Missed visit/);

    await waitFor(() => s.text().includes(': heartbeat'), 2_000, 'heartbeat');
    s.close();
  });

  it('needs no staff session: a signed-out page still hears that something changed', async () => {
    const s = await openEvents({ 'x-ar-desk-token': bridge.token, 'x-ar-desk-session': 'not-a-session' });
    expect(s.status).toBe(200);
    await waitFor(() => s.text().includes('event: ready'), 5_000, 'ready event');
    s.close();
  });

  it('ends its open streams when the bridge closes', async () => {
    const other = await startBridge(office.b.core);
    const s = await new Promise<Stream>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: other.port, path: '/events', headers: { 'x-ar-desk-token': other.token } }, (res) => {
        const ended = new Promise<void>((r) => res.on('close', () => r()));
        res.resume();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: () => '', ended, close: () => req.destroy() });
      });
      req.on('error', reject);
    });
    expect(s.status).toBe(200);
    await other.close();
    await s.ended;
  });
});
