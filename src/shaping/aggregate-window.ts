/**
 * `aggregate`: every read of a series within a period is kept, and one datum per series is emitted
 * when the period ends, timestamped at the period's start. Periods are aligned to multiples of the
 * period since the epoch, so every host's 1-minute periods start on the same instants. `values`
 * keeps each distinct value and how often it was read (Values + Counts: percentiles still work);
 * `statistics` keeps SampleCount, Sum, Minimum and Maximum only. Pure: the clock is the caller's,
 * passed as the instants reads were scheduled for and the watermark up to which periods close.
 */

import { MAX_VALUES_PER_SERIES_PER_REQUEST } from "../cloudwatch/limits.js";
import type { Datum, MetricIdentity, StatisticSet } from "../cloudwatch/datum.js";

export type { StatisticSet };
/**
 * More distinct values in a period than one request may carry for a series are sent as several
 * datums with the same timestamp, which CloudWatch merges (the limit: cloudwatch/limits.ts).
 */
export const MAX_VALUES_PER_DATUM = MAX_VALUES_PER_SERIES_PER_REQUEST;

export { AGGREGATE_MODES, type AggregateMode, type AggregateRule } from "../config/types.js";
import type { AggregateRule } from "../config/types.js";

interface AggregatedBase<S> {
  readonly key: string;
  readonly series: S;
  /** The period's start, ms since the epoch. */
  readonly timestamp: number;
}
export type Aggregated<S> =
  | (AggregatedBase<S> & { readonly kind: "values"; readonly values: number[]; readonly counts: number[] })
  | (AggregatedBase<S> & { readonly kind: "statistics"; readonly statistics: StatisticSet });

/** The start of the period holding `instant`: the largest multiple of periodMs since the epoch not after it. */
export function periodStart(instant: number, periodMs: number): number {
  return Math.floor(instant / periodMs) * periodMs;
}

/** The samples of one series in one period. */
export interface OpenPeriod {
  readonly start: number;
  readonly rule: AggregateRule;
  /** values mode: count by distinct value. */
  readonly counts: Map<number, number> | undefined;
  /** statistics mode: the running statistic set. */
  stats: { count: number; sum: number; min: number; max: number } | undefined;
}

interface OpenSeries<S> {
  readonly series: S;
  /** Usually one; two when a late read lands in a period after the next one opened. */
  readonly periods: OpenPeriod[];
}

export function newOpenPeriod(start: number, rule: AggregateRule): OpenPeriod {
  return rule.mode === "values"
    ? { start, rule, counts: new Map(), stats: undefined }
    : { start, rule, counts: undefined, stats: { count: 0, sum: 0, min: Infinity, max: -Infinity } };
}

/** Adds `count` reads of `value` to the period. */
export function addSample(period: OpenPeriod, value: number, count = 1): void {
  if (period.counts !== undefined) {
    period.counts.set(value, (period.counts.get(value) ?? 0) + count);
    return;
  }
  const stats = period.stats!;
  stats.count += count;
  stats.sum += value * count;
  if (value < stats.min) stats.min = value;
  if (value > stats.max) stats.max = value;
}

/** The datums of a closed period: one, or several of at most 150 values each. */
function emit<S>(key: string, series: S, period: OpenPeriod): Aggregated<S>[] {
  const timestamp = period.start;
  if (period.stats !== undefined) {
    const { count, sum, min, max } = period.stats;
    return [
      {
        kind: "statistics",
        key,
        series,
        timestamp,
        statistics: { SampleCount: count, Sum: sum, Minimum: min, Maximum: max },
      },
    ];
  }
  const entries = [...period.counts!].sort(([a], [b]) => a - b);
  const out: Aggregated<S>[] = [];
  for (let i = 0; i < entries.length; i += MAX_VALUES_PER_DATUM) {
    const chunk = entries.slice(i, i + MAX_VALUES_PER_DATUM);
    out.push({
      kind: "values",
      key,
      series,
      timestamp,
      values: chunk.map(([v]) => v),
      counts: chunk.map(([, c]) => c),
    });
  }
  return out;
}

export type AddResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export class AggregateWindow<S> {
  private readonly open = new Map<string, OpenSeries<S>>();
  /** The earliest end of an open period: close() is a no-op before it. */
  private earliestEnd = Infinity;

  /**
   * Keeps one read of a series, in the period its scheduled instant falls in. A failed read is not
   * a sample (the caller does not add it); a value that is not a finite number is refused here.
   */
  add(key: string, series: S, rule: AggregateRule, value: number, scheduledAt: number): AddResult {
    if (!Number.isFinite(value)) return { ok: false, reason: `value ${value} is not a finite number` };
    addSample(this.periodFor(key, series, rule, periodStart(scheduledAt, rule.periodMs)), value);
    return { ok: true };
  }

  /** The open period of a series starting at `start`, created if needed (also used to restore a snapshot). */
  periodFor(key: string, series: S, rule: AggregateRule, start: number): OpenPeriod {
    let open = this.open.get(key);
    if (open === undefined) {
      open = { series, periods: [] };
      this.open.set(key, open);
    }
    let period = this.findPeriod(open, start, rule);
    if (period === undefined) {
      period = newOpenPeriod(start, rule);
      open.periods.push(period);
      this.earliestEnd = Math.min(this.earliestEnd, start + rule.periodMs);
    }
    return period;
  }

  private findPeriod(open: OpenSeries<S>, start: number, rule: AggregateRule): OpenPeriod | undefined {
    // The newest period is the usual one; a rule change mid-period opens a period of its own.
    for (let i = open.periods.length - 1; i >= 0; i--) {
      const p = open.periods[i]!;
      if (p.start === start && p.rule.periodMs === rule.periodMs && p.rule.mode === rule.mode) return p;
    }
    return undefined;
  }

  /**
   * Emits and forgets every period that ended at or before `watermarkMs`: the caller passes an
   * instant before which every scheduled read has been added (or has failed), so no read of a
   * closed period is still on its way. Ordered by timestamp, then series key.
   */
  close(watermarkMs: number): Aggregated<S>[] {
    if (watermarkMs < this.earliestEnd) return [];
    return this.take((period) => period.start + period.rule.periodMs <= watermarkMs);
  }

  /** Emits every open period as it is: at shutdown (CloudWatch merges a partial period with the rest). */
  flush(): Aggregated<S>[] {
    return this.take(() => true);
  }

  private take(due: (period: OpenPeriod) => boolean): Aggregated<S>[] {
    const out: Aggregated<S>[] = [];
    let earliestEnd = Infinity;
    for (const [key, open] of this.open) {
      const kept: OpenPeriod[] = [];
      for (const period of open.periods) {
        if (due(period)) out.push(...emit(key, open.series, period));
        else {
          kept.push(period);
          earliestEnd = Math.min(earliestEnd, period.start + period.rule.periodMs);
        }
      }
      if (kept.length === 0) this.open.delete(key);
      else open.periods.splice(0, open.periods.length, ...kept);
    }
    this.earliestEnd = earliestEnd;
    return out.sort((a, b) => a.timestamp - b.timestamp || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Every open period with its series key, for a snapshot (aggregate-snapshot.ts). */
  *openPeriods(): Generator<{ key: string; period: OpenPeriod }> {
    for (const [key, open] of this.open) for (const period of open.periods) yield { key, period };
  }

  /** How many reads the open periods hold. */
  get openSamples(): number {
    let n = 0;
    for (const { period } of this.openPeriods()) {
      if (period.stats !== undefined) n += period.stats.count;
      else for (const c of period.counts!.values()) n += c;
    }
    return n;
  }
}

/** Closed periods as the datums that publish them: Values + Counts, or StatisticValues. */
export function toDatums(aggregated: readonly Aggregated<MetricIdentity>[]): Datum[] {
  return aggregated.map((a) =>
    a.kind === "values"
      ? { metric: a.series, timestamp: a.timestamp, values: a.values, counts: a.counts }
      : { metric: a.series, timestamp: a.timestamp, statistics: a.statistics },
  );
}
