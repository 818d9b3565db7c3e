/** A datum: one value of one metric at one instant, and its check against PutMetricData's limits. */
import type { MetricConfig, StorageResolution, Unit } from "../config/types.js";
import {
  MAX_DATUM_AGE_MS,
  MAX_DATUM_FUTURE_MS,
  MAX_DIMENSIONS_PER_DATUM,
  MAX_DIMENSION_NAME_LENGTH,
  MAX_DIMENSION_VALUE_LENGTH,
  MAX_METRIC_NAME_LENGTH,
  MAX_NAMESPACE_LENGTH,
  MAX_VALUE_MAGNITUDE,
  RESERVED_NAMESPACE_PREFIX,
} from "./limits.js";

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
export type SeriesFields = Pick<
  MetricConfig,
  "namespace" | "name" | "unit" | "storageResolution" | "dimensions"
>;

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

/** Why CloudWatch would refuse every datum of a series: its name and dimensions. */
function seriesProblem(
  namespace: string,
  name: string,
  dimensions: readonly { Name: string; Value: string }[],
): string | undefined {
  if (namespace.length === 0 || namespace.length > MAX_NAMESPACE_LENGTH)
    return "namespace must be 1 to 255 characters";
  if (namespace.startsWith(RESERVED_NAMESPACE_PREFIX))
    return `namespace must not start with "${RESERVED_NAMESPACE_PREFIX}"`;
  if (name.length === 0 || name.length > MAX_METRIC_NAME_LENGTH)
    return "metric name must be 1 to 255 characters";
  if (dimensions.length > MAX_DIMENSIONS_PER_DATUM) {
    return `has ${dimensions.length} dimensions; at most ${MAX_DIMENSIONS_PER_DATUM} are allowed`;
  }
  for (const { Name, Value } of dimensions) {
    if (Name.length === 0 || Name.length > MAX_DIMENSION_NAME_LENGTH)
      return `dimension name "${Name}" must be 1 to 255 characters`;
    if (Value.trim().length === 0 || Value.length > MAX_DIMENSION_VALUE_LENGTH) {
      return `dimension "${Name}" must have a value of 1 to 1024 characters, not all blank`;
    }
  }
  return undefined;
}

/**
 * Why CloudWatch would reject this datum, or undefined when it would accept it. Checked before a
 * datum joins a batch, so one bad datum never fails the request that carries the others.
 */
export function datumProblem(datum: Datum, nowMs: number): string | undefined {
  const { value, timestamp, metric } = datum;
  if (!Number.isFinite(value)) return `value ${String(value)} is not a finite number`;
  if (Math.abs(value) > MAX_VALUE_MAGNITUDE)
    return `value ${value} is outside CloudWatch's range of -2^360 to 2^360`;
  if (timestamp < nowMs - MAX_DATUM_AGE_MS)
    return `timestamp ${new Date(timestamp).toISOString()} is more than 2 weeks old`;
  if (timestamp > nowMs + MAX_DATUM_FUTURE_MS) {
    return `timestamp ${new Date(timestamp).toISOString()} is more than 2 hours in the future`;
  }
  return metric.problem;
}
