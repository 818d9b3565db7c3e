/** A `system` source's options: the one check the reader also runs, and dimensions its series set. */
import { MAX_DIMENSIONS_PER_DATUM } from "../../cloudwatch/limits.js";
import type { ConfigIssue } from "../issue.js";
import { isSystemMetricName, SYSTEM_METRICS } from "../system-metrics.js";
import { systemOptionProblems, type SystemOptions } from "../system-options.js";
import type { MetricView } from "../view.js";

export function checkSystemSource({ at, source, dimensions, dimensionCount }: MetricView): ConfigIssue[] {
  if (source?.type !== "system" || typeof source.metric !== "string") return [];
  const options = source as SystemOptions;
  const path = [...at, "source"];
  const issues: ConfigIssue[] = systemOptionProblems(options).map((message) => ({
    path: isSystemMetricName(options.metric) ? path : [...path, "metric"],
    message,
  }));
  if (!isSystemMetricName(options.metric)) return issues;
  // The sample's value would win (pipeline/series.ts), but a name the user set and never sees is a mistake.
  const carried =
    options.metric === "cpu.utilization" && options.perCpu !== true
      ? []
      : SYSTEM_METRICS[options.metric].dimensions;
  for (const name of carried)
    if (Object.hasOwn(dimensions, name))
      issues.push({
        path: [...at, "dimensions"],
        message: `sets dimension "${name}", which system ${options.metric} sets on each of its series; remove it here (and from defaults.dimensions)`,
      });
  if (
    dimensionCount + carried.length > MAX_DIMENSIONS_PER_DATUM &&
    dimensionCount <= MAX_DIMENSIONS_PER_DATUM
  )
    issues.push({
      path: [...at, "dimensions"],
      message: `has ${dimensionCount} dimensions and system ${options.metric} adds ${carried.join(" and ")} to each series: ${dimensionCount + carried.length}, where CloudWatch allows at most ${MAX_DIMENSIONS_PER_DATUM}`,
    });
  return issues;
}
