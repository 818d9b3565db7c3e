/**
 * disk.*: space and inodes of each mounted filesystem (dimensions `MountPath` and `Filesystem`), from
 * statfs(2) as df computes them: used = (blocks - free) and available = blocks available to
 * unprivileged users, so utilization = used / (used + available), the root-reserved blocks counted
 * in neither. The percent is exact; df rounds it up to a whole number, so df's Use% is the next
 * integer at or above ours. Local filesystems are measured at once; those whose statfs can hang
 * (chosen only by a `mounts` glob) go through the process's guard.
 */
import { statfsMayHang } from "./filesystems.js";
import type { NameFilter } from "./glob.js";
import { FirstReadableFile } from "./kernel-file.js";
import { selectMounts } from "./mount-selection.js";
import { parseMountinfo, type MountEntry } from "./mountinfo.js";
import type { Sample, Skipped, SystemReading } from "./sample.js";
import type { FsStats, StatfsOutcome } from "./statfs-guard.js";
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
  // Mounts seldom change, and a node with hundreds of them costs more to parse than to compare.
  let lastText = "";
  let lastMounts: readonly MountEntry[] = [];
  const mounts = () => {
    const { path, text } = file.read();
    if (text !== lastText) {
      lastMounts = selectMounts(parseMountinfo(text, path), chosen);
      lastText = text;
    }
    return lastMounts;
  };
  const pathOf = (mount: MountEntry) => `${view.mountPrefix}${mount.mountPath}`;
  const reading = (measured: readonly [MountEntry, StatfsOutcome][]): SystemReading => {
    const samples: Sample[] = [];
    const skipped: Skipped[] = [];
    for (const [mount, outcome] of measured) {
      const dimensions = { MountPath: mount.mountPath, Filesystem: mount.source };
      const value = outcome.ok ? valueOf(metric, outcome.stats) : outcome.reason;
      if (typeof value === "number") samples.push({ dimensions, value });
      else skipped.push({ dimensions, reason: value });
    }
    return { samples, skipped };
  };
  const readNow = () => reading(mounts().map((m) => [m, context.statfsNow(pathOf(m))]));
  return {
    metric,
    scope: resolution.scope,
    scopeReason: resolution.reason,
    // Without a `mounts` list only local filesystems are chosen, and none of them can make a read wait.
    ...(chosen === undefined && { readNow }),
    async read() {
      const measured: [MountEntry, StatfsOutcome][] = [];
      for (const mount of mounts()) {
        const path = pathOf(mount);
        measured.push([
          mount,
          statfsMayHang(mount.fsType) ? await context.statfs(path) : context.statfsNow(path),
        ]);
      }
      return reading(measured);
    },
  };
}
