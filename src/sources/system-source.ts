/** `{ type: system, metric: ... }`: a reading of the host's or the container's /proc and /sys. */
import type { Environment } from "../environment.js";
import type { SystemOptions } from "../config/system-options.js";
import { createSystemReader } from "./system/create-system-reader.js";
import { systemContext, type SystemContext } from "./system/system-reader.js";
import { SourceError, type ValueSource } from "./types.js";

/**
 * Made once per metric; `auto` scope is decided here. Options that cannot work on this machine
 * (container scope outside a cgroup) fail every read of this metric with why, never the process.
 */
export function systemSource(
  options: SystemOptions,
  env: Environment,
  context: SystemContext = systemContext(env),
): ValueSource {
  let reader;
  try {
    reader = createSystemReader(options, context);
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    const failed = error;
    return { read: () => Promise.reject(failed), startNote: `cannot be read here: ${failed.message}` };
  }
  return {
    // The reads that can wait (statfs of a selected network mount) bound themselves: see statfs-guard.ts.
    read: () => reader.read(),
    ...(reader.readNow === undefined ? {} : { readNow: () => reader.readNow!() }),
    startNote: `system ${options.metric}, scope ${reader.scopeReason}`,
  };
}
