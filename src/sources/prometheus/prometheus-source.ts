/**
 * `{ type: prometheus, url, metric, labels, combine, match, headers, histogram }`: one metric family
 * of a /metrics endpoint as one CloudWatch metric, one series per combination of the kept labels.
 * The scrape is shared with the other metrics reading the endpoint at the same instant
 * (shared-scrapes.ts); what the family's samples become is family-reading.ts.
 */
import type { PrometheusOptions } from "../../config/prometheus-options.js";
import { Redactor } from "../../common/redactor.js";
import { globFilter, type NameFilter } from "../system/glob.js";
import { memoryBaselines, SourceError, type CounterBaselines, type ValueSource } from "../types.js";
import { effectiveTransform, familyReading, type ReadingRules } from "./family-reading.js";
import { familyView } from "./family-view.js";
import { Increases } from "./increases.js";
import { LabelNotes } from "./label-notes.js";
import { scrapeRequest } from "./scrape.js";
import { SharedScrapes } from "./shared-scrapes.js";

/** What the pipeline shares between the metrics it runs: the scrapes of a tick, and the counter baselines. */
export interface PrometheusContext {
  readonly scrapes: SharedScrapes;
  /** This metric's own baselines (the pipeline scopes them to it). */
  readonly baselines: CounterBaselines;
  /** The metric's name, for the log line of a scrape it shares with others. */
  readonly metric?: string;
}

export function prometheusSource(
  options: PrometheusOptions,
  redactor: Redactor = new Redactor(),
  context: PrometheusContext = { scrapes: new SharedScrapes(), baselines: memoryBaselines() },
): ValueSource {
  const http = scrapeRequest(options.url, options.headers, redactor);
  const endpoint = JSON.stringify([options.url, options.headers]);
  const rules: ReadingRules = {
    labels: options.labels,
    combine: options.combine,
    match: labelMatcher(options.match),
    matched: Object.keys(options.match),
    histogram: options.histogram,
    transform: options.transform,
  };
  const labelNotes = new LabelNotes();
  let increases: { transform: "delta" | "rate"; increases: Increases } | undefined;

  return {
    async read(signal, scheduledAt = Date.now()) {
      const families = await context.scrapes.families(http, endpoint, scheduledAt, signal, context.metric);
      const found = familyView(families, options.metric);
      if (!found.ok) throw new SourceError(`GET ${http.shown}: ${found.reason}`);
      const transform = effectiveTransform(found.view, rules);
      if (transform === "none") increases = undefined;
      else if (increases?.transform !== transform)
        increases = { transform, increases: new Increases(context.baselines, transform) };
      const reading = familyReading(
        found.view,
        rules,
        { increases: increases?.increases, labelNotes },
        scheduledAt,
      );
      increases?.increases.commit(scheduledAt);
      return reading;
    },
  };
}

/** `match`: every listed label's value must pass its globs (a missing label is ""). */
function labelMatcher(match: Readonly<Record<string, readonly string[]>>): ReadingRules["match"] {
  const filters: [string, NameFilter][] = Object.entries(match).map(([label, globs]) => [
    label,
    globFilter(globs),
  ]);
  if (filters.length === 0) return () => true;
  return (labels) => filters.every(([label, passes]) => passes(labels[label] ?? ""));
}
