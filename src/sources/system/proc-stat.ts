/** /proc/stat: CPU time in clock ticks since boot, for all CPUs together and for each. */
import { sample } from "../number.js";
import { SourceError } from "../types.js";

/**
 * The fields of a `cpu` line that make up its time, in the kernel's order (proc(5)): user nice system
 * idle iowait irq softirq steal. Guest and guest_nice follow but are already counted in user and nice.
 * Kernels older than 2.6.11 print fewer; the missing ones are 0.
 */
export type CpuTicks = readonly number[];
export const CPU_TICK_FIELDS = 8;
export const IDLE_FIELD = 3;
export const IOWAIT_FIELD = 4;

export interface ProcStat {
  /** The `cpu` line: all CPUs together. */
  readonly all: CpuTicks;
  /** The `cpuN` lines, keyed `cpu0`, `cpu1`, ... in the kernel's order (online CPUs only). */
  readonly perCpu: ReadonlyMap<string, CpuTicks>;
}

/** user nice system idle: the four fields every kernel has. */
const MIN_FIELDS = 4;

export function parseProcStat(text: string, path: string): ProcStat {
  let all: CpuTicks | undefined;
  const perCpu = new Map<string, CpuTicks>();
  for (const line of text.split("\n")) {
    if (!line.startsWith("cpu")) continue;
    const fields = line.split(/\s+/);
    const ticks = fields.slice(1, 1 + CPU_TICK_FIELDS).map(Number);
    if (ticks.length < MIN_FIELDS || ticks.some((t) => !Number.isFinite(t)))
      throw new SourceError(`${path} has a malformed cpu line: ${sample(line)}`);
    while (ticks.length < CPU_TICK_FIELDS) ticks.push(0);
    if (fields[0] === "cpu") all = ticks;
    else perCpu.set(fields[0]!, ticks);
  }
  if (all === undefined) throw new SourceError(`${path} has no cpu line`);
  return { all, perCpu };
}
