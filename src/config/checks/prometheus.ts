/** A `prometheus` source's options: names, and the dimensions its kept labels add to each series. */
import { MAX_DIMENSIONS_PER_DATUM } from "../../cloudwatch/limits.js";
import { dimensionNameProblem } from "../../cloudwatch/rules.js";
import type { ConfigIssue } from "../issue.js";
import {
  DEFAULT_HISTOGRAM_VALUE,
  keptLabels,
  matchGlobs,
  prometheusOptionProblems,
  QUANTILE_DIMENSION,
} from "../prometheus-options.js";
import type { RawSource } from "../raw.js";
import type { MetricView } from "../view.js";

type RawPrometheus = Extract<RawSource, { type: "prometheus" }>;

/** Runs on documents the schema passed as far as this source goes (labels, match and metric well-typed). */
export function checkPrometheusSource({ at, source, dimensions, dimensionCount }: MetricView): ConfigIssue[] {
  if (source?.type !== "prometheus" || !wellTyped(source)) return [];
  const path = [...at, "source"];
  const labels = keptLabels(source.labels ?? []);
  const issues: ConfigIssue[] = prometheusOptionProblems({
    url: source.url,
    metric: source.metric,
    labels,
    combine: source.combine,
    match: matchGlobs(source.match ?? {}),
    headers: {},
    histogram: DEFAULT_HISTOGRAM_VALUE,
    transform: "auto",
  }).map(({ key, problem }) => ({ path: [...path, key], message: problem }));
  for (const [label, dimension] of Object.entries(labels)) {
    const problem = dimensionNameProblem(dimension);
    if (problem !== undefined)
      issues.push({ path: [...path, "labels", label], message: `dimension name "${dimension}" ${problem}` });
  }
  const added = Object.values(labels);
  for (const name of new Set([...added, QUANTILE_DIMENSION]))
    if (Object.hasOwn(dimensions, name))
      issues.push({
        path: [...at, "dimensions"],
        message: `sets dimension "${name}", which this metric's ${added.includes(name) ? "kept labels set" : "summary quantiles set"} on each series; remove it here (and from defaults.dimensions), or rename the label in source.labels`,
      });
  if (dimensionCount + added.length > MAX_DIMENSIONS_PER_DATUM && dimensionCount <= MAX_DIMENSIONS_PER_DATUM)
    issues.push({
      path: [...path, "labels"],
      message: `keeps ${added.length} labels on top of ${dimensionCount} dimensions: ${dimensionCount + added.length}, where CloudWatch allows at most ${MAX_DIMENSIONS_PER_DATUM}`,
    });
  return issues;
}

function wellTyped(source: Record<string, unknown>): source is RawPrometheus {
  const labels = source.labels;
  const stringMap = (v: unknown) =>
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    Object.values(v).every((x) => typeof x === "string");
  const labelsOk =
    labels === undefined ||
    (Array.isArray(labels) && labels.every((l) => typeof l === "string")) ||
    stringMap(labels);
  const match = source.match;
  const matchOk =
    match === undefined ||
    (typeof match === "object" &&
      match !== null &&
      !Array.isArray(match) &&
      Object.values(match).every(
        (g) => typeof g === "string" || (Array.isArray(g) && g.every((x) => typeof x === "string")),
      ));
  return typeof source.metric === "string" && typeof source.url === "string" && labelsOk && matchOk;
}
