/** The options of one `system` metric, and the one check of them that config validation and the reader share. */
import { closest } from "../common/suggest.js";
import {
  isSystemMetricName,
  SYSTEM_METRIC_NAMES,
  SYSTEM_METRICS,
  type SystemOptionName,
} from "./system-metrics.js";

export const SYSTEM_SCOPES = ["auto", "host", "container"] as const;
export type Scope = (typeof SYSTEM_SCOPES)[number];

export interface SystemOptions {
  /** A name of SYSTEM_METRICS; checked by systemOptionProblems. */
  readonly metric: string;
  /** Default `auto`. */
  readonly scope?: Scope;
  /** cpu.utilization: one sample per CPU (dimension `Cpu`: `cpu0`, ...) instead of one for all. Host scope only. */
  readonly perCpu?: boolean;
  /** disk.*: globs over mount paths; when given they alone choose, pseudo and network filesystems included. */
  readonly mounts?: readonly string[];
  /** diskio.*: globs over device names; when given they alone choose, partitions and loop devices included. */
  readonly devices?: readonly string[];
  /** network.*: globs over interface names; when given they alone choose, `lo` included. */
  readonly interfaces?: readonly string[];
}

const OPTION_NAMES: readonly SystemOptionName[] = ["perCpu", "mounts", "devices", "interfaces"];
const GLOB_OPTIONS = new Set<SystemOptionName>(["mounts", "devices", "interfaces"]);

/** What is wrong with these options, one sentence a problem (empty when nothing is). */
export function systemOptionProblems(options: SystemOptions): string[] {
  const { metric } = options;
  if (!isSystemMetricName(metric)) {
    const guess = closest(metric, SYSTEM_METRIC_NAMES);
    return [
      `"${metric}" is not a system metric${guess === undefined ? ` (one of: ${SYSTEM_METRIC_NAMES.join(", ")})` : ` (did you mean "${guess}"?)`}`,
    ];
  }
  const problems: string[] = [];
  const accepted: readonly SystemOptionName[] = SYSTEM_METRICS[metric].options;
  for (const name of OPTION_NAMES) {
    const value = options[name];
    if (value === undefined) continue;
    if (!accepted.includes(name)) {
      problems.push(
        `${name} does not apply to ${metric} (${accepted.length === 0 ? "it takes only scope" : `it takes scope and ${accepted.join(", ")}`})`,
      );
    } else if (
      GLOB_OPTIONS.has(name) &&
      (value as readonly string[]).some((glob) => glob === "" || glob === "!")
    ) {
      problems.push(`${name} has an empty glob`);
    } else if (GLOB_OPTIONS.has(name) && (value as readonly string[]).length === 0) {
      problems.push(`${name} is empty: leave it out to take the default, or list at least one glob`);
    }
  }
  if (options.perCpu === true && options.scope === "container")
    problems.push("perCpu needs scope host: a container's cgroup has no time per CPU against its quota");
  return problems;
}
