/**
 * How a datum's observation becomes EMF metric targets, and what EMF cannot carry.
 *
 * The specification allows a metric target to be "a numeric value or an array of numeric values"
 * of at most 100 members, and nothing else: no Counts, no statistic set
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 * - `value`: the number itself.
 * - `values` without counts: the values, in arrays of at most 100 (one array per document).
 * - `values` with counts: each value repeated `count` times. CloudWatch then sees exactly the samples
 *   PutMetricData would have counted (SampleCount, Sum, Minimum, Maximum and percentiles alike), at
 *   the price of bytes; counts must be whole numbers, and at most MAX_EXPANDED_SAMPLES_PER_DATUM
 *   samples are written for one datum, since more would be hundreds of log lines for one value.
 * - `statisticValues`: refused. No set of values in the specification has a given SampleCount, Sum,
 *   Minimum and Maximum without inventing the samples in between (which would make up percentiles).
 *   AWS's own OpenTelemetry exporter writes `{"Count","Sum","Min","Max"}` objects that CloudWatch
 *   accepts, but that form is not in the published specification, so it is not written here.
 */
import type { EmfDatum } from "./emf-datum.js";
import { MAX_EXPANDED_SAMPLES_PER_DATUM, MAX_VALUES_PER_METRIC } from "./emf-limits.js";

/** The metric targets of one datum: a single number, or arrays of at most 100 numbers each. */
export type EmfSamples =
  | { readonly ok: true; readonly targets: readonly (number | readonly number[])[] }
  | { readonly ok: false; readonly reason: string };

const refuse = (reason: string): EmfSamples => ({ ok: false, reason });

function inArrays(values: readonly number[]): EmfSamples {
  const targets: number[][] = [];
  for (let start = 0; start < values.length; start += MAX_VALUES_PER_METRIC) {
    targets.push(values.slice(start, start + MAX_VALUES_PER_METRIC));
  }
  return { ok: true, targets };
}

function expanded(values: readonly number[], counts: readonly number[]): EmfSamples {
  if (counts.length !== values.length) {
    return refuse(`has ${values.length} values but ${counts.length} counts; they must pair up`);
  }
  let total = 0;
  for (const count of counts) {
    if (!Number.isInteger(count) || count < 0) {
      return refuse(
        `has the count ${count}; EMF has no Counts, so each value is written count times, which needs whole counts`,
      );
    }
    total += count;
  }
  if (total > MAX_EXPANDED_SAMPLES_PER_DATUM) {
    return refuse(
      `counts ${total} samples; EMF has no Counts, so each sample is written as a value, at most ` +
        `${MAX_EXPANDED_SAMPLES_PER_DATUM} for one datum; use a shorter aggregate period or the cloudwatch output`,
    );
  }
  const samples: number[] = [];
  values.forEach((value, i) => {
    for (let n = 0; n < counts[i]!; n++) samples.push(value);
  });
  return inArrays(samples);
}

/** The datum's targets, or why EMF cannot carry it. */
export function emfSamples(datum: EmfDatum): EmfSamples {
  if (datum.statistics !== undefined) {
    return refuse(
      "is a statistic set (StatisticValues), which EMF cannot carry: the format has only values; " +
        "aggregate as values, or use the cloudwatch output",
    );
  }
  if (datum.value !== undefined) {
    return Number.isFinite(datum.value)
      ? { ok: true, targets: [datum.value] }
      : refuse(`has the value ${datum.value}, not a finite number`);
  }
  const bad = datum.values.find((v) => !Number.isFinite(v));
  if (bad !== undefined) return refuse(`has the value ${bad}, not a finite number`);
  const result = datum.counts === undefined ? inArrays(datum.values) : expanded(datum.values, datum.counts);
  if (result.ok && result.targets.length === 0) return refuse("has no values");
  return result;
}
