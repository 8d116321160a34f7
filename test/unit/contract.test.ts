import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, contract } from '../../src/shared/contract';
import { buildHandlers, createDispatcher } from '../../src/main/ipc/handlers';
import { dispatch, type Handlers } from '../../src/main/ipc/dispatch';
import { openTestRuntime } from '../helpers/runtime';
import { asStaff } from '../helpers/dispatch';

describe('the IPC contract', () => {
  it('names every channel domain.verb and has a handler for each', async () => {
    const rt = await openTestRuntime();
    const handlers = buildHandlers(rt.core);
    expect(CHANNEL_NAMES.length).toBeGreaterThan(0);
    for (const name of CHANNEL_NAMES) {
      expect(name).toMatch(/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/);
      expect(typeof handlers[name], name).toBe('function');
    }
    expect(Object.keys(handlers).sort()).toEqual([...CHANNEL_NAMES].sort());
    await rt.dispose();
  });

  it('answers VALIDATION to wrong types, extra keys and missing keys on every channel', async () => {
    const rt = await openTestRuntime();
    const handlers = createDispatcher(rt.core);
    const bad: unknown[] = [42, 'text', [], null, true, { __not_a_field__: 1 }];
    for (const name of CHANNEL_NAMES) {
      for (const input of bad) {
        const r = await dispatch(handlers, name, input, asStaff('t'));
        expect(r.ok, `${name} with ${JSON.stringify(input)}`).toBe(false);
        if (!r.ok) expect(r.error.code, `${name} with ${JSON.stringify(input)}`).toBe('VALIDATION');
      }
      // Channels with required keys refuse an empty object.
      if (!contract[name].input.safeParse({}).success) {
        const r = await dispatch(handlers, name, {}, asStaff('t'));
        expect(r.ok ? 'ok' : r.error.code, `${name} with {}`).toBe('VALIDATION');
      }
    }
    await rt.dispose();
  });

  it('turns an exception inside a handler into INTERNAL, logs it, and keeps serving', async () => {
    const rt = await openTestRuntime();
    const handlers: Handlers = {
      ...buildHandlers(rt.core),
      'app.info': () => {
        throw new Error('disk on fire');
      },
    };
    const failed = await dispatch({ ...createDispatcher(rt.core), handlers }, 'app.info', {}, asStaff('t'));
    expect(failed).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/logged/) } });
    expect(rt.log.lines.some((l) => l.includes('disk on fire'))).toBe(true);
    const healthy = await dispatch(createDispatcher(rt.core), 'app.info', {}, asStaff('t'));
    expect(healthy.ok).toBe(true);
    if (healthy.ok) expect((healthy.data as { schemaVersion: number }).schemaVersion).toBe(rt.ledger.schema.version);
    await rt.dispose();
  });

  it('answers NOT_FOUND for a channel that does not exist', async () => {
    const rt = await openTestRuntime();
    const r = await dispatch(createDispatcher(rt.core), 'nope.nothing', {}, asStaff('t'));
    expect(r).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No such channel: nope.nothing' } });
    await rt.dispose();
  });
});
