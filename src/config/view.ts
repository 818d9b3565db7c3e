/**
 * One resolved view of a config document: each metric with its default chain (the metric's own value,
 * else `defaults`', else the built-in default) applied once, here. The checks read it and `build`
 * turns it into the Config; neither derives a default again.
 *
 * It is made from any document, also one the schema refused, so that one run reports every problem:
 * a value of the wrong type reads as not written (the schema reports it), and `raw` keeps what was
 * written for the checks that speak of it.
 */
import type { StorageResolution, Unit } from "../cloudwatch/units.js";
import { parseDurationMs } from "./duration.js";
import type { ConfigPath } from "./path.js";
import type { RawSource } from "./raw.js";
import {
  DEFAULT_ENTITY,
  DEFAULT_FSYNC,
  DEFAULT_MAX_BUFFERED_DATUMS,
  DEFAULT_MAX_UNDELIVERED_AGE,
  DEFAULT_REQUEST_TIMEOUT,
  DEFAULT_RETRY_BASE_DELAY,
  DEFAULT_RETRY_MAX_DELAY,
  DEFAULT_RUN_ON_START,
  DEFAULT_SCALE,
  DEFAULT_SCHEDULE,
  DEFAULT_STORAGE_RESOLUTION,
  DEFAULT_TIMEOUT,
  DEFAULT_TIMEZONE,
  DEFAULT_UNIT,
  DEFAULT_AGGREGATE_MODE,
  DEFAULT_TRANSFORM,
  TRANSFORMS,
  AGGREGATE_MODES,
  type AggregateRule,
  type Transform,
  type LimitsConfig,
  type DeliveryConfig,
  type HealthConfig,
  type MetricConfig,
  type OutputConfig,
  DEFAULT_OUTPUT,
} from "./types.js";

export type Loose = Readonly<Record<string, unknown>>;

export const asMap = (value: unknown): Loose | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Loose) : undefined;
export const asString = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;
const asNumber = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
const asBoolean = (value: unknown): boolean | undefined => (typeof value === "boolean" ? value : undefined);

/** A duration's milliseconds; NaN when the text is not a duration (which the schema reports). */
export const durationMs = (text: string): number => parseDurationMs(text) ?? Number.NaN;

/** The settings `defaults` or a metric writes itself, with where. */
export interface Scope {
  readonly at: ConfigPath;
  readonly raw: Loose;
}

/** `namespace` and `source` are undefined only in a document that has problems; see BuildableView. */
export interface MetricView<Namespace = string | undefined, Source = RawSource | undefined>
  extends Scope, Omit<MetricConfig, "namespace" | "source"> {
  readonly namespace: Namespace;
  /** Every dimension name after merging, whatever its value's type: what CloudWatch's limit counts. */
  readonly dimensionCount: number;
  readonly source: Source;
  /**
   * `transform` as written (the metric's, else the defaults'), or undefined. `transform` above is what
   * the pipeline applies: `none` for a prometheus metric, whose source applies this one per scraped series.
   */
  readonly transformWritten: Transform | undefined;
}

export interface DeliveryView extends Scope, DeliveryConfig {}

export type HealthView = HealthConfig;

export interface DocumentView<Metric extends MetricView = MetricView> {
  readonly defaults: Scope;
  readonly limits: Scope & LimitsConfig;
  readonly metrics: readonly Metric[];
  readonly delivery: DeliveryView;
  readonly health: HealthView;
  readonly entity: boolean;
  readonly output: OutputConfig;
}

/** A view every metric of which has a namespace and a source: what `build` takes. */
export type BuildableView = DocumentView<MetricView<string, RawSource>>;

export function isBuildable(view: DocumentView): view is BuildableView {
  return view.metrics.every((metric) => metric.namespace !== undefined && metric.source !== undefined);
}

/** `aggregate` as written (the metric's, else the defaults'); undefined when absent or malformed. */
function resolveAggregate(value: unknown): AggregateRule | undefined {
  const map = asMap(value);
  const period = asString(map?.period);
  if (map === undefined || period === undefined) return undefined;
  const mode = asString(map.as);
  return {
    periodMs: durationMs(period),
    mode: (AGGREGATE_MODES as readonly string[]).includes(mode ?? "")
      ? (mode as AggregateRule["mode"])
      : DEFAULT_AGGREGATE_MODE,
  };
}

const asRollups = (value: unknown): string[][] | undefined =>
  Array.isArray(value) && value.every((r) => Array.isArray(r) && r.every((n) => typeof n === "string"))
    ? value
    : undefined;

function resolveMetric(raw: Loose, index: number, defaults: Loose): MetricView {
  const own = <T>(read: (value: unknown) => T | undefined, key: string): T | undefined =>
    read(raw[key]) ?? read(defaults[key]);
  const ownDimensions = asMap(raw.dimensions);
  const merged = { ...asMap(defaults.dimensions), ...ownDimensions };
  const source = asMap(raw.source);
  const written = own(asString, "transform");
  const transformWritten = (TRANSFORMS as readonly string[]).includes(written ?? "")
    ? (written as Transform)
    : undefined;
  return {
    at: ["metrics", index],
    raw,
    index,
    name: asString(raw.name) ?? "",
    namespace: own(asString, "namespace"),
    schedule: own(asString, "schedule") ?? DEFAULT_SCHEDULE,
    timezone: own(asString, "timezone") ?? DEFAULT_TIMEZONE,
    unit: (own(asString, "unit") as Unit | undefined) ?? DEFAULT_UNIT,
    storageResolution:
      (own(asNumber, "storageResolution") as StorageResolution | undefined) ?? DEFAULT_STORAGE_RESOLUTION,
    timeoutMs: durationMs(own(asString, "timeout") ?? DEFAULT_TIMEOUT),
    // The defaults' dimensions with the metric's own over them; values that are not text left out (the schema reports them).
    dimensions: Object.fromEntries(
      Object.entries(merged).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    ),
    dimensionCount: Object.keys(merged).length,
    scale: asNumber(raw.scale) ?? DEFAULT_SCALE,
    transformWritten,
    transform: source?.type === "prometheus" ? "none" : (transformWritten ?? DEFAULT_TRANSFORM),
    aggregate: resolveAggregate(raw.aggregate ?? defaults.aggregate),
    rollups: own(asRollups, "rollups") ?? [],
    runOnStart: own(asBoolean, "runOnStart") ?? DEFAULT_RUN_ON_START,
    source: typeof source?.type === "string" ? (source as unknown as RawSource) : undefined,
  };
}

export function resolveDocument(document: unknown): DocumentView {
  const root = asMap(document) ?? {};
  const defaults = asMap(root.defaults) ?? {};
  const delivery = asMap(root.delivery) ?? {};
  const health = asMap(root.health) ?? {};
  const output = asMap(root.output) ?? {};
  const limits = asMap(root.limits) ?? {};
  const metrics = Array.isArray(root.metrics) ? (root.metrics as unknown[]) : [];
  return {
    defaults: { at: ["defaults"], raw: defaults },
    limits: { at: ["limits"], raw: limits, maxSeries: asNumber(limits.maxSeries) },
    metrics: metrics.flatMap((entry, index) => {
      const raw = asMap(entry);
      return raw === undefined ? [] : [resolveMetric(raw, index, defaults)];
    }),
    delivery: {
      at: ["delivery"],
      raw: delivery,
      outboxDir: asString(delivery.outboxDir),
      maxBufferedDatums: asNumber(delivery.maxBufferedDatums) ?? DEFAULT_MAX_BUFFERED_DATUMS,
      fsync: asBoolean(delivery.fsync) ?? DEFAULT_FSYNC,
      retryBaseDelayMs: durationMs(asString(delivery.retryBaseDelay) ?? DEFAULT_RETRY_BASE_DELAY),
      retryMaxDelayMs: durationMs(asString(delivery.retryMaxDelay) ?? DEFAULT_RETRY_MAX_DELAY),
      requestTimeoutMs: durationMs(asString(delivery.requestTimeout) ?? DEFAULT_REQUEST_TIMEOUT),
    },
    health: {
      port: asNumber(health.port),
      maxUndeliveredAgeMs: durationMs(asString(health.maxUndeliveredAge) ?? DEFAULT_MAX_UNDELIVERED_AGE),
    },
    entity: asBoolean(root.entity) ?? DEFAULT_ENTITY,
    output:
      output.type === "emf" && typeof output.path === "string"
        ? { type: "emf", path: output.path }
        : DEFAULT_OUTPUT,
  };
}
