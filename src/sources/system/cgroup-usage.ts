/**
 * What a cgroup uses and may use, from the files of cgroup v2 and, where it is all there is, v1.
 * Memory in use is the working set: usage minus the inactive file cache the kernel reclaims first,
 * as `docker stats` and the kubelet (cAdvisor's container_memory_working_set_bytes) compute it.
 */
import {
  cpuQuotaV1,
  flatKey,
  parseCgroupInteger,
  parseCgroupMax,
  parseCgroupV1Limit,
  parseCpuMax,
  parseFlatKeyed,
  type CpuQuota,
} from "./cgroup-files.js";
import { readKernelFile } from "./kernel-file.js";
import type { CpuCgroup, MemoryCgroup } from "./own-cgroup.js";

const NS_PER_US = 1000;

function integer(path: string): number {
  return parseCgroupInteger(readKernelFile(path), path);
}

/** The memory limit in bytes, or undefined when there is none. */
export function readMemoryLimit(memory: MemoryCgroup): number | undefined {
  if (memory.version === 2) {
    const path = `${memory.dir}/memory.max`;
    return parseCgroupMax(readKernelFile(path), path);
  }
  const path = `${memory.dir}/memory.limit_in_bytes`;
  return parseCgroupV1Limit(readKernelFile(path), path);
}

/** Usage minus inactive file cache, never below zero. */
export function readWorkingSet(memory: MemoryCgroup): number {
  const v2 = memory.version === 2;
  const usage = integer(`${memory.dir}/${v2 ? "memory.current" : "memory.usage_in_bytes"}`);
  const statPath = `${memory.dir}/memory.stat`;
  // v1's total_ figures count the whole subtree, as usage_in_bytes does; v2's are hierarchical already.
  const inactive = flatKey(
    parseFlatKeyed(readKernelFile(statPath)),
    v2 ? "inactive_file" : "total_inactive_file",
    statPath,
  );
  return Math.max(0, usage - inactive);
}

export interface CgroupSwap {
  readonly usedBytes: number;
  readonly limitBytes: number | undefined;
}

/** Swap in use and its limit: v2 memory.swap.*, v1 memory.memsw.* (memory + swap) minus memory. */
export function readCgroupSwap(memory: MemoryCgroup): CgroupSwap {
  if (memory.version === 2) {
    const max = `${memory.dir}/memory.swap.max`;
    return {
      usedBytes: integer(`${memory.dir}/memory.swap.current`),
      limitBytes: parseCgroupMax(readKernelFile(max), max),
    };
  }
  const memswLimitPath = `${memory.dir}/memory.memsw.limit_in_bytes`;
  const memswLimit = parseCgroupV1Limit(readKernelFile(memswLimitPath), memswLimitPath);
  const memoryLimit = readMemoryLimit(memory);
  const used =
    integer(`${memory.dir}/memory.memsw.usage_in_bytes`) - integer(`${memory.dir}/memory.usage_in_bytes`);
  return {
    usedBytes: Math.max(0, used),
    limitBytes:
      memswLimit === undefined || memoryLimit === undefined
        ? undefined
        : Math.max(0, memswLimit - memoryLimit),
  };
}

/** CPU time the cgroup has used since it was made, in microseconds. */
export function readCpuUsageMicros(cpu: CpuCgroup): number {
  if (cpu.version === 2) {
    const path = `${cpu.dir}/cpu.stat`;
    return flatKey(parseFlatKeyed(readKernelFile(path)), "usage_usec", path);
  }
  return integer(`${cpu.cpuacctDir}/cpuacct.usage`) / NS_PER_US;
}

/** The CPU quota as a number of CPUs, or undefined when there is none. */
export function readCpuQuota(cpu: CpuCgroup): CpuQuota {
  if (cpu.version === 2) {
    const path = `${cpu.dir}/cpu.max`;
    return parseCpuMax(readKernelFile(path), path);
  }
  return cpuQuotaV1(integer(`${cpu.cpuDir}/cpu.cfs_quota_us`), integer(`${cpu.cpuDir}/cpu.cfs_period_us`));
}
