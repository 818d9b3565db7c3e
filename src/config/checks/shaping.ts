/**
 * Checks of `aggregate` and `rollups` that need the metric's resolved settings (the schema checks their
 * shapes): a period CloudWatch can store, a schedule that fires at least twice per period, rollup
 * names that are the metric's dimensions.
 */
import { parseSchedule } from "../cron.js";
import { seriesKey } from "../../cloudwatch/series-key.js";
import { rollupDimensions, rollupProblems } from "../../shaping/rollups.js";
import { seriesLimitProblem } from "../../shaping/series-limit.js";
import type { ConfigIssue } from "../issue.js";
import { isValidTimeZone } from "../timezone.js";
import { DEFAULT_TIMEZONE, MAX_AGGREGATE_PERIOD_MS } from "../types.js";
import { asMap, type DocumentView, type MetricView } from "../view.js";

/** A period shorter than this is stored only by a high-resolution metric (storageResolution 1). */
export const STANDARD_RESOLUTION_PERIOD_MS = 60_000;
/** Firings looked at to find how often a schedule fires per period (about 8 ms of cron-parser). */
export const FIRINGS_EXAMINED = 1_000;
/** A fixed Monday 00:00 UTC to walk schedules from, so a check gives the same answer every day. */
const REFERENCE = Date.UTC(2026, 0, 5);

/**
 * The fewest firings in a period that has any, over the first FIRINGS_EXAMINED firings after a fixed
 * Monday (the first and the last period seen are cut by the window, so they do not count). Undefined
 * when the schedule cannot be walked (checkSchedule reports that) or fills fewer than three periods.
 */
export function fewestFiringsPerPeriod(
  schedule: string,
  timezone: string,
  periodMs: number,
): number | undefined {
  let expression;
  try {
    expression = parseSchedule(schedule, { timezone, from: new Date(REFERENCE - 1), hashSeed: "check" });
  } catch {
    return undefined;
  }
  const counts: number[] = [];
  let current: number | undefined;
  try {
    for (let i = 0; i < FIRINGS_EXAMINED && expression.hasNext(); i++) {
      const period = Math.floor(expression.next().getTime() / periodMs);
      if (period !== current) counts.push(0);
      current = period;
      counts[counts.length - 1]!++;
    }
  } catch {
    return undefined;
  }
  const whole = counts.slice(1, -1);
  return whole.length === 0 ? undefined : Math.min(...whole);
}

export function checkAggregate(metric: MetricView): ConfigIssue[] {
  const { at, raw, aggregate } = metric;
  if (aggregate === undefined || !Number.isFinite(aggregate.periodMs)) return [];
  const own = asMap(raw.aggregate) !== undefined;
  const path = own ? [...at, "aggregate", "period"] : at;
  const whose = own ? "" : " (from defaults.aggregate)";
  const { periodMs } = aggregate;
  if (periodMs < 1000 || periodMs % 1000 !== 0 || periodMs > MAX_AGGREGATE_PERIOD_MS)
    return [
      {
        path,
        message: `must be whole seconds from "1s" to "1h"${whose} (got ${JSON.stringify(asMap(raw.aggregate)?.period ?? `${periodMs}ms`)})`,
      },
    ];
  if (periodMs < STANDARD_RESOLUTION_PERIOD_MS && metric.storageResolution !== 1)
    return [
      {
        path,
        message: `a period${whose} of ${periodMs / 1000}s needs storageResolution: 1 (a high-resolution metric); CloudWatch stores standard metrics per minute`,
      },
    ];
  const zone = isValidTimeZone(metric.timezone) ? metric.timezone : DEFAULT_TIMEZONE;
  const fewest = fewestFiringsPerPeriod(metric.schedule, zone, periodMs);
  if (fewest !== undefined && fewest < 2)
    return [
      {
        path,
        message: `the schedule "${metric.schedule}" fires only ${fewest === 1 ? "once" : `${fewest} times`} in some ${periodMs / 1000}s periods${whose}; aggregating needs at least two reads per period: shorten the schedule's interval or lengthen the period`,
      },
    ];
  return [];
}

/** `rollups`, by the one rule in shaping/rollups.ts, each problem at the rollup or the name it is about. */
export function checkRollups(metric: MetricView): ConfigIssue[] {
  const { at, raw, rollups, dimensions } = metric;
  if (rollups.length === 0) return [];
  const own = Array.isArray(raw.rollups);
  return rollupProblems(rollups, Object.keys(dimensions)).map((problem) => ({
    path: own
      ? [...at, "rollups", problem.rollup, ...(problem.name === undefined ? [] : [problem.name])]
      : at,
    message: own ? problem.message : `defaults.rollups[${problem.rollup}]: ${problem.message}`,
  }));
}

/** `limits.maxSeries` against every distinct series the metrics (and their rollups) publish. */
export function checkMaxSeries(view: DocumentView): ConfigIssue[] {
  const { maxSeries, at } = view.limits;
  if (maxSeries === undefined || !Number.isSafeInteger(maxSeries) || maxSeries < 1) return [];
  const all = new Set<string>();
  const contributions = view.metrics.flatMap((metric) => {
    if (metric.namespace === undefined) return [];
    const series = [metric.dimensions, ...rollupDimensions(metric.dimensions, metric.rollups)].map((dims) =>
      seriesKey({
        namespace: metric.namespace!,
        name: metric.name,
        dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
      }),
    );
    series.forEach((key) => all.add(key));
    return [{ label: `metrics[${metric.index}] "${metric.name}"`, series: new Set(series).size }];
  });
  const problem = seriesLimitProblem(contributions, maxSeries, all.size);
  return problem === undefined ? [] : [{ path: [...at, "maxSeries"], message: problem }];
}
