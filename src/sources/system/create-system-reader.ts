/** A `system` metric's options → the reader of that metric: the one place that knows every metric. */
import { cpuReader } from "./cpu-reader.js";
import { diskReader } from "./disk-reader.js";
import { diskioReader } from "./diskio-reader.js";
import { globFilter } from "./glob.js";
import { kernelReader } from "./kernel-reader.js";
import { memoryReader } from "./memory-reader.js";
import type { SystemMetricName } from "../../config/system-metrics.js";
import { networkReader } from "./network-reader.js";
import { viewOf } from "./roots.js";
import { resolveScope } from "./scope.js";
import { systemOptionProblems, type SystemOptions } from "../../config/system-options.js";
import { systemContext, type ReaderSetup, type SystemContext, type SystemReader } from "./system-reader.js";
import { SourceError } from "../types.js";

/**
 * Makes the reader of one metric; `auto` scope is resolved here, once. Throws a SourceError when the
 * options are wrong (systemOptionProblems) or cannot work here (container scope without a cgroup).
 */
export function createSystemReader(
  options: SystemOptions,
  context: SystemContext = systemContext(),
): SystemReader {
  const problems = systemOptionProblems(options);
  if (problems.length > 0) throw new SourceError(`system ${options.metric}: ${problems.join("; ")}`);
  const metric = options.metric as SystemMetricName;
  const resolution = resolveScope(options.scope ?? "auto", context.roots);
  const setup: ReaderSetup = { context, resolution, view: viewOf(resolution.scope, context.roots) };
  const chosen = (globs: readonly string[] | undefined) =>
    globs === undefined ? undefined : globFilter(globs);
  switch (metric) {
    case "cpu.utilization":
    case "cpu.iowait":
      return cpuReader(metric, options.perCpu ?? false, setup);
    case "memory.utilization":
    case "memory.used":
    case "memory.available":
    case "swap.utilization":
    case "swap.used":
      return memoryReader(metric, setup);
    case "load.1":
    case "load.5":
    case "load.15":
    case "uptime":
    case "processes.count":
      return kernelReader(metric, setup);
    case "disk.utilization":
    case "disk.used":
    case "disk.available":
    case "disk.inodes.utilization":
      return diskReader(metric, chosen(options.mounts), setup);
    case "diskio.read.bytes":
    case "diskio.write.bytes":
    case "diskio.utilization":
      return diskioReader(metric, chosen(options.devices), setup);
    case "network.rx.bytes":
    case "network.tx.bytes":
    case "network.rx.errors":
    case "network.tx.errors":
      return networkReader(metric, chosen(options.interfaces), setup);
  }
}
