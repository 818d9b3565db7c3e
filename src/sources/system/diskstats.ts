/**
 * /proc/diskstats: I/O counters of every block device since boot (Documentation/admin-guide/iostats.rst).
 * `8 0 sda 1 2 3 4 5 6 7 8 9 10 11 ...`: major, minor, name, then the fields counted from 1.
 */
import { sample } from "../number.js";
import { SourceError } from "../types.js";

/** The unit of the sector counts, whatever the device's own sector size (iostats.rst). */
export const DISKSTATS_SECTOR_BYTES = 512;

export interface DiskStats {
  readonly device: string;
  /** Field 3. */
  readonly sectorsRead: number;
  /** Field 7. */
  readonly sectorsWritten: number;
  /** Field 10: milliseconds the device had I/O in flight; the kernel prints it as a 32-bit number. */
  readonly ioMs: number;
}

/** major, minor, name and the 11 fields every kernel since 2.6.25 prints (later ones add more). */
const MIN_TOKENS = 14;

export function parseDiskstats(text: string, path: string): DiskStats[] {
  const disks: DiskStats[] = [];
  for (const line of text.split("\n")) {
    const tokens = line.trim().split(/\s+/);
    if (tokens.length === 1 && tokens[0] === "") continue;
    const counters = [tokens[5], tokens[9], tokens[12]].map(Number);
    if (tokens.length < MIN_TOKENS || counters.some((c) => !Number.isFinite(c)))
      throw new SourceError(`${path} has a malformed line: ${sample(line)}`);
    disks.push({
      device: tokens[2]!,
      sectorsRead: counters[0]!,
      sectorsWritten: counters[1]!,
      ioMs: counters[2]!,
    });
  }
  return disks;
}
