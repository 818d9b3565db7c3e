/**
 * A reading → the series it carries: the one place where a sample's dimensions are merged with its
 * metric's. A reading of one number is the metric's own series; a multi-series reading (the `system`
 * source: one sample per filesystem, interface, CPU, ...) gives one series per sample, each with an
 * identity of its own, so the datum checks (30 dimensions, names and values) apply to each series.
 */
import { metricIdentity, type MetricIdentity } from "../cloudwatch/datum.js";
import type { MetricConfig } from "../config/types.js";
import { LogThrottle } from "../common/log-throttle.js";
import type { Logger } from "../log.js";
import type { Distribution, Reading, ValueSource } from "../sources/types.js";
import type { Stats } from "./stats.js";

/** One value of one series, with its identity and the label that names it in log lines (`` or ` {MountPath=/}`). */
export interface SeriesValue {
  readonly identity: MetricIdentity;
  readonly value: number | Distribution;
  readonly label: string;
}

/**
 * Identities kept per metric before the cache is cleared: a host whose interfaces come and go (a
 * Kubernetes node's veth pairs) must not grow it forever. Clearing costs only a recomputation.
 */
export const MAX_CACHED_SERIES_PER_METRIC = 10_000;

/**
 * The metric's dimensions merged with a sample's. On a clash the sample's value wins: it is what
 * tells the series apart, and the metric's would fold every series into one. validate-config refuses
 * a `system` metric whose own or default dimensions name one its samples carry, so a clash reaches
 * this only from a source that cannot be checked in advance.
 */
export function mergeDimensions(
  own: Readonly<Record<string, string>>,
  sample: Readonly<Record<string, string>>,
): Record<string, string> {
  return { ...own, ...sample };
}

/** ` {MountPath=/, Filesystem=/dev/sda1}`: a sample's dimensions as log lines name its series. */
export function seriesLabel(dimensions: Readonly<Record<string, string>>): string {
  const parts = Object.entries(dimensions).map(([name, value]) => `${name}=${value}`);
  return parts.length === 0 ? "" : ` {${parts.join(", ")}}`;
}

interface Cached {
  readonly identity: MetricIdentity;
  readonly label: string;
}

/** A metric as the pipeline holds it: its config, its source, and the identity of its own series. */
export interface SeriesSource {
  readonly config: MetricConfig;
  readonly source: ValueSource;
  readonly identity: MetricIdentity;
}

/** The series of every metric's readings; logs and counts the series a reading could not produce. */
export class SeriesExpander {
  private readonly cache = new Map<MetricConfig, Map<string, Cached>>();
  private readonly unreadLog: LogThrottle<string>;

  constructor(
    private readonly logger: Logger,
    private readonly stats: Stats,
    now: () => number,
    /** Series of a source that computes increases itself that only set their baseline (counted and said by Shaping). */
    private readonly baselinesSet: (metric: MetricConfig, count: number) => void,
  ) {
    this.unreadLog = new LogThrottle(now);
  }

  /** Logs once what a source says of itself as it starts (the `system` source: which scope, and why). */
  announce(metrics: readonly SeriesSource[]): void {
    for (const { config, source } of metrics)
      if (source.startNote !== undefined)
        this.logger.info(`metric "${config.name}": ${source.startNote}`, { metric: config.name });
  }

  /** A number is the metric's own series; a multi-series reading gives one series per sample. */
  expand({ config: metric, identity }: SeriesSource, reading: Reading): SeriesValue[] {
    this.stats.readings++;
    if (typeof reading === "number") return [{ identity, value: reading, label: "" }];
    const values: SeriesValue[] = [];
    for (const sample of reading.samples) {
      const { identity: series, label } = this.series(metric, sample.dimensions);
      values.push({ identity: series, value: sample.value, label });
    }
    if (reading.baselines !== undefined && reading.baselines > 0)
      this.baselinesSet(metric, reading.baselines);
    for (const note of reading.notes ?? [])
      this.logger.warn(`metric "${metric.name}": ${note}`, { metric: metric.name });
    for (const { dimensions, reason } of reading.skipped) {
      // Not a datum lost (none was made): a failed read of one series, counted as read failures are.
      this.stats.readFailures++;
      const label = seriesLabel(dimensions);
      const held = this.unreadLog.pass(`${metric.index} ${JSON.stringify(dimensions)}`);
      if (held === undefined) continue;
      const more =
        held === 0 ? "" : `; ${held} more failed reads of this series since the last warning (one a minute)`;
      this.logger.warn(`metric "${metric.name}"${label}: not read: ${reason}${more}`, {
        metric: metric.name,
        series: dimensions,
      });
    }
    return values;
  }

  private series(metric: MetricConfig, dimensions: Readonly<Record<string, string>>): Cached {
    let perMetric = this.cache.get(metric);
    if (perMetric === undefined) this.cache.set(metric, (perMetric = new Map<string, Cached>()));
    const key = JSON.stringify(dimensions);
    let cached = perMetric.get(key);
    if (cached === undefined) {
      if (perMetric.size >= MAX_CACHED_SERIES_PER_METRIC) perMetric.clear();
      const merged = mergeDimensions(metric.dimensions, dimensions);
      cached = {
        identity: metricIdentity({ ...metric, dimensions: merged }),
        label: seriesLabel(dimensions),
      };
      perMetric.set(key, cached);
    }
    return cached;
  }
}
