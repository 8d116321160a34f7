import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/main/memory';

describe('collectGarbage', () => {
  it('runs a full collection: an object no longer referenced is gone after it', async () => {
    let held: object | null = { payload: new Array(1000).fill('x') };
    const ref = new WeakRef(held);
    held = null;
    // A WeakRef's target is kept to the end of the job that made (or last read) it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await collectGarbage()).toBe(true);
    expect(ref.deref()).toBeUndefined();
  });
});
