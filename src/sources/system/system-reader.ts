/** What the readers of system metrics share: their interface and what they are given. */
import { performance } from "node:perf_hooks";
import type { Environment } from "../../environment.js";
import type { SystemMetricName } from "../../config/system-metrics.js";
import { rootsFromEnv, type ProcView, type SystemRoots } from "./roots.js";
import type { SystemReading } from "./sample.js";
import type { ResolvedScope, ScopeResolution } from "./scope.js";
import { processStatfs, type Statfs, type StatfsOutcome } from "./statfs-guard.js";
import { statfsNow } from "./statfs-now.js";

export interface SystemReader {
  readonly metric: SystemMetricName;
  /** The scope this reader resolved to (auto is decided once, when the reader is made). */
  readonly scope: ResolvedScope;
  /** Why that scope, for the startup log. */
  readonly scopeReason: string;
  /**
   * Reads the metric: every series it could read, and every one it could not, with why. Rejects with
   * a SourceError when nothing could be read (a file missing or not in the kernel's format).
   */
  read(): Promise<SystemReading>;
  /**
   * Present on readers that never wait: the same read, synchronous, for a path without timers. All
   * have it but disk.* with a `mounts` list, which may name a filesystem whose statfs can hang.
   */
  readNow?(): SystemReading;
}

export interface SystemContext {
  readonly roots: SystemRoots;
  /** Milliseconds on a monotonic clock: the length of an interval between two reads. */
  readonly nowMs: () => number;
  /** statfs of a filesystem that can hang, behind the process's guard. */
  readonly statfs: Statfs;
  /** statfs of a local filesystem, at once. */
  readonly statfsNow: (path: string) => StatfsOutcome;
}

export function systemContext(env: Environment = process.env): SystemContext {
  return { roots: rootsFromEnv(env), nowMs: () => performance.now(), statfs: processStatfs, statfsNow };
}

/** What one reader is built from. */
export interface ReaderSetup {
  readonly context: SystemContext;
  readonly resolution: ScopeResolution;
  readonly view: ProcView;
}

/** A reader whose read never waits. */
export function syncReader(
  metric: SystemMetricName,
  resolution: ScopeResolution,
  readNow: () => SystemReading,
): SystemReader {
  return {
    metric,
    scope: resolution.scope,
    scopeReason: resolution.reason,
    readNow,
    // A throw in the executor rejects the promise.
    read: () =>
      new Promise((resolve) => {
        resolve(readNow());
      }),
  };
}
