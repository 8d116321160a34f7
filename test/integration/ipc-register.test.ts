import { describe, expect, it } from 'vitest';
import { registerIpc, type IpcEventLike } from '../../src/main/ipc/register';
import { CHANNEL_NAMES } from '../../src/shared/contract';
import { openTestRuntime } from '../helpers/runtime';

describe('registerIpc', () => {
  it('binds every channel, serves the trusted window and refuses any other sender', async () => {
    const rt = await openTestRuntime();
    const bound = new Map<string, (e: IpcEventLike, input: unknown) => Promise<unknown>>();
    const unbind = registerIpc(
      rt.core,
      { handle: (c, l) => bound.set(c, l), removeHandler: (c) => bound.delete(c) },
      { isTrustedSender: (e) => e.sender.id === 1 },
    );
    expect([...bound.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
    const info = bound.get('app.info')!;
    const trusted = (await info({ sender: { id: 1 }, senderFrame: { url: 'file:///app/index.html' } }, {})) as {
      ok: boolean;
      data: { actor: string };
    };
    expect(trusted.ok).toBe(true);
    // Nobody has signed in on this window yet.
    expect(trusted.data.actor).toBe('');
    const stranger = await info({ sender: { id: 7 }, senderFrame: { url: 'https://evil.example' } }, {});
    expect(stranger).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'This window may not call AR Desk.' } });
    unbind();
    expect(bound.size).toBe(0);
    await rt.dispose();
  });
});
