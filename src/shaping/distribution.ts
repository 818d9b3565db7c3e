/**
 * A read that is a distribution (a histogram's observations of one interval: values and their
 * counts) through the shaping steps a single number takes: scale, a datum, a period's window.
 */
import type { Datum, Distribution, MetricIdentity } from "../cloudwatch/datum.js";
import { MAX_VALUES_PER_SERIES_PER_REQUEST } from "../cloudwatch/limits.js";
import type { AggregateRule } from "../config/types.js";
import { addSample, periodStart, type AddResult, type AggregateWindow } from "./aggregate-window.js";

export type { Distribution };

/** The value with every number multiplied by `scale`. */
export function scaled(value: number | Distribution, scale: number): number | Distribution {
  if (scale === 1) return value;
  if (typeof value === "number") return value * scale;
  return { values: value.values.map((v) => v * scale), counts: value.counts };
}

/**
 * The datums that publish a value at `timestamp`: one, or a distribution of more distinct values than
 * a request may carry for a series cut into datums of at most that many (CloudWatch merges them).
 */
export function valueDatums(
  metric: MetricIdentity,
  value: number | Distribution,
  timestamp: number,
): Datum[] {
  if (typeof value === "number") return [{ metric, value, timestamp }];
  const out: Datum[] = [];
  for (let i = 0; i < value.values.length; i += MAX_VALUES_PER_SERIES_PER_REQUEST) {
    const end = i + MAX_VALUES_PER_SERIES_PER_REQUEST;
    out.push({ metric, timestamp, values: value.values.slice(i, end), counts: value.counts.slice(i, end) });
  }
  return out;
}

/** Adds a read to its series' period: a number once, a distribution's values with their counts. */
export function addToWindow<S>(
  window: AggregateWindow<S>,
  key: string,
  series: S,
  rule: AggregateRule,
  value: number | Distribution,
  scheduledAt: number,
): AddResult {
  if (typeof value === "number") return window.add(key, series, rule, value, scheduledAt);
  const bad = value.values.find((v) => !Number.isFinite(v));
  if (bad !== undefined) return { ok: false, reason: `value ${bad} is not a finite number` };
  const period = window.periodFor(key, series, rule, periodStart(scheduledAt, rule.periodMs));
  value.values.forEach((v, i) => {
    addSample(period, v, value.counts[i]);
  });
  return { ok: true };
}
