/**
 * Wall-clock figures are what a clerk feels; CPU figures (this process's user + system time) are
 * what the code costs, and stay meaningful when other programs are busy on the same machine. On
 * PostgreSQL the CPU figure leaves out the server's own work, which runs in its processes.
 */
export interface Timing {
  p50: number;
  p95: number;
  cpuP50: number;
  cpuP95: number;
  samples: number;
}

export interface Medians {
  wall: number;
  cpu: number;
}

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const byValue = (x: number, y: number) => x - y;

/** Wall and CPU milliseconds of one call. */
export async function measure(fn: () => Promise<unknown> | unknown): Promise<Medians> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

export async function timeEach<T>(inputs: readonly T[], fn: (input: T) => Promise<unknown>): Promise<Timing> {
  // A few untimed calls first, so the figures are of a warm process.
  for (const input of inputs.slice(0, 20)) await fn(input);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const input of inputs) {
    const m = await measure(() => fn(input));
    wall.push(m.wall);
    cpu.push(m.cpu);
  }
  wall.sort(byValue);
  cpu.sort(byValue);
  return { p50: percentile(wall, 50), p95: percentile(wall, 95), cpuP50: percentile(cpu, 50), cpuP95: percentile(cpu, 95), samples: wall.length };
}

/** Median of 3 runs of each, taken in turns so a busy machine slows both alike. */
export async function mediansOf3Interleaved(a: () => Promise<unknown> | unknown, b: () => Promise<unknown> | unknown): Promise<[Medians, Medians]> {
  const runs: Medians[][] = [[], []];
  for (let i = 0; i < 3; i++) {
    runs[0]!.push(await measure(a));
    runs[1]!.push(await measure(b));
  }
  const median = (xs: number[]) => xs.sort(byValue)[1]!;
  return runs.map((r) => ({ wall: median(r.map((x) => x.wall)), cpu: median(r.map((x) => x.cpu)) })) as [Medians, Medians];
}
