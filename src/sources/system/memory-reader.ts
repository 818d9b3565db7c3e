/**
 * memory.* and swap.*. Host: /proc/meminfo, used = MemTotal - MemAvailable (the kernel's own estimate
 * of what new work can get without swapping; MemFree + Cached overstates it). Container: the cgroup's
 * working set (usage - inactive file cache) against memory.max; where the cgroup sets no limit, against
 * the host's MemTotal, as `docker stats` does. Swap likewise, against memory.swap.max or SwapTotal;
 * no swap at all is 0 % (as mon-put-instance-data reported it).
 */
import { readCgroupSwap, readMemoryLimit, readWorkingSet } from "./cgroup-usage.js";
import { readKernelFile } from "./kernel-file.js";
import { parseMeminfo, type Meminfo } from "./meminfo.js";
import type { MemoryCgroup } from "./own-cgroup.js";
import { single } from "./sample.js";
import { syncReader, type ReaderSetup, type SystemReader } from "./system-reader.js";
import { SourceError } from "../types.js";

export type MemoryMetric =
  "memory.utilization" | "memory.used" | "memory.available" | "swap.utilization" | "swap.used";

const PERCENT = 100;

/** In use, and the most there can be; each reading in bytes. */
interface Usage {
  readonly usedBytes: number;
  readonly limitBytes: number;
}

export function memoryReader(metric: MemoryMetric, setup: ReaderSetup): SystemReader {
  const { resolution, view } = setup;
  const path = `${view.proc}/meminfo`;
  const meminfo = (): Meminfo => parseMeminfo(readKernelFile(path), path);
  const swap = metric.startsWith("swap.");
  let usage: () => Usage;
  if (resolution.scope === "container") {
    const memory = resolution.cgroup?.memory;
    if (memory === undefined)
      throw new SourceError(`${resolution.reason}: this process's cgroup has no memory controller to read`);
    usage = swap ? () => containerSwap(memory, meminfo) : () => containerMemory(memory, meminfo);
  } else {
    usage = () => {
      const m = meminfo();
      return swap
        ? { usedBytes: m.swapTotalBytes - m.swapFreeBytes, limitBytes: m.swapTotalBytes }
        : { usedBytes: m.totalBytes - m.availableBytes, limitBytes: m.totalBytes };
    };
  }
  return syncReader(metric, resolution, () => {
    const { usedBytes, limitBytes } = usage();
    switch (metric) {
      case "memory.utilization":
      case "swap.utilization":
        return single(limitBytes > 0 ? (usedBytes / limitBytes) * PERCENT : 0);
      case "memory.used":
      case "swap.used":
        return single(usedBytes);
      case "memory.available":
        return single(Math.max(0, limitBytes - usedBytes));
    }
  });
}

function containerMemory(memory: MemoryCgroup, meminfo: () => Meminfo): Usage {
  const usedBytes = readWorkingSet(memory);
  return { usedBytes, limitBytes: readMemoryLimit(memory) ?? meminfo().totalBytes };
}

function containerSwap(memory: MemoryCgroup, meminfo: () => Meminfo): Usage {
  const { usedBytes, limitBytes } = readCgroupSwap(memory);
  return { usedBytes, limitBytes: limitBytes ?? meminfo().swapTotalBytes };
}
