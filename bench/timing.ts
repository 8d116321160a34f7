/**
 * Wall-clock figures are what a clerk feels; CPU figures (this process's user + system time) are
 * what the code costs, and stay meaningful when other programs are busy on the same machine. On
 * PostgreSQL the query work runs in the server's processes: when they can be read (a server on this
 * machine), their CPU time is given too, as the mean per call of a whole series.
 */
export interface Timing {
  p50: number;
  p95: number;
  cpuP50: number;
  cpuP95: number;
  /** Mean server CPU ms per call (PostgreSQL on this machine), else null. */
  serverCpuMean: number | null;
  samples: number;
}

export interface Medians {
  wall: number;
  cpu: number;
  /** Median server CPU ms (PostgreSQL on this machine), else null. */
  server: number | null;
}

/** Server CPU milliseconds spent since the probe was made, or null when they cannot be read. */
export type ServerCpuProbe = () => Promise<() => Promise<number | null>>;

const noServer: ServerCpuProbe = async () => async () => null;

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const byValue = (x: number, y: number) => x - y;

/** Wall and CPU milliseconds of one call. */
export async function measure(fn: () => Promise<unknown> | unknown): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

export async function timeEach<T>(inputs: readonly T[], fn: (input: T) => Promise<unknown>, serverCpu: ServerCpuProbe = noServer): Promise<Timing> {
  // A few untimed calls first, so the figures are of a warm process.
  for (const input of inputs.slice(0, 20)) await fn(input);
  const wall: number[] = [];
  const cpu: number[] = [];
  // The server is read around the whole series, so reading it costs no call anything.
  const spent = await serverCpu();
  for (const input of inputs) {
    const m = await measure(() => fn(input));
    wall.push(m.wall);
    cpu.push(m.cpu);
  }
  const server = await spent();
  wall.sort(byValue);
  cpu.sort(byValue);
  return {
    p50: percentile(wall, 50),
    p95: percentile(wall, 95),
    cpuP50: percentile(cpu, 50),
    cpuP95: percentile(cpu, 95),
    serverCpuMean: server === null ? null : server / inputs.length,
    samples: wall.length,
  };
}

async function measureWithServer(fn: () => Promise<unknown> | unknown, serverCpu: ServerCpuProbe): Promise<Medians> {
  const spent = await serverCpu();
  const m = await measure(fn);
  return { ...m, server: await spent() };
}

/** Median of 3 runs of each, taken in turns so a busy machine slows both alike. */
export async function mediansOf3Interleaved(
  a: () => Promise<unknown> | unknown,
  b: () => Promise<unknown> | unknown,
  serverCpu: ServerCpuProbe = noServer,
): Promise<[Medians, Medians]> {
  const runs: Medians[][] = [[], []];
  for (let i = 0; i < 3; i++) {
    runs[0]!.push(await measureWithServer(a, serverCpu));
    runs[1]!.push(await measureWithServer(b, serverCpu));
  }
  const median = (xs: number[]) => xs.sort(byValue)[1]!;
  return runs.map((r) => {
    const server = r.map((x) => x.server);
    return {
      wall: median(r.map((x) => x.wall)),
      cpu: median(r.map((x) => x.cpu)),
      server: server.every((x) => x !== null) ? median(server as number[]) : null,
    };
  }) as [Medians, Medians];
}
