/**
 * The options of one `prometheus` metric as the source reads them, and the checks of them that
 * validate-config makes before any scrape (names, the dimension count); what only a scrape can tell
 * (the family's type, its labels) is checked at every read.
 */
import type { Transform } from "./types.js";

/** How the samples of labels that are not kept become one value per series. */
export const COMBINES = ["sum", "max", "min", "avg"] as const;
export type Combine = (typeof COMBINES)[number];

/** A histogram bucket's value in Values: its upper bound, or the middle of it and the bound below. */
export const HISTOGRAM_VALUES = ["upperBound", "midpoint"] as const;
export type HistogramValue = (typeof HISTOGRAM_VALUES)[number];
export const DEFAULT_HISTOGRAM_VALUE: HistogramValue = "upperBound";

/** The dimension a summary's `quantile` label becomes unless `labels` renames it. */
export const QUANTILE_DIMENSION = "Quantile";

/**
 * `transform` of a prometheus metric: `auto` (not written) is `delta` for counters (and a histogram's
 * or summary's `_sum` and `_count`), `none` for gauges. The source applies it per scraped series,
 * before combining, so the pipeline's own transform step is `none` for these metrics.
 */
export type PrometheusTransform = Transform | "auto";

export interface PrometheusOptions {
  readonly url: string;
  /** The family (`http_requests_total`), or a histogram's or summary's `_sum` / `_count`. */
  readonly metric: string;
  /** Kept label → the dimension it becomes (a list in the file keeps each label under its own name). */
  readonly labels: Readonly<Record<string, string>>;
  /** Undefined: `sum`, or `max` for a summary's quantiles (summing quantiles means nothing). */
  readonly combine: Combine | undefined;
  /** Label → globs its value must match (`*`, `?`, `!glob` excludes); a missing label is "". */
  readonly match: Readonly<Record<string, readonly string[]>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly histogram: HistogramValue;
  readonly transform: PrometheusTransform;
}

/** A Prometheus label name: `[a-zA-Z_][a-zA-Z0-9_]*`. */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** A Prometheus metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** `labels` as written (a list, or a map to rename) → kept label → dimension name. */
export function keptLabels(
  written: readonly string[] | Readonly<Record<string, string>>,
): Record<string, string> {
  if (Array.isArray(written)) return Object.fromEntries((written as readonly string[]).map((l) => [l, l]));
  return { ...(written as Readonly<Record<string, string>>) };
}

/** `match` as written (a glob or a list of globs per label) → label → globs. */
export function matchGlobs(
  written: Readonly<Record<string, string | readonly string[]>>,
): Record<string, readonly string[]> {
  return Object.fromEntries(
    Object.entries(written).map(([label, globs]) => [label, typeof globs === "string" ? [globs] : globs]),
  );
}

/** The dimensions a metric's series can carry from its labels: each kept one, and Quantile for a summary. */
export function labelDimensionNames(labels: Readonly<Record<string, string>>): string[] {
  const names = Object.values(labels);
  if (!("quantile" in labels)) names.push(QUANTILE_DIMENSION);
  return names;
}

/** What is wrong with these options before any scrape, one sentence a problem (empty when nothing is). */
export function prometheusOptionProblems(options: PrometheusOptions): { key: string; problem: string }[] {
  const problems: { key: string; problem: string }[] = [];
  if (!METRIC_NAME.test(options.metric))
    problems.push({
      key: "metric",
      problem: `"${options.metric}" is not a Prometheus metric name (letters, digits, _ and :, not starting with a digit)`,
    });
  for (const label of [...Object.keys(options.labels), ...Object.keys(options.match)])
    if (!LABEL_NAME.test(label) || label.startsWith("__"))
      problems.push({
        key: label in options.labels ? "labels" : "match",
        problem: `"${label}" is not a label name (letters, digits and _, not starting with a digit or __)`,
      });
  if ("le" in options.labels)
    problems.push({
      key: "labels",
      problem: `"le" is a histogram's bucket bound, not a label to keep: the buckets become the datum's Values`,
    });
  const seen = new Map<string, string>();
  for (const [label, dimension] of Object.entries(options.labels)) {
    const other = seen.get(dimension);
    if (other !== undefined)
      problems.push({
        key: "labels",
        problem: `labels "${other}" and "${label}" both become dimension "${dimension}"`,
      });
    seen.set(dimension, label);
  }
  return problems;
}
