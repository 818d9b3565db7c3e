/**
 * load.1, load.5, load.15, uptime and processes.count: what the kernel reports as a whole (the same in
 * either scope, but processes.count, which counts the processes the scope's /proc shows: a container
 * with its own PID namespace sees its own).
 * processes.count counts the numbered entries of /proc, one per process. /proc/loadavg's "running/total"
 * would be one read cheaper, but its total counts threads (every task the scheduler knows), so a JVM
 * alone would count as hundreds of processes.
 */
import { listKernelDir, readKernelFile } from "./kernel-file.js";
import { parseLoadavg } from "./loadavg.js";
import { single } from "./sample.js";
import { syncReader, type ReaderSetup, type SystemReader } from "./system-reader.js";
import { parseUptime } from "./uptime.js";

export type KernelMetric = "load.1" | "load.5" | "load.15" | "uptime" | "processes.count";

const PROCESS_ENTRY = /^\d+$/;

export function kernelReader(metric: KernelMetric, { resolution, view }: ReaderSetup): SystemReader {
  const loadavgPath = `${view.proc}/loadavg`;
  const uptimePath = `${view.proc}/uptime`;
  const loadavg = () => parseLoadavg(readKernelFile(loadavgPath), loadavgPath);
  return syncReader(metric, resolution, () => {
    switch (metric) {
      case "load.1":
        return single(loadavg().load1);
      case "load.5":
        return single(loadavg().load5);
      case "load.15":
        return single(loadavg().load15);
      case "uptime":
        return single(parseUptime(readKernelFile(uptimePath), uptimePath));
      case "processes.count":
        return single(countProcesses(view.proc));
    }
  });
}

export function countProcesses(proc: string): number {
  let count = 0;
  for (const name of listKernelDir(proc)) if (PROCESS_ENTRY.test(name)) count++;
  return count;
}
