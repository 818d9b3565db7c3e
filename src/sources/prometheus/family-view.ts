/**
 * What a configured `metric:` reads of a scrape: which family, as which kind of value, and which of its
 * samples. A counter's samples (either spelling), a gauge's, a histogram's buckets, a summary's
 * quantiles, or a histogram's or summary's `_sum` / `_count` read as a counter.
 */
import { closest } from "../../common/suggest.js";
import { familyNamed } from "./family-named.js";
import type { ExpositionSample, MetricFamily } from "./metric-family.js";

/** How the samples become values: as read, as increases, as bucket increases, as quantiles (gauges with a Quantile). */
export type ValueKind = "gauge" | "counter" | "histogram" | "summary";

export interface FamilyView {
  /** The family's name as the body spells it, for messages. */
  readonly name: string;
  readonly kind: ValueKind;
  /** The samples this metric reads, in body order. */
  readonly samples: readonly ExpositionSample[];
}

export type FamilyLookup =
  { readonly ok: true; readonly view: FamilyView } | { readonly ok: false; readonly reason: string };

const PART_SUFFIXES = ["_sum", "_count"] as const;

export function familyView(families: readonly MetricFamily[], metric: string): FamilyLookup {
  const family = familyNamed(families, metric);
  if (family !== undefined) return viewOf(family);
  for (const suffix of PART_SUFFIXES) {
    if (!metric.endsWith(suffix)) continue;
    const whole = familyNamed(families, metric.slice(0, -suffix.length));
    if (whole?.type === "histogram" || whole?.type === "summary")
      return view(whole.name, "counter", whole.samples, (name) => name === metric);
  }
  const names = families.map((f) => f.name);
  if (metric.endsWith("_bucket")) {
    const whole = familyNamed(families, metric.slice(0, -"_bucket".length));
    if (whole?.type === "histogram")
      return {
        ok: false,
        reason: `"${metric}" is the buckets of histogram "${whole.name}": set metric: ${whole.name} to publish them as Values and Counts`,
      };
  }
  const guess = closest(metric, names);
  return {
    ok: false,
    reason: `no metric family "${metric}" among the ${names.length} the endpoint serves${guess === undefined ? "" : ` (did you mean "${guess}"?)`}`,
  };
}

function viewOf(family: MetricFamily): FamilyLookup {
  const { name, samples } = family;
  switch (family.type) {
    case "counter":
      return view(name, "counter", samples, (s) => s === name || s === `${name}_total`);
    case "histogram":
      return view(name, "histogram", samples, () => true);
    case "summary":
      return view(name, "summary", samples, (s) => s === name);
    case "info":
      return view(name, "gauge", samples, (s) => s === name || s === `${name}_info`);
    case "gauge":
    case "untyped":
    case "unknown":
    case "stateset":
      return view(name, "gauge", samples, (s) => s === name);
    case "gaugehistogram":
      return {
        ok: false,
        reason: `"${name}" is a gaugehistogram, which this publisher does not read`,
      };
  }
}

function view(
  name: string,
  kind: ValueKind,
  samples: readonly ExpositionSample[],
  keep: (sampleName: string) => boolean,
): FamilyLookup {
  return { ok: true, view: { name, kind, samples: samples.filter((s) => keep(s.name)) } };
}
