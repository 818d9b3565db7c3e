/**
 * Which mounts the disk metrics measure. A mount hidden by a later mount on the same path is dropped
 * (statfs would measure the one on top). With `mounts` globs, every mount whose path matches, any
 * filesystem. Without, local disk filesystems only (see filesystems.ts), and each filesystem once, as
 * df shows it: of the mounts of one device (bind mounts, a container's /etc/hosts) the one showing
 * the most of it (shortest root), then the shortest path.
 */
import { isLocalDiskFilesystem } from "./filesystems.js";
import type { NameFilter } from "./glob.js";
import type { MountEntry } from "./mountinfo.js";

export function selectMounts(mounts: readonly MountEntry[], chosen: NameFilter | undefined): MountEntry[] {
  const visible = new Map<string, MountEntry>();
  for (const mount of mounts) {
    visible.delete(mount.mountPath);
    visible.set(mount.mountPath, mount);
  }
  if (chosen !== undefined) return [...visible.values()].filter((m) => chosen(m.mountPath));
  const byDevice = new Map<string, MountEntry>();
  for (const mount of visible.values()) {
    if (!isLocalDiskFilesystem(mount.fsType)) continue;
    const kept = byDevice.get(mount.device);
    if (kept === undefined || showsMore(mount, kept)) byDevice.set(mount.device, mount);
  }
  const chosenOnes = new Set(byDevice.values());
  return [...visible.values()].filter((m) => chosenOnes.has(m));
}

/** Whether `a` shows more of the filesystem than `b`: a shorter root, or the same root on a shorter path. */
function showsMore(a: MountEntry, b: MountEntry): boolean {
  return a.root.length !== b.root.length
    ? a.root.length < b.root.length
    : a.mountPath.length < b.mountPath.length;
}
