/** The typed, frozen result of loading a config: every default applied, every value checked. */
import type { StorageResolution, Unit } from "../cloudwatch/units.js";
import type { PrometheusOptions } from "./prometheus-options.js";
import type { SystemOptions } from "./system-options.js";

export type SourceConfig =
  | { readonly type: "constant"; readonly value: number }
  | { readonly type: "env"; readonly variable: string }
  | { readonly type: "command"; readonly command: readonly [string, ...string[]] }
  | { readonly type: "file"; readonly path: string; readonly allowSpecialFile: boolean }
  | {
      readonly type: "http";
      readonly url: string;
      readonly jsonPath: string | undefined;
      readonly headers: Readonly<Record<string, string>>;
    }
  | ({ readonly type: "system" } & SystemOptions)
  | ({ readonly type: "prometheus" } & PrometheusOptions);

export type SourceType = SourceConfig["type"];

/** `transform`: what is published of a read (shaping/transform.ts). */
export const TRANSFORMS = ["none", "delta", "rate"] as const;
export type Transform = (typeof TRANSFORMS)[number];

/** `aggregate.as`: Values + Counts (percentiles work) or StatisticValues (shaping/aggregate-window.ts). */
export const AGGREGATE_MODES = ["values", "statistics"] as const;
export type AggregateMode = (typeof AGGREGATE_MODES)[number];

export interface AggregateRule {
  readonly periodMs: number;
  readonly mode: AggregateMode;
}

export interface MetricConfig {
  /** The metric's place in the file's `metrics` list, for messages. */
  readonly index: number;
  readonly name: string;
  readonly namespace: string;
  readonly schedule: string;
  readonly timezone: string;
  readonly unit: Unit;
  readonly storageResolution: StorageResolution;
  readonly timeoutMs: number;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly scale: number;
  readonly transform: Transform;
  /** Reads kept and published once per period, or undefined: every read published. */
  readonly aggregate: AggregateRule | undefined;
  /** Extra copies of every datum with only these dimensions (`[]`: none). */
  readonly rollups: readonly (readonly string[])[];
  /** Read once right after start as well as on the schedule. */
  readonly runOnStart: boolean;
  readonly source: SourceConfig;
}

export interface DeliveryConfig {
  /** The outbox directory, or undefined for memory only. */
  readonly outboxDir: string | undefined;
  readonly maxBufferedDatums: number;
  readonly fsync: boolean;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly requestTimeoutMs: number;
}

export interface HealthConfig {
  /** The HTTP health endpoint's port, or undefined when it is off. */
  readonly port: number | undefined;
  readonly maxUndeliveredAgeMs: number;
}

/** Where datums go: PutMetricData, or EMF lines on stdout or appended to a file. */
export type OutputConfig = { readonly type: "cloudwatch" } | { readonly type: "emf"; readonly path: string };

/** `output.path` for standard output. */
export const EMF_STDOUT = "stdout";

export interface LimitsConfig {
  /** The most distinct series this process publishes, or undefined: no limit. */
  readonly maxSeries: number | undefined;
}

export interface Config {
  /** Where the config came from: a file path, or "environment" in heartbeat mode. */
  readonly origin: string;
  /**
   * Values `${VAR}` put into a metric's source (a command's argument, a URL, a header): sources keep
   * them out of every log line.
   */
  readonly secrets: readonly string[];
  readonly metrics: readonly MetricConfig[];
  readonly delivery: DeliveryConfig;
  readonly health: HealthConfig;
  /** Whether requests carry the entity of the instance or task that sent them (EntityMetricData). */
  readonly entity: boolean;
  readonly output: OutputConfig;
  readonly limits: LimitsConfig;
}

/** Defaults the schema documents; applied when neither the metric nor `defaults` sets a value. */
export const DEFAULT_SCHEDULE = "* * * * *";
export const DEFAULT_ENTITY = true;
export const DEFAULT_TIMEZONE = "UTC";
export const DEFAULT_UNIT: Unit = "None";
export const DEFAULT_STORAGE_RESOLUTION: StorageResolution = 60;
export const DEFAULT_TIMEOUT = "10s";
export const DEFAULT_SCALE = 1;
export const DEFAULT_RUN_ON_START = false;
export const DEFAULT_TRANSFORM: Transform = "none";
export const DEFAULT_AGGREGATE_MODE: AggregateMode = "values";
/** The longest `aggregate.period`: one datum an hour; longer periods would hold reads for hours. */
export const MAX_AGGREGATE_PERIOD_MS = 60 * 60 * 1000;
/** At most this many `rollups` per metric: each one is one more series per series. */
export const MAX_ROLLUPS = 10;
export const DEFAULT_FSYNC = true;
export const DEFAULT_ALLOW_SPECIAL_FILE = false;
export const MAX_TIMEOUT_MS = 60 * 60 * 1000;
export const DEFAULT_MAX_BUFFERED_DATUMS = 100_000;
export const DEFAULT_RETRY_BASE_DELAY = "1s";
export const DEFAULT_RETRY_MAX_DELAY = "5m";
export const DEFAULT_REQUEST_TIMEOUT = "10s";
export const DEFAULT_MAX_UNDELIVERED_AGE = "60s";
export const DEFAULT_OUTPUT: OutputConfig = { type: "cloudwatch" };
