/**
 * statfs of a local filesystem, synchronously. A local filesystem answers statfs from counters it
 * keeps in memory, in microseconds: a trip through the libuv pool would cost ten times the CPU
 * (measured in bench/system.ts's set). Filesystems that can hang go through the StatfsGuard instead.
 */
import { statfsSync } from "node:fs";
import { fileProblem } from "../../common/file-problem.js";
import type { StatfsOutcome } from "./statfs-guard.js";

export function statfsNow(path: string): StatfsOutcome {
  try {
    return { ok: true, stats: statfsSync(path) };
  } catch (error) {
    return { ok: false, reason: `statfs ${path}: ${fileProblem(error)}` };
  }
}
