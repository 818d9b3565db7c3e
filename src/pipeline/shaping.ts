/**
 * The shaping stage between a read and the outbox, per series: read → transform → scale → rollups →
 * series limit → aggregate. Transform comes first because a counter's increase belongs to the series
 * that was read, before scale (as the issue orders it); rollups come before aggregation so that the
 * reads of several metrics (or hosts' series) landing on one rollup series share one period's datum.
 * Counter baselines and open aggregation periods are kept with the outbox (state files in
 * delivery.outboxDir), saved at most once a second while they change and at shutdown.
 */
import type { Config, MetricConfig } from "../config/types.js";
import { metricIdentity, type Datum, type MetricIdentity } from "../cloudwatch/datum.js";
import { seriesKey } from "../cloudwatch/series-key.js";
import type { Logger } from "../log.js";
import { AggregateWindow, toDatums } from "../shaping/aggregate-window.js";
import { saveAggregateState } from "../shaping/aggregate-snapshot.js";
import { saveCounterState } from "../shaping/counter-store.js";
import { addToWindow, scaled, valueDatums, type Distribution } from "../shaping/distribution.js";
import type { CounterBaselines } from "../sources/types.js";
import { loadBaselines, restoreWindow, scopedBaselines } from "./shaping-state.js";
import { rollupDimensions } from "../shaping/rollups.js";
import { SeriesLimit } from "../shaping/series-limit.js";
import { applyTransform, type TransformState } from "../shaping/transform.js";
import type { Stats } from "./stats.js";

/** How often open periods are closed and changed state is saved: what a SIGKILL can lose or repeat. */
export const SHAPING_SWEEP_MS = 1_000;
/** A period closes this long plus the longest aggregated timeout after its end: every read is in (or abandoned). */
export const CLOSE_GRACE_MS = 2_000;
/** Shaped series cached before the cache is cleared: a label with IDs in it must not grow it forever. */
export const MAX_CACHED_SHAPED_SERIES = 100_000;

export interface ShapingOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly stats: Stats;
  readonly now: () => number;
}

/** A series as it is published, with its key and the series of its rollups. */
interface ShapedSeries {
  readonly identity: MetricIdentity;
  readonly key: string;
  readonly rollups: readonly { readonly identity: MetricIdentity; readonly key: string }[];
}

export class Shaping {
  private readonly outboxDir: string | undefined;
  private counters = Object.create(null) as TransformState;
  private readonly window = new AggregateWindow<MetricIdentity>();
  private readonly limit: SeriesLimit | undefined;
  private readonly series = new Map<string, ShapedSeries>();
  /** The same, by the identity object a metric (or a source's series) reuses: no key built per read. */
  private readonly byIdentity = new WeakMap<MetricIdentity, ShapedSeries>();
  private readonly closeAfterMs: number;
  private readonly needed: boolean;
  private countersDirty = false;
  private windowDirty = false;
  private baselineNoted = false;
  private timer: NodeJS.Timeout | undefined;
  private saveProblem: string | undefined; // the last failure to save, logged once until it changes

  constructor(private readonly options: ShapingOptions) {
    const { config, logger, now } = options;
    this.outboxDir = config.delivery.outboxDir;
    const aggregated = config.metrics.filter((m) => m.aggregate !== undefined);
    this.closeAfterMs = Math.max(0, ...aggregated.map((m) => m.timeoutMs)) + CLOSE_GRACE_MS;
    this.limit = config.limits.maxSeries === undefined ? undefined : new SeriesLimit(config.limits.maxSeries);
    const counting = config.metrics.some((m) => m.transform !== "none" || m.source.type === "prometheus");
    this.needed = counting || aggregated.length > 0;
    if (counting) this.counters = loadBaselines(this.outboxDir, logger, now());
    if (this.outboxDir === undefined) return;
    if (aggregated.length > 0) {
      const byKey = new Map<string, MetricIdentity>();
      for (const metric of aggregated) {
        const shaped = this.seriesOf(metric, metricIdentity(metric));
        for (const s of [shaped, ...shaped.rollups]) byKey.set(s.key, s.identity);
      }
      restoreWindow(this.outboxDir, this.window, byKey, logger, options.stats);
    }
  }

  /** Starts the sweep that closes ended periods (handing their datums to `emit`) and saves state. */
  start(emit: (datums: Datum[]) => void): void {
    if (!this.needed || this.timer !== undefined) return;
    this.timer = setInterval(() => {
      emit(this.closeUpTo(this.options.now() - this.closeAfterMs));
      this.save();
    }, SHAPING_SWEEP_MS);
    this.timer.unref();
  }

  /**
   * At shutdown, after the last read: every open period as it is (CloudWatch merges a partial period
   * with the rest of it), and the state saved, the emptied window included.
   */
  stop(): Datum[] {
    clearInterval(this.timer);
    this.timer = undefined;
    const rest = toDatums(this.window.flush());
    if (rest.length > 0) this.windowDirty = true;
    this.save();
    return rest;
  }

  /** The datums of every period that ended at or before `watermark` (the sweep's; a benchmark's clock). */
  closeUpTo(watermark: number): Datum[] {
    const closed = this.window.close(watermark);
    this.windowDirty ||= closed.length > 0;
    return toDatums(closed);
  }

  /**
   * The baselines a source that computes increases itself keeps (the prometheus source), under a
   * prefix of its metric's series key: saved and restored with those of `transform`.
   */
  baselinesFor(identity: MetricIdentity): CounterBaselines {
    return scopedBaselines(this.counters, `${seriesKey(identity)}\u0001`, () => {
      this.countersDirty = true;
    });
  }

  /** The datums one read becomes now (none while it only sets a baseline or joins a period). */
  shape(
    metric: MetricConfig,
    identity: MetricIdentity,
    value: number | Distribution,
    scheduledAt: number,
  ): Datum[] {
    const plain =
      metric.transform === "none" && metric.aggregate === undefined && metric.rollups.length === 0;
    if (plain && this.limit === undefined)
      return valueDatums(identity, scaled(value, metric.scale), scheduledAt);
    const series = this.seriesOf(metric, identity);
    let shaped: number | Distribution = value;
    if (metric.transform !== "none" && typeof value === "number") {
      const outcome = applyTransform(this.counters, series.key, metric.transform, value, scheduledAt);
      this.countersDirty = true;
      if (outcome.kind === "baseline") {
        this.options.stats.baselines++;
        this.noteBaseline(metric);
        return [];
      }
      if (outcome.kind === "skipped") {
        this.refuse(metric, "transform", outcome.reason);
        return [];
      }
      shaped = outcome.value;
    }
    shaped = scaled(shaped, metric.scale);
    const out: Datum[] = [];
    for (const target of [series, ...series.rollups]) {
      if (!this.admit(metric, target.key)) continue;
      if (metric.aggregate === undefined) {
        out.push(...valueDatums(target.identity, shaped, scheduledAt));
        continue;
      }
      const added = addToWindow(
        this.window,
        target.key,
        target.identity,
        metric.aggregate,
        shaped,
        scheduledAt,
      );
      if (!added.ok) this.refuse(metric, "invalid", added.reason);
      this.windowDirty ||= added.ok;
    }
    return out;
  }

  private seriesOf(metric: MetricConfig, identity: MetricIdentity): ShapedSeries {
    const known = this.byIdentity.get(identity);
    if (known !== undefined) return known;
    const key = seriesKey(identity);
    let found = this.series.get(key);
    if (found === undefined) {
      const dimensions = Object.fromEntries(identity.dimensions.map((d) => [d.Name, d.Value]));
      const rollups = rollupDimensions(dimensions, metric.rollups).map((dims) => {
        const rolled = metricIdentity({ ...identity, dimensions: dims });
        return { identity: rolled, key: seriesKey(rolled) };
      });
      found = { identity, key, rollups };
      if (this.series.size >= MAX_CACHED_SHAPED_SERIES) this.series.clear();
      this.series.set(key, found);
    }
    this.byIdentity.set(identity, found);
    return found;
  }

  private admit(metric: MetricConfig, key: string): boolean {
    if (this.limit === undefined) return true;
    const admission = this.limit.admit(key);
    if (admission.admitted) return true;
    this.options.stats.drop("seriesLimit");
    if (admission.logOnce)
      this.options.logger.warn(`metric "${metric.name}": series ${key}: ${admission.reason}`, {
        metric: metric.name,
        reason: "seriesLimit",
      });
    return false;
  }

  private refuse(metric: MetricConfig, reason: "transform" | "invalid", why: string): void {
    this.options.stats.drop(reason);
    this.options.logger.warn(`metric "${metric.name}": dropped read: ${why}`, {
      metric: metric.name,
      reason,
    });
  }

  /** Series a source (prometheus) only set the baseline of: counted and said as transform's are. */
  baselinesSet(metric: MetricConfig, count: number): void {
    this.options.stats.baselines += count;
    this.noteBaseline(metric);
  }

  private noteBaseline(metric: MetricConfig): void {
    if (this.baselineNoted) return;
    this.baselineNoted = true;
    const why =
      this.outboxDir === undefined
        ? "without an outbox directory (none configured, or a dry run) the baselines are not kept, so the first read of each counter after start only sets its baseline (the increase since the last run is not published, and `once` never publishes one)"
        : "the first read of a counter with no saved baseline only sets it; later reads publish their increase";
    const what = metric.source.type === "prometheus" ? "prometheus" : `transform: ${metric.transform}`;
    this.options.logger.info(`metric "${metric.name}" (${what}): ${why}`, {
      metric: metric.name,
    });
  }

  private save(): void {
    if (this.outboxDir === undefined) return;
    const now = this.options.now();
    const failed: string[] = [];
    if (this.countersDirty) {
      const saved = saveCounterState(this.outboxDir, this.counters, now);
      if (saved.ok) this.countersDirty = false;
      else failed.push(`counter baselines: ${saved.error.message}`);
    }
    if (this.windowDirty) {
      const saved = saveAggregateState(this.outboxDir, this.window, now);
      if (saved.ok) this.windowDirty = false;
      else failed.push(`open aggregation periods: ${saved.error.message}`);
    }
    const problem = failed.length === 0 ? undefined : failed.join("; ");
    if (problem !== undefined && problem !== this.saveProblem)
      this.options.logger.warn(
        `could not save ${problem} in ${this.outboxDir}; retried every second (a crash now would lose what changed since the last save)`,
      );
    this.saveProblem = problem;
  }
}
