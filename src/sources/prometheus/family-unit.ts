/**
 * The CloudWatch unit a family's values have, read from its OpenMetrics UNIT or from the unit suffix
 * the Prometheus naming conventions put in its name (https://prometheus.io/docs/practices/naming/):
 * `_seconds`, `_bytes`, ... A counter's increase and a `_count` are counts. Undefined when nothing says.
 */
import type { Unit } from "../../cloudwatch/units.js";
import type { MetricType } from "./metric-family.js";

const SUFFIX_UNITS: Readonly<Record<string, Unit>> = {
  seconds: "Seconds",
  milliseconds: "Milliseconds",
  microseconds: "Microseconds",
  bytes: "Bytes",
  bits: "Bits",
  percent: "Percent",
};

/** `metric`: what the entry reads, the family's name or its `_count` / `_sum`. */
export function familyUnit(
  metric: string,
  family: { readonly type: MetricType; readonly unit?: string },
): Unit | undefined {
  if (metric.endsWith("_count")) return "Count";
  const named = family.unit ?? /_([a-z]+?)(?:_total|_sum)?$/.exec(metric)?.[1];
  const unit = named === undefined ? undefined : SUFFIX_UNITS[named];
  if (unit !== undefined) return unit;
  return family.type === "counter" ? "Count" : undefined;
}
