/**
 * disk.*: space and inodes of each mounted filesystem (dimensions `MountPath` and `Filesystem`), from
 * statfs(2) as df computes them: used = (blocks - free) and available = blocks available to
 * unprivileged users, so utilization = used / (used + available), the root-reserved blocks counted
 * in neither. The percent is exact; df rounds it up to a whole number, so df's Use% is the next
 * integer at or above ours. statfs goes through the process's guard against hung mounts.
 */
import { statfsMayHang } from "./filesystems.js";
import { FirstReadableFile } from "./kernel-file.js";
import type { NameFilter } from "./glob.js";
import { selectMounts } from "./mount-selection.js";
import { parseMountinfo } from "./mountinfo.js";
import type { Sample, Skipped, SystemReading } from "./sample.js";
import type { FsStats } from "./statfs-guard.js";
import type { ReaderSetup, SystemReader } from "./system-reader.js";

export type DiskMetric = "disk.utilization" | "disk.used" | "disk.available" | "disk.inodes.utilization";

const PERCENT = 100;

/** The value of one filesystem, or why it has none. */
function valueOf(metric: DiskMetric, s: FsStats): number | string {
  const usedBytes = (s.blocks - s.bfree) * s.bsize;
  const availableBytes = s.bavail * s.bsize;
  switch (metric) {
    case "disk.used":
      return usedBytes;
    case "disk.available":
      return availableBytes;
    case "disk.utilization":
      return usedBytes + availableBytes > 0
        ? (usedBytes / (usedBytes + availableBytes)) * PERCENT
        : "reports no blocks (a pseudo filesystem?)";
    case "disk.inodes.utilization":
      return s.files > 0 ? ((s.files - s.ffree) / s.files) * PERCENT : "reports no inode counts";
  }
}

export function diskReader(
  metric: DiskMetric,
  chosen: NameFilter | undefined,
  { context, resolution, view }: ReaderSetup,
): SystemReader {
  const file = new FirstReadableFile(view.pids.map((pid) => `${view.proc}/${pid}/mountinfo`));
  return {
    metric,
    scope: resolution.scope,
    scopeReason: resolution.reason,
    async read(): Promise<SystemReading> {
      const { path: mountinfo, text } = file.read();
      const mounts = selectMounts(parseMountinfo(text, mountinfo), chosen);
      const samples: Sample[] = [];
      const skipped: Skipped[] = [];
      // One at a time: statfs of a local filesystem takes microseconds, and the guard runs them in a lane anyway.
      for (const mount of mounts) {
        const dimensions = { MountPath: mount.mountPath, Filesystem: mount.source };
        const path = `${view.mountPrefix}${mount.mountPath}`;
        const outcome = await context.statfs(path, statfsMayHang(mount.fsType));
        const value = outcome.ok ? valueOf(metric, outcome.stats) : outcome.reason;
        if (typeof value === "number") samples.push({ dimensions, value });
        else skipped.push({ dimensions, reason: value });
      }
      return { samples, skipped };
    },
  };
}
