import type { MetricFamily } from "./metric-family.js";

/**
 * The family a configured name (`metric: http_requests_total`) means, whichever format the endpoint
 * speaks: the family of exactly that name, else the one the formats spell differently. A counter is
 * `foo_total` in 0.0.4 and `foo` (samples `foo_total`) in OpenMetrics, so either name finds either
 * form; an OpenMetrics info `foo` (samples `foo_info`) is found as `foo_info`, its 0.0.4 name.
 */
export function familyNamed(families: readonly MetricFamily[], name: string): MetricFamily | undefined {
  let spelledOtherwise: MetricFamily | undefined;
  for (const family of families) {
    if (family.name === name) return family;
    if (spelledOtherwise === undefined && isOtherSpelling(family, name)) spelledOtherwise = family;
  }
  return spelledOtherwise;
}

function isOtherSpelling(family: MetricFamily, name: string): boolean {
  if (family.type === "counter") return name === `${family.name}_total` || family.name === `${name}_total`;
  return family.type === "info" && name === `${family.name}_info`;
}
