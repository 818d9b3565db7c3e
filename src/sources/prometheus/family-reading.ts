/**
 * One scrape's family → the metric's series: samples filtered by `match`, grouped by the kept labels
 * (each group one series, its labels its dimensions), each scraped series' value — as read, its
 * increase, or its buckets' increases — then the values of a group combined.
 */
import type { Combine, HistogramValue, PrometheusTransform } from "../../config/prometheus-options.js";
import { QUANTILE_DIMENSION } from "../../config/prometheus-options.js";
import { SourceError, type Sample, type SeriesReading, type Skipped } from "../types.js";
import { combined } from "./combine.js";
import { parseExpositionNumber } from "./exposition-number.js";
import type { FamilyView } from "./family-view.js";
import { histogramDistribution } from "./histogram-distribution.js";
import type { Increases } from "./increases.js";
import type { LabelNotes } from "./label-notes.js";
import { labelSetKey } from "./label-set-key.js";
import type { ExpositionSample } from "./metric-family.js";

export interface ReadingRules {
  /** Kept label → dimension name. */
  readonly labels: Readonly<Record<string, string>>;
  readonly combine: Combine | undefined;
  readonly match: (labels: Readonly<Record<string, string>>) => boolean;
  /** The labels `match` names. */
  readonly matched: readonly string[];
  readonly histogram: HistogramValue;
  readonly transform: PrometheusTransform;
}

/** The state a metric keeps between scrapes. `increases` is undefined when values are published as read. */
export interface ReadingState {
  readonly increases: Increases | undefined;
  readonly labelNotes: LabelNotes;
}

interface Group {
  readonly dimensions: Record<string, string>;
  readonly values: number[];
  /** Some series of the group only set their baseline: the group's increase would be partial. */
  baseline: boolean;
  skipped: string | undefined;
  /** Histograms: the bounds, and the group's summed cumulative increases. */
  bounds: number[] | undefined;
  buckets: number[] | undefined;
}

/** What `transform` a family of this kind gets, or a SourceError when the combination means nothing. */
export function effectiveTransform(view: FamilyView, rules: ReadingRules): "none" | "delta" | "rate" {
  const { transform } = rules;
  const misfit = (why: string) =>
    new SourceError(`transform: ${transform} does not apply to ${view.kind} "${view.name}": ${why}`);
  if (view.kind === "histogram") {
    if (transform !== "auto" && transform !== "delta")
      throw misfit("its buckets' increases are published as Values and Counts (remove transform)");
    if (rules.combine !== undefined && rules.combine !== "sum")
      throw new SourceError(
        `combine: ${rules.combine} does not apply to histogram "${view.name}": the buckets of its series are added up (remove combine)`,
      );
    return "delta";
  }
  if (view.kind === "summary") {
    if (transform === "delta" || transform === "rate")
      throw misfit(`its quantiles are gauges; read ${view.name}_count or ${view.name}_sum for counters`);
    return "none";
  }
  if (transform === "auto") return view.kind === "counter" ? "delta" : "none";
  return transform;
}

export function familyReading(
  view: FamilyView,
  rules: ReadingRules,
  state: ReadingState,
  scheduledAt: number,
): SeriesReading {
  const groups = new Map<string, Group>();
  const named = [
    ...Object.keys(rules.labels).map((label) => [label, "labels"] as const),
    ...rules.matched.map((label) => [label, "match"] as const),
  ];
  const notes: string[] = state.labelNotes.absent(view.name, view.samples, named);
  const histogramSeries = new Map<string, { group: Group; bounds: number[]; cumulative: number[] }>();
  const read = new Set<string>();
  for (const sample of view.samples) {
    if (!rules.match(sample.labels)) continue;
    const group = groupOf(groups, sample, view, rules, state.labelNotes, notes);
    const series = labelSetKey(sample.labels, "le");
    // A second sample of one series (same name and labels) is refused, as Prometheus refuses it: added
    // up, it would double a gauge, and two values of one counter would read as a reset at every scrape.
    const sampleKey = `${sample.name}${series}${sample.labels.le ?? ""}`;
    if (read.has(sampleKey)) {
      group.skipped = `${seriesText(sample)} appears twice in the scrape`;
      state.increases?.hold(series);
      continue;
    }
    read.add(sampleKey);
    if (view.kind === "histogram") {
      if (!sample.name.endsWith("_bucket")) continue; // the +Inf bucket is the count
      const bound = parseExpositionNumber(sample.labels.le ?? "");
      if (bound === undefined) {
        group.skipped = `a bucket of ${sample.name} has le="${sample.labels.le ?? ""}", not a number`;
        continue;
      }
      let h = histogramSeries.get(series);
      if (h === undefined) histogramSeries.set(series, (h = { group, bounds: [], cumulative: [] }));
      h.bounds.push(bound);
      h.cumulative.push(sample.value);
      continue;
    }
    if (state.increases === undefined) {
      if (Number.isFinite(sample.value)) group.values.push(sample.value);
      // A summary's quantile is NaN while its window holds no observation: nothing to publish, nothing wrong.
      else if (!(view.kind === "summary" && Number.isNaN(sample.value)))
        group.skipped = `${seriesText(sample)} is ${sample.value}`;
      continue;
    }
    const step = state.increases.counter(series, sample.value, scheduledAt);
    if (step.kind === "value") group.values.push(step.value);
    else if (step.kind === "baseline") group.baseline = true;
    else group.skipped = `${seriesText(sample)}: ${step.reason}`;
  }
  for (const [series, h] of histogramSeries) addHistogram(series, h, state.increases!, scheduledAt);
  return toReading(groups, view, rules, notes);
}

function addHistogram(
  series: string,
  { group, bounds, cumulative }: { group: Group; bounds: number[]; cumulative: number[] },
  increases: Increases,
  scheduledAt: number,
): void {
  const order = bounds.map((_, i) => i).sort((a, b) => bounds[a]! - bounds[b]!);
  const sortedBounds = order.map((i) => bounds[i]!);
  if (sortedBounds[sortedBounds.length - 1] !== Infinity) {
    group.skipped = `a series has no le="+Inf" bucket`;
    increases.hold(series);
    return;
  }
  const step = increases.buckets(
    series,
    sortedBounds,
    order.map((i) => cumulative[i]!),
    scheduledAt,
  );
  if (step.kind === "baseline") group.baseline = true;
  if (step.kind === "skipped") group.skipped = step.reason;
  if (step.kind !== "value") return;
  if (group.bounds === undefined) {
    group.bounds = sortedBounds;
    group.buckets = step.value;
  } else if (group.bounds.join() !== sortedBounds.join()) {
    group.skipped = "its scraped series have different buckets, which cannot be added up";
  } else group.buckets = group.buckets!.map((sum, i) => sum + step.value[i]!);
}

function toReading(
  groups: Map<string, Group>,
  view: FamilyView,
  rules: ReadingRules,
  notes: string[],
): SeriesReading {
  const samples: Sample[] = [];
  const skipped: Skipped[] = [];
  const how = rules.combine ?? (view.kind === "summary" ? "max" : "sum");
  let baselines = 0;
  for (const group of groups.values()) {
    const { dimensions } = group;
    if (group.skipped !== undefined) skipped.push({ dimensions, reason: group.skipped });
    else if (group.baseline) baselines++;
    else if (view.kind === "histogram") {
      if (group.bounds === undefined) continue;
      const outcome = histogramDistribution(group.bounds, group.buckets!, rules.histogram);
      if (!outcome.ok) skipped.push({ dimensions, reason: `histogram "${view.name}": ${outcome.reason}` });
      else if (outcome.distribution !== undefined) samples.push({ dimensions, value: outcome.distribution });
    } else if (group.values.length > 0) samples.push({ dimensions, value: combined(how, group.values) });
  }
  // A counter of which no series matches has counted nothing: 0, so an alarm on it has data (5xx before the first).
  if (view.kind === "counter" && groups.size === 0 && Object.keys(rules.labels).length === 0)
    samples.push({ dimensions: {}, value: 0 });
  return { samples, skipped, notes, ...(baselines > 0 ? { baselines } : {}) };
}

function groupOf(
  groups: Map<string, Group>,
  sample: ExpositionSample,
  view: FamilyView,
  rules: ReadingRules,
  labelNotes: LabelNotes,
  notes: string[],
): Group {
  const kept: [string, string, string][] = [];
  for (const [label, dimension] of Object.entries(rules.labels)) {
    const value = sample.labels[label] ?? "";
    if (value !== "") kept.push([label, dimension, value]); // an empty label is an absent one
  }
  if (view.kind === "summary" && !("quantile" in rules.labels) && sample.labels.quantile !== undefined)
    kept.push(["quantile", QUANTILE_DIMENSION, sample.labels.quantile]);
  const key = JSON.stringify(kept);
  let group = groups.get(key);
  if (group === undefined) {
    const dimensions = Object.fromEntries(kept.map(([, dimension, value]) => [dimension, value]));
    group = {
      dimensions,
      values: [],
      baseline: false,
      skipped: undefined,
      bounds: undefined,
      buckets: undefined,
    };
    groups.set(key, group);
    notes.push(
      ...labelNotes.observe(
        view.name,
        kept.map(([label, , value]) => [label, value] as const),
      ),
    );
  }
  return group;
}

function seriesText({ name, labels }: ExpositionSample): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return parts.length === 0 ? name : `${name}{${parts.join(",")}}`;
}
