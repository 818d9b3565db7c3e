/**
 * What a scrape of a /metrics endpoint parses into: metric families, each with its samples, in the
 * order the body declares them. The model of the Prometheus text format 0.0.4 and OpenMetrics text 1.0.
 *   https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 *   https://github.com/prometheus/OpenMetrics/blob/main/specification/OpenMetrics.md
 */

/** `untyped` is 0.0.4's word (and ours for samples no TYPE line declares); `unknown` is OpenMetrics'. */
export type MetricType =
  | "counter"
  | "gauge"
  | "histogram"
  | "summary"
  | "untyped"
  | "unknown"
  | "info"
  | "stateset"
  | "gaugehistogram";

export const METRIC_TYPES: readonly MetricType[] = [
  "counter",
  "gauge",
  "histogram",
  "summary",
  "untyped",
  "unknown",
  "info",
  "stateset",
  "gaugehistogram",
];

/** One line of the body: its full name (`http_request_duration_seconds_bucket`), labels and value. */
export interface ExpositionSample {
  readonly name: string;
  /** As written, `le` and `quantile` included; escapes resolved. */
  readonly labels: Readonly<Record<string, string>>;
  /** NaN, +Inf and -Inf included. Timestamps and exemplars are read past and not kept. */
  readonly value: number;
}

export interface MetricFamily {
  /**
   * As the TYPE (or HELP, or the first sample) line names it. An OpenMetrics counter is `foo` with
   * samples `foo_total`; a 0.0.4 counter is usually declared as `foo_total` itself: see familyNamed.
   */
  readonly name: string;
  readonly type: MetricType;
  /** Escapes resolved; "" when there is no HELP line. */
  readonly help: string;
  /** From an OpenMetrics UNIT line, when present and not empty. */
  readonly unit?: string;
  /** In body order; empty for a family declared without samples. */
  readonly samples: readonly ExpositionSample[];
}

/**
 * The sample names a family of each type owns, as suffixes of the family name ("" is the name itself).
 * Counters own their bare name too, as 0.0.4 declares them with the `_total` name itself.
 */
export const SAMPLE_SUFFIXES: Readonly<Record<MetricType, readonly string[]>> = {
  counter: ["", "_total", "_created"],
  gauge: [""],
  histogram: ["_bucket", "_count", "_sum", "_created"],
  summary: ["", "_count", "_sum", "_created"],
  untyped: [""],
  unknown: [""],
  info: ["_info"],
  stateset: [""],
  gaugehistogram: ["_bucket", "_gcount", "_gsum"],
};

/** Every suffix some type owns. No one of them ends another, so a name has at most one of them. */
export const ALL_SUFFIXES: readonly string[] = [...new Set(Object.values(SAMPLE_SUFFIXES).flat())].filter(
  (suffix) => suffix !== "",
);
