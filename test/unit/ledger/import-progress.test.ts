import { describe, expect, it } from 'vitest';
import { importProgressPrinter } from '../../../src/main/cli/commands/import.commands';

describe('the import command on a terminal', () => {
  it('prints how many lines are checked, then how many of the total are written', () => {
    const lines: string[] = [];
    const print = importProgressPrinter((t) => lines.push(t), true, 0)!;
    print({ phase: 'checking', rows: 400_000, total: null });
    print({ phase: 'writing', rows: 300_000, total: 1_000_000 });
    expect(lines).toEqual(['import: checked 400,000 lines…', 'import: written 300,000 of 1,000,000…']);
  });

  it('prints at most once a second, and nothing when standard error is not a terminal', () => {
    const lines: string[] = [];
    const print = importProgressPrinter((t) => lines.push(t), true)!;
    for (let n = 1; n <= 100; n++) print({ phase: 'checking', rows: n * 2000, total: null });
    expect(lines).toEqual([]);
    expect(importProgressPrinter((t) => lines.push(t), false)).toBeUndefined();
  });
});
