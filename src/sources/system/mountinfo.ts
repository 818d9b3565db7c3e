/**
 * /proc/<pid>/mountinfo (proc(5)): `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw`:
 * mount id, parent id, major:minor, root within the filesystem, mount point, options, optional
 * fields, a lone `-`, filesystem type, source, super options. Unlike /proc/mounts it names the
 * device and the root of bind mounts, which is what telling duplicate mounts apart needs.
 */
import { sample } from "../number.js";
import { SourceError } from "../types.js";

export interface MountEntry {
  /** `major:minor` of the filesystem: equal for two mounts of the same filesystem (bind mounts). */
  readonly device: string;
  /** The directory of the filesystem this mount shows (`/` unless it is a bind mount of a subtree). */
  readonly root: string;
  readonly mountPath: string;
  readonly fsType: string;
  /** What was mounted: `/dev/nvme0n1p1`, `server:/export`, `tmpfs`. */
  readonly source: string;
  readonly superOptions: string;
}

/** The kernel escapes space, tab, newline and backslash in paths as three octal digits (`\040`). */
const OCTAL_ESCAPE = /\\([0-7]{3})/g;

export function unescapeMountField(field: string): string {
  return field.replace(OCTAL_ESCAPE, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

const SEPARATOR = " - ";

export function parseMountinfo(text: string, path: string): MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const separator = line.indexOf(SEPARATOR);
    const before = line.slice(0, Math.max(separator, 0)).split(" ");
    const after = line.slice(separator + SEPARATOR.length).split(" ");
    if (separator < 0 || before.length < 6 || after.length < 2)
      throw new SourceError(`${path} has a malformed line: ${sample(line)}`);
    mounts.push({
      device: before[2]!,
      root: unescapeMountField(before[3]!),
      mountPath: unescapeMountField(before[4]!),
      fsType: after[0]!,
      source: unescapeMountField(after[1]!),
      superOptions: after[2] ?? "",
    });
  }
  return mounts;
}
