/**
 * cpu.utilization and cpu.iowait: shares of the CPU time that passed between two reads.
 * Host: from /proc/stat ticks, busy = all time but idle and iowait (as top, psutil and Telegraf's
 * usage_active count it). Each field's increase is taken alone, and one that went backwards counts as
 * no time: proc(5) warns that iowait can decrease, and a CPU taken offline and back may restart its counts.
 * Container: the cgroup's CPU time against its quota (cpu.max, or cfs_quota_us / cfs_period_us);
 * without a quota, against all online CPUs. 100 is the whole quota; a burst above it shows above 100.
 */
import { counterIncrease, Baselines } from "./counter.js";
import { readCpuQuota, readCpuUsageMicros } from "./cgroup-usage.js";
import { readKernelFile } from "./kernel-file.js";
import type { CpuCgroup } from "./own-cgroup.js";
import { IDLE_FIELD, IOWAIT_FIELD, parseProcStat, type CpuTicks } from "./proc-stat.js";
import type { Sample, Skipped, SystemReading } from "./sample.js";
import { syncReader, type ReaderSetup, type SystemReader } from "./system-reader.js";
import { SourceError } from "../types.js";

const PERCENT = 100;
const US_PER_MS = 1000;

export function cpuReader(
  metric: "cpu.utilization" | "cpu.iowait",
  perCpu: boolean,
  setup: ReaderSetup,
): SystemReader {
  const { resolution, view } = setup;
  if (metric === "cpu.utilization" && resolution.scope === "container") {
    if (perCpu) throw new SourceError(`perCpu needs scope host; the scope is ${resolution.reason}`);
    const cpu = resolution.cgroup?.cpu;
    if (cpu === undefined)
      throw new SourceError(`${resolution.reason}: this process's cgroup has no cpu controller to read`);
    return syncReader(metric, resolution, cgroupCpu(cpu, setup));
  }
  const path = `${view.proc}/stat`;
  const baselines = new Baselines<CpuTicks>();
  return syncReader(metric, resolution, () => {
    const stat = parseProcStat(readKernelFile(path), path);
    const now = setup.context.nowMs();
    const samples: Sample[] = [];
    const skipped: Skipped[] = [];
    const series: Iterable<[string, CpuTicks]> = perCpu ? stat.perCpu : [["cpu", stat.all]];
    for (const [name, ticks] of series) {
      const dimensions = perCpu ? { Cpu: name } : {};
      const before = baselines.swap(name, ticks, now)?.value;
      if (before === undefined) continue;
      const grew = ticks.map((t, i) => Math.max(0, t - before[i]!));
      const total = grew.reduce((sum, t) => sum + t, 0);
      if (total === 0) {
        skipped.push({ dimensions, reason: `no CPU time passed on ${name} since the previous read` });
        continue;
      }
      const part =
        metric === "cpu.iowait" ? grew[IOWAIT_FIELD]! : total - grew[IDLE_FIELD]! - grew[IOWAIT_FIELD]!;
      samples.push({ dimensions, value: (part / total) * PERCENT });
    }
    baselines.commit();
    return { samples, skipped };
  });
}

function cgroupCpu(cpu: CpuCgroup, { context, view }: ReaderSetup): () => SystemReading {
  const statPath = `${view.proc}/stat`;
  const baselines = new Baselines<number>();
  return () => {
    const usageUs = readCpuUsageMicros(cpu);
    const now = context.nowMs();
    const cpus = readCpuQuota(cpu) ?? parseProcStat(readKernelFile(statPath), statPath).perCpu.size;
    const before = baselines.swap("cpu", usageUs, now);
    baselines.commit();
    if (before === undefined) return { samples: [], skipped: [] };
    const elapsedMs = now - before.atMs;
    if (elapsedMs <= 0)
      return { samples: [], skipped: [{ dimensions: {}, reason: "no time passed since the previous read" }] };
    const usedMs = counterIncrease(before.value, usageUs, 64) / US_PER_MS;
    return { samples: [{ dimensions: {}, value: (usedMs / (elapsedMs * cpus)) * PERCENT }], skipped: [] };
  };
}
