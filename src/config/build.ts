/**
 * The resolved view of a valid document → the frozen Config. Every default was applied once, in
 * view.ts, and every check ran in validate.ts: building only copies and freezes.
 */
import type { RawSource } from "./raw.js";
import { DEFAULT_HISTOGRAM_VALUE, keptLabels, matchGlobs } from "./prometheus-options.js";
import {
  DEFAULT_ALLOW_SPECIAL_FILE,
  type Config,
  type MetricConfig,
  type SourceConfig,
  type Transform,
} from "./types.js";
import type { BuildableView } from "./view.js";

function buildSource(raw: RawSource, transformWritten: Transform | undefined): SourceConfig {
  switch (raw.type) {
    case "constant":
      return { type: "constant", value: raw.value };
    case "env":
      return { type: "env", variable: raw.variable };
    case "command":
      return {
        type: "command",
        command: Object.freeze([...raw.command]) as unknown as [string, ...string[]],
      };
    case "file":
      return {
        type: "file",
        path: raw.path,
        allowSpecialFile: raw.allowSpecialFile ?? DEFAULT_ALLOW_SPECIAL_FILE,
      };
    case "http":
      return {
        type: "http",
        url: raw.url,
        jsonPath: raw.jsonPath,
        headers: Object.freeze({ ...raw.headers }),
      };
    case "system":
      return {
        type: "system",
        metric: raw.metric,
        ...(raw.scope === undefined ? {} : { scope: raw.scope }),
        ...(raw.perCpu === undefined ? {} : { perCpu: raw.perCpu }),
        ...(raw.mounts === undefined ? {} : { mounts: Object.freeze([...raw.mounts]) }),
        ...(raw.devices === undefined ? {} : { devices: Object.freeze([...raw.devices]) }),
        ...(raw.interfaces === undefined ? {} : { interfaces: Object.freeze([...raw.interfaces]) }),
      };
    case "prometheus":
      return {
        type: "prometheus",
        url: raw.url,
        metric: raw.metric,
        labels: Object.freeze(keptLabels(raw.labels ?? [])),
        combine: raw.combine,
        match: Object.freeze(matchGlobs(raw.match ?? {})),
        headers: Object.freeze({ ...raw.headers }),
        histogram: raw.histogram ?? DEFAULT_HISTOGRAM_VALUE,
        transform: transformWritten ?? "auto",
      };
  }
}

/** `secrets`: values that sources must keep out of log lines (see Config.secrets). */
export function buildConfig(
  view: BuildableView,
  configOrigin: string,
  secrets: readonly string[] = [],
): Config {
  const metrics = view.metrics.map((metric): MetricConfig =>
    Object.freeze({
      index: metric.index,
      name: metric.name,
      namespace: metric.namespace,
      schedule: metric.schedule,
      timezone: metric.timezone,
      unit: metric.unit,
      storageResolution: metric.storageResolution,
      timeoutMs: metric.timeoutMs,
      dimensions: Object.freeze({ ...metric.dimensions }),
      scale: metric.scale,
      transform: metric.transform,
      aggregate: metric.aggregate === undefined ? undefined : Object.freeze({ ...metric.aggregate }),
      rollups: Object.freeze(metric.rollups.map((rollup) => Object.freeze([...rollup]))),
      runOnStart: metric.runOnStart,
      source: Object.freeze(buildSource(metric.source, metric.transformWritten)),
    }),
  );
  const { delivery, health, output, limits } = view;
  return Object.freeze({
    health: Object.freeze({ port: health.port, maxUndeliveredAgeMs: health.maxUndeliveredAgeMs }),
    limits: Object.freeze({ maxSeries: limits.maxSeries }),
    origin: configOrigin,
    entity: view.entity,
    output: Object.freeze({ ...output }),
    secrets: Object.freeze([...secrets]),
    metrics: Object.freeze(metrics),
    delivery: Object.freeze({
      outboxDir: delivery.outboxDir,
      maxBufferedDatums: delivery.maxBufferedDatums,
      fsync: delivery.fsync,
      retryBaseDelayMs: delivery.retryBaseDelayMs,
      retryMaxDelayMs: delivery.retryMaxDelayMs,
      requestTimeoutMs: delivery.requestTimeoutMs,
    }),
  });
}
