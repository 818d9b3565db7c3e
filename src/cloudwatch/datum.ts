/** A datum: one value of one metric at one instant, and its check against PutMetricData's limits. */
import {
  dimensionNameProblem,
  dimensionValueProblem,
  metricNameProblem,
  namespaceProblem,
  valueProblem,
} from "./rules.js";
import { MAX_DATUM_AGE_MS, MAX_DATUM_FUTURE_MS, MAX_DIMENSIONS_PER_DATUM } from "./limits.js";
import type { StorageResolution, Unit } from "./units.js";

/** The parts of a datum that do not change from run to run, computed once per metric. */
export interface MetricIdentity {
  readonly namespace: string;
  readonly name: string;
  readonly unit: Unit;
  readonly storageResolution: StorageResolution;
  readonly dimensions: readonly { readonly Name: string; readonly Value: string }[];
  /** Upper bound of this metric's bytes in a PutMetricData JSON body, without the value. */
  readonly jsonBytes: number;
  /** Why CloudWatch would refuse any datum of this series (checked once), or undefined. */
  readonly problem: string | undefined;
}

export interface Datum {
  readonly metric: MetricIdentity;
  readonly value: number;
  /** The scheduled instant (ms since the epoch), so late reads land in the right period. */
  readonly timestamp: number;
}

/** JSON text of a string: its UTF-8 bytes, with room for escapes. */
function jsonStringBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

/** Bytes of `"Value":-1.2345678901234567e+308,"Timestamp":1234567890.123,` and a separator. */
export const MAX_VALUE_AND_TIMESTAMP_BYTES = 64;

/** What identifies a series: from a metric's config, or from a record replayed from the outbox. */
export interface SeriesFields {
  readonly namespace: string;
  readonly name: string;
  readonly unit: Unit;
  readonly storageResolution: StorageResolution;
  readonly dimensions: Readonly<Record<string, string>>;
}

export function metricIdentity(metric: SeriesFields): MetricIdentity {
  const dimensions = Object.entries(metric.dimensions).map(([Name, Value]) => Object.freeze({ Name, Value }));
  const dimensionBytes = dimensions.reduce(
    (sum, d) => sum + jsonStringBytes(d.Name) + jsonStringBytes(d.Value) + '{"Name":,"Value":},'.length,
    0,
  );
  const jsonBytes =
    '{"MetricName":,"Dimensions":[],"Unit":,"StorageResolution":60},'.length +
    jsonStringBytes(metric.name) +
    jsonStringBytes(metric.unit) +
    dimensionBytes;
  return Object.freeze({
    namespace: metric.namespace,
    name: metric.name,
    unit: metric.unit,
    storageResolution: metric.storageResolution,
    dimensions: Object.freeze(dimensions),
    jsonBytes,
    problem: seriesProblem(metric.namespace, metric.name, dimensions),
  });
}

/** Upper bound of the datum's bytes in a request body. */
export function datumBytes(datum: Datum): number {
  return datum.metric.jsonBytes + MAX_VALUE_AND_TIMESTAMP_BYTES;
}

/** Why CloudWatch would refuse every datum of a series: its namespace, name and dimensions. */
export function seriesProblem(
  namespace: string,
  name: string,
  dimensions: readonly { Name: string; Value: string }[],
): string | undefined {
  const namespaceIssue = namespaceProblem(namespace);
  if (namespaceIssue !== undefined) return `namespace ${namespaceIssue}`;
  const nameIssue = metricNameProblem(name);
  if (nameIssue !== undefined) return `metric name ${nameIssue}`;
  if (dimensions.length > MAX_DIMENSIONS_PER_DATUM)
    return `has ${dimensions.length} dimensions; at most ${MAX_DIMENSIONS_PER_DATUM} are allowed`;
  for (const { Name, Value } of dimensions) {
    const dimensionIssue = dimensionNameProblem(Name);
    if (dimensionIssue !== undefined) return `dimension name ${JSON.stringify(Name)} ${dimensionIssue}`;
    const valueIssue = dimensionValueProblem(Value);
    if (valueIssue !== undefined) return `dimension ${JSON.stringify(Name)}: value ${valueIssue}`;
  }
  return undefined;
}

/**
 * Why CloudWatch would reject this datum, or undefined when it would accept it. Checked before a
 * datum joins a batch, so one bad datum never fails the request that carries the others.
 */
export function datumProblem(datum: Datum, nowMs: number): string | undefined {
  const { value, timestamp, metric } = datum;
  const valueIssue = valueProblem(value);
  if (valueIssue !== undefined) return `value ${valueIssue}`;
  if (timestamp < nowMs - MAX_DATUM_AGE_MS)
    return `timestamp ${new Date(timestamp).toISOString()} is more than 2 weeks old`;
  if (timestamp > nowMs + MAX_DATUM_FUTURE_MS) {
    return `timestamp ${new Date(timestamp).toISOString()} is more than 2 hours in the future`;
  }
  return metric.problem;
}
