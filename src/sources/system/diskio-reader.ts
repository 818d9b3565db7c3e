/**
 * diskio.*: bytes read and written, and the share of time with I/O in flight (iostat's %util), of each
 * block device since the previous read (dimension `Device`). Without a `devices` list, whole disks
 * only (those in /sys/block: no partitions, whose I/O their disk already counts), and no loop, ram or
 * zram devices (files and memory, not disks). Utilization is capped at 100: the kernel's busy time
 * and this process's clock are read a moment apart, and iostat caps it the same way.
 */
import { Baselines, counterIncrease, KERNEL_LONG_BITS } from "./counter.js";
import { DISKSTATS_SECTOR_BYTES, parseDiskstats, type DiskStats } from "./diskstats.js";
import type { NameFilter } from "./glob.js";
import { listKernelDir, readKernelFile } from "./kernel-file.js";
import type { Sample, Skipped } from "./sample.js";
import { syncReader, type ReaderSetup, type SystemReader } from "./system-reader.js";

export type DiskioMetric = "diskio.read.bytes" | "diskio.write.bytes" | "diskio.utilization";

const NOT_DISKS = /^(?:loop|ram|zram)\d/;
const PERCENT = 100;

export function diskioReader(
  metric: DiskioMetric,
  chosen: NameFilter | undefined,
  { context, resolution, view }: ReaderSetup,
): SystemReader {
  const path = `${view.proc}/diskstats`;
  const blockDir = `${view.sys}/block`;
  const baselines = new Baselines<DiskStats>();
  return syncReader(metric, resolution, () => {
    const disks = parseDiskstats(readKernelFile(path), path);
    const now = context.nowMs();
    // sysfs writes a "/" in a device name (cciss/c0d0) as "!".
    const wholeDisks = chosen
      ? undefined
      : new Set(listKernelDir(blockDir).map((n) => n.replaceAll("!", "/")));
    const selected = chosen ?? ((name: string) => wholeDisks!.has(name) && !NOT_DISKS.test(name));
    const samples: Sample[] = [];
    const skipped: Skipped[] = [];
    for (const disk of disks) {
      if (!selected(disk.device)) continue;
      const before = baselines.swap(disk.device, disk, now);
      if (before === undefined) continue;
      const dimensions = { Device: disk.device };
      const sectors = (field: "sectorsRead" | "sectorsWritten") =>
        counterIncrease(before.value[field], disk[field], KERNEL_LONG_BITS) * DISKSTATS_SECTOR_BYTES;
      if (metric === "diskio.read.bytes") samples.push({ dimensions, value: sectors("sectorsRead") });
      else if (metric === "diskio.write.bytes")
        samples.push({ dimensions, value: sectors("sectorsWritten") });
      else {
        const elapsedMs = now - before.atMs;
        if (elapsedMs <= 0) skipped.push({ dimensions, reason: "no time passed since the previous read" });
        else {
          const busyMs = counterIncrease(before.value.ioMs, disk.ioMs, 32);
          samples.push({ dimensions, value: Math.min(PERCENT, (busyMs / elapsedMs) * PERCENT) });
        }
      }
    }
    baselines.commit();
    return { samples, skipped };
  });
}
