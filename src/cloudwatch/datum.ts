/**
 * A datum: one metric at one instant, carrying one value, or a period's distinct values with their
 * counts (Values + Counts), or a statistic set (StatisticValues); and its check against PutMetricData's limits.
 */
import {
  dimensionNameProblem,
  dimensionValueProblem,
  metricNameProblem,
  namespaceProblem,
  valueProblem,
} from "./rules.js";
import {
  MAX_DATUM_AGE_MS,
  MAX_DATUM_FUTURE_MS,
  MAX_DIMENSIONS_PER_DATUM,
  MAX_VALUES_PER_SERIES_PER_REQUEST,
} from "./limits.js";
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

/** CloudWatch's StatisticSet (API_StatisticSet.html), field names as the API spells them. */
export interface StatisticSet {
  readonly SampleCount: number;
  readonly Sum: number;
  readonly Minimum: number;
  readonly Maximum: number;
}

/**
 * Observations as Values + Counts carry them: each distinct value and how many observations it stands
 * for (a histogram's buckets over one interval). A read may be one (the prometheus source's histograms).
 */
export interface Distribution {
  readonly values: readonly number[];
  readonly counts: readonly number[];
}

/** What a datum carries: exactly one of Value, Values + Counts, StatisticValues (as in the API). */
export type DatumPayload =
  | { readonly value: number; readonly values?: undefined; readonly statistics?: undefined }
  | {
      readonly value?: undefined;
      /** Distinct values; `counts[i]` is how often `values[i]` was read. */
      readonly values: readonly number[];
      readonly counts: readonly number[];
      readonly statistics?: undefined;
    }
  | { readonly value?: undefined; readonly values?: undefined; readonly statistics: StatisticSet };

export type Datum = {
  readonly metric: MetricIdentity;
  /** The scheduled instant (ms since the epoch), or an aggregate period's start. */
  readonly timestamp: number;
} & DatumPayload;

/** How many values a datum counts toward the 150-values rule (MAX_VALUES_PER_SERIES_PER_REQUEST). */
export function valuesCarried(datum: Datum): number {
  return datum.values?.length ?? 0;
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

/** Bytes of one number and its separator in a JSON array: `-1.2345678901234567e+308,`. */
export const MAX_NUMBER_BYTES = 25;
/** Bytes of `"StatisticValues":{"SampleCount":,"Sum":,"Minimum":,"Maximum":},` without the numbers. */
const STATISTIC_SET_BYTES = 64;

/** The bytes of numbers in a JSON array, each with its separator (JSON writes a finite number as String does). */
function numbersBytes(numbers: readonly number[]): number {
  let bytes = 0;
  for (const n of numbers) bytes += String(n).length + 1;
  return bytes;
}

/** Upper bound of the datum's bytes in a request body. */
export function datumBytes(datum: Datum): number {
  const base = datum.metric.jsonBytes + MAX_VALUE_AND_TIMESTAMP_BYTES;
  if (datum.values !== undefined)
    return base + '"Values":[],"Counts":[],'.length + numbersBytes(datum.values) + numbersBytes(datum.counts);
  if (datum.statistics !== undefined) return base + STATISTIC_SET_BYTES + 4 * MAX_NUMBER_BYTES;
  return base;
}

/** Why CloudWatch would refuse the datum's payload: a value out of range, counts that do not match. */
function payloadProblem(datum: Datum): string | undefined {
  if (datum.values !== undefined) {
    const { values, counts } = datum;
    if (values.length === 0) return "Values is empty";
    if (values.length > MAX_VALUES_PER_SERIES_PER_REQUEST)
      return `has ${values.length} Values; at most ${MAX_VALUES_PER_SERIES_PER_REQUEST} are allowed per series in a request`;
    if (counts.length !== values.length)
      return `has ${counts.length} Counts for ${values.length} Values; they must be as many`;
    for (const value of values) {
      const issue = valueProblem(value);
      if (issue !== undefined) return `value ${issue}`;
    }
    for (const count of counts) {
      if (!Number.isFinite(count) || count <= 0) return `count ${count} is not a positive number`;
    }
    return undefined;
  }
  if (datum.statistics !== undefined) {
    const { SampleCount, Sum, Minimum, Maximum } = datum.statistics;
    if (!Number.isFinite(SampleCount) || SampleCount <= 0)
      return `SampleCount ${SampleCount} is not a positive number`;
    for (const [field, value] of [
      ["Sum", Sum],
      ["Minimum", Minimum],
      ["Maximum", Maximum],
    ] as const) {
      const issue = valueProblem(value);
      if (issue !== undefined) return `${field} ${issue}`;
    }
    if (Minimum > Maximum) return `Minimum ${Minimum} is greater than Maximum ${Maximum}`;
    return undefined;
  }
  const issue = valueProblem(datum.value);
  return issue === undefined ? undefined : `value ${issue}`;
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
  const { timestamp, metric } = datum;
  const payloadIssue = payloadProblem(datum);
  if (payloadIssue !== undefined) return payloadIssue;
  if (timestamp < nowMs - MAX_DATUM_AGE_MS)
    return `timestamp ${new Date(timestamp).toISOString()} is more than 2 weeks old`;
  if (timestamp > nowMs + MAX_DATUM_FUTURE_MS) {
    return `timestamp ${new Date(timestamp).toISOString()} is more than 2 hours in the future`;
  }
  return metric.problem;
}
