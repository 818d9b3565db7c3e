/**
 * What `scrape` tells of one metric family: its label names (a histogram's `le` and a summary's
 * `quantile` aside: they become Values and the Quantile dimension, not labels to keep), how many
 * values each takes, and how many series it has, all read from one scrape.
 */
import { dimensionValueProblem } from "../../cloudwatch/rules.js";
import { labelSetKey } from "./label-set-key.js";
import type { MetricFamily, MetricType } from "./metric-family.js";

export interface LabelSummary {
  readonly name: string;
  /** Distinct values on this scrape. */
  readonly values: number;
  /**
   * Why CloudWatch refuses one of those values as a dimension value, a series of it being dropped
   * ("must contain only printable ASCII characters (...)"); undefined when it takes them all. An empty
   * value is no problem: the label is then absent, as in Prometheus.
   */
  readonly refused?: string;
}

export interface FamilySummary {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly unit?: string;
  /** In the order the body first writes them. */
  readonly labels: readonly LabelSummary[];
  /** Distinct label sets, the bound label aside. */
  readonly labelSets: number;
  /**
   * The series an entry keeping every label publishes: one per label set (a histogram's buckets are
   * one datum's Values), a summary's one per quantile of each (per label set when it has no quantile).
   */
  readonly series: number;
  /** A summary's quantiles ("0.5", "0.99"), in body order; empty for every other type. */
  readonly quantiles: readonly string[];
}

/** The label that is part of the family's model rather than a series' identity, by type. */
export function boundLabel(type: MetricType): string | undefined {
  if (type === "histogram" || type === "gaugehistogram") return "le";
  return type === "summary" ? "quantile" : undefined;
}

export function familySummary(family: MetricFamily): FamilySummary {
  const bound = boundLabel(family.type);
  const values = new Map<string, Set<string>>();
  const series = new Set<string>();
  const quantiles = new Set<string>();
  const quantileSeries = new Set<string>();
  for (const sample of family.samples) {
    for (const [name, value] of Object.entries(sample.labels)) {
      if (name === bound) continue;
      let seen = values.get(name);
      if (seen === undefined) values.set(name, (seen = new Set()));
      seen.add(value);
    }
    const key = labelSetKey(sample.labels, bound);
    series.add(key);
    const quantile = bound === "quantile" ? sample.labels.quantile : undefined;
    if (quantile !== undefined) {
      quantiles.add(quantile);
      quantileSeries.add(`${key}${quantile}`);
    }
  }
  const labels = [...values].map(([name, seen]) => labelSummary(name, seen));
  const summary = {
    name: family.name,
    type: family.type,
    help: family.help,
    labels,
    labelSets: series.size,
    series: quantileSeries.size > 0 ? quantileSeries.size : series.size,
    quantiles: [...quantiles],
  };
  return family.unit === undefined ? summary : { ...summary, unit: family.unit };
}

function labelSummary(name: string, values: ReadonlySet<string>): LabelSummary {
  for (const value of values) {
    const problem = value === "" ? undefined : dimensionValueProblem(value);
    if (problem !== undefined)
      return { name, values: values.size, refused: `${JSON.stringify(value)} ${problem}` };
  }
  return { name, values: values.size };
}
