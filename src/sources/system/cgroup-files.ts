/**
 * The cgroup files that hold limits and usage (Documentation/admin-guide/cgroup-v2.rst, and
 * cgroup-v1/memory.rst, cpuacct.rst and scheduler/sched-bwc.rst for v1).
 */
import { sample } from "../number.js";
import { SourceError } from "../types.js";

/**
 * v1 has no "max": an unlimited memory cgroup shows the largest page-aligned long (9223372036854771712
 * with 4 KiB pages). Anything from 2^62 bytes up is taken as that marker, whatever the page size.
 */
export const CGROUP_V1_UNLIMITED_FROM_BYTES = 2 ** 62;

const INTEGER = /^\s*(-?\d+)\s*$/;

/** A file holding one integer: memory.current, memory.usage_in_bytes, cpuacct.usage, cpu.cfs_quota_us. */
export function parseCgroupInteger(text: string, path: string): number {
  const match = INTEGER.exec(text);
  if (match === null) throw new SourceError(`${path} does not hold an integer: ${sample(text)}`);
  return Number(match[1]);
}

/** v2 memory.max or memory.swap.max: bytes, or undefined for `max` (no limit). */
export function parseCgroupMax(text: string, path: string): number | undefined {
  return text.trim() === "max" ? undefined : parseCgroupInteger(text, path);
}

/** v1 memory.limit_in_bytes (or memsw): bytes, or undefined for the unlimited marker. */
export function parseCgroupV1Limit(text: string, path: string): number | undefined {
  const bytes = parseCgroupInteger(text, path);
  return bytes >= CGROUP_V1_UNLIMITED_FROM_BYTES ? undefined : bytes;
}

/** A quota as a number of CPUs: 50000 µs every 100000 µs is half a CPU. */
export type CpuQuota = number | undefined;

/** v2 cpu.max: `$QUOTA $PERIOD` in µs, or `max $PERIOD` (no limit). */
export function parseCpuMax(text: string, path: string): CpuQuota {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === "max") return undefined;
  const cpus = Number(quota) / Number(period);
  if (!Number.isFinite(cpus) || cpus <= 0) throw new SourceError(`${path} is not a cpu.max: ${sample(text)}`);
  return cpus;
}

/** v1 cpu.cfs_quota_us and cpu.cfs_period_us: quota -1 means no limit. */
export function cpuQuotaV1(quotaUs: number, periodUs: number): CpuQuota {
  return quotaUs < 0 || periodUs <= 0 ? undefined : quotaUs / periodUs;
}

/** A flat keyed file (memory.stat, cpu.stat): `key value` lines. */
export function parseFlatKeyed(text: string): ReadonlyMap<string, number> {
  const entries = new Map<string, number>();
  for (const line of text.split("\n")) {
    const space = line.indexOf(" ");
    if (space > 0) entries.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return entries;
}

/** One key of a flat keyed file, or an error naming the file and the key. */
export function flatKey(entries: ReadonlyMap<string, number>, key: string, path: string): number {
  const value = entries.get(key);
  if (value === undefined || !Number.isFinite(value)) throw new SourceError(`${path} has no ${key} line`);
  return value;
}
