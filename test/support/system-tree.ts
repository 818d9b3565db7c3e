/**
 * A fixture tree for the system source: a temporary directory the test fills with the kernel's files
 * (host/proc/meminfo, own/proc/self/cgroup, own/sys/fs/cgroup/memory.max, ...), roots pointing at it,
 * a clock the test moves, and a statfs the test answers.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { SystemRoots } from "../../src/sources/system/roots.js";
import type { FsStats, Statfs, StatfsOutcome } from "../../src/sources/system/statfs-guard.js";
import type { SystemContext } from "../../src/sources/system/system-reader.js";

/** Where the fixture's host filesystems are said to be mounted (HOST_MOUNT_PREFIX). */
export const FIXTURE_MOUNT_PREFIX = "/hostfs";

export class SystemTree {
  readonly dir = mkdtempSync(join(tmpdir(), "cwp-system-"));
  /** What statfs answers, by the path it is asked for (the mount prefix included). */
  readonly filesystems = new Map<string, FsStats>();
  /** Every path statfs was asked for, in order. */
  readonly statfsCalls: string[] = [];
  nowMs = 1_000;

  readonly roots: SystemRoots = {
    hostProc: join(this.dir, "host/proc"),
    hostSys: join(this.dir, "host/sys"),
    hostMountPrefix: FIXTURE_MOUNT_PREFIX,
    hostProcNamed: false,
    ownProc: join(this.dir, "own/proc"),
    ownRoot: join(this.dir, "own"),
  };

  readonly statfsNow = (path: string): StatfsOutcome => {
    this.statfsCalls.push(path);
    const stats = this.filesystems.get(path);
    return stats === undefined
      ? { ok: false, reason: `statfs ${path}: does not exist` }
      : { ok: true, stats };
  };

  readonly statfs: Statfs = (path) => Promise.resolve(this.statfsNow(path));

  readonly context: SystemContext = {
    roots: this.roots,
    nowMs: () => this.nowMs,
    statfs: this.statfs,
    statfsNow: this.statfsNow,
  };

  /** Writes `text` at `path` below the tree (`host/proc/meminfo`), making directories as needed. */
  write(path: string, text: string): this {
    const file = join(this.dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return this;
  }

  mkdir(path: string): this {
    mkdirSync(join(this.dir, path), { recursive: true });
    return this;
  }

  remove(path: string): this {
    rmSync(join(this.dir, path), { recursive: true, force: true });
    return this;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A /proc/net/dev with its two header lines; each row is `name: 16 numbers`. */
export function netDev(...rows: string[]): string {
  return [
    "Inter-|   Receive                                                |  Transmit",
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
    ...rows,
    "",
  ].join("\n");
}

/** A device's line of diskstats: major, minor, name, sectors read, sectors written, I/O milliseconds. */
export type DiskstatsRow = readonly [number, number, string, number, number, number];

/** A /proc/diskstats whose rows set the fields the readers use; the other fields hold fillers. */
export function diskstats(...rows: readonly DiskstatsRow[]): string {
  // Fields 1-11 (and 12-17 of newer kernels): reads, merged, sectors, ms, writes, merged, sectors, ms, in flight, io ms, weighted.
  const line = ([major, minor, name, sectorsRead, sectorsWritten, ioMs]: DiskstatsRow) =>
    `${major} ${minor} ${name} 10 0 ${sectorsRead} 7 20 0 ${sectorsWritten} 9 0 ${ioMs} 99 0 0 0 0 0 0`;
  return rows.map(line).join("\n") + "\n";
}
