/** Schema-valid raw document → the semantic checks the schema cannot express, then the frozen Config. */
import {
  dimensionNameProblem,
  dimensionValueProblem,
  metricNameProblem,
  namespaceProblem,
  valueProblem,
} from "../cloudwatch/rules.js";
import { MAX_DIMENSIONS_PER_DATUM } from "../cloudwatch/limits.js";
import { scheduleProblem } from "./cron.js";
import { parseDurationMs } from "./duration.js";
import type { ConfigIssue } from "./issue.js";
import type { RawConfig, RawMetric } from "./raw.js";
import { isValidTimeZone } from "./timezone.js";
import {
  DEFAULT_MAX_BUFFERED_DATUMS,
  DEFAULT_MAX_UNDELIVERED_AGE,
  DEFAULT_REQUEST_TIMEOUT,
  DEFAULT_RETRY_BASE_DELAY,
  DEFAULT_RETRY_MAX_DELAY,
  DEFAULT_SCHEDULE,
  DEFAULT_STORAGE_RESOLUTION,
  DEFAULT_TIMEOUT,
  DEFAULT_TIMEZONE,
  DEFAULT_UNIT,
  MAX_TIMEOUT_MS,
  type Config,
  type MetricConfig,
  type SourceConfig,
} from "./types.js";

type Loose = Record<string, unknown>;

function asMap(value: unknown): Loose | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Loose) : undefined;
}

function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function checkShared(shared: Loose, at: (string | number)[], issues: ConfigIssue[]): void {
  const timezone = asString(shared.timezone);
  if (timezone !== undefined && timezone !== "" && !isValidTimeZone(timezone)) {
    issues.push({
      path: [...at, "timezone"],
      message: `unknown time zone "${timezone}"; use an IANA name such as "UTC" or "Europe/Berlin"`,
    });
  }
  const timeout = asString(shared.timeout);
  const ms = timeout === undefined ? undefined : parseDurationMs(timeout);
  if (ms !== undefined && ms <= 0)
    issues.push({ path: [...at, "timeout"], message: "must be longer than 0" });
  if (ms !== undefined && ms > MAX_TIMEOUT_MS) {
    issues.push({ path: [...at, "timeout"], message: `must be at most 1h (got ${timeout!})` });
  }
}

function checkValue(value: unknown, path: (string | number)[], issues: ConfigIssue[]): void {
  const problem = typeof value === "number" ? valueProblem(value) : undefined;
  if (problem !== undefined) issues.push({ path, message: problem });
}

/** The namespace, metric name and dimensions against CloudWatch's rules, as the datum checks apply them. */
function checkSeriesFields(fields: Loose, at: (string | number)[], issues: ConfigIssue[]): void {
  const check = (key: string, problemOf: (text: string) => string | undefined) => {
    const text = asString(fields[key]);
    const problem = text === undefined ? undefined : problemOf(text);
    if (problem !== undefined) issues.push({ path: [...at, key], message: problem });
  };
  check("namespace", namespaceProblem);
  check("name", metricNameProblem);
  for (const [name, value] of Object.entries(asMap(fields.dimensions) ?? {})) {
    const path = [...at, "dimensions", name];
    const nameProblem = dimensionNameProblem(name);
    if (nameProblem !== undefined)
      issues.push({ path, message: `name ${JSON.stringify(name)} ${nameProblem}`, atKey: true });
    const valueIssue = typeof value === "string" ? dimensionValueProblem(value) : undefined;
    if (valueIssue !== undefined) issues.push({ path, message: valueIssue });
  }
}

function checkSchedule(
  schedule: unknown,
  zone: string,
  path: (string | number)[],
  issues: ConfigIssue[],
): void {
  if (typeof schedule !== "string" || schedule === "") return;
  // An unknown zone is reported on its own; the expression can still be checked in UTC.
  const problem = scheduleProblem(schedule, isValidTimeZone(zone) ? zone : DEFAULT_TIMEZONE);
  if (problem !== undefined) issues.push({ path, message: problem });
}

function identity(metric: MetricConfig): string {
  const dimensions = Object.entries(metric.dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([metric.namespace, metric.name, dimensions, metric.schedule.trim()]);
}

/**
 * Every problem the schema cannot see, each at the path to fix. Runs on documents that failed the
 * schema too, checking whatever parts have the right shape, so that one run reports everything.
 */
export function checkSemantics(document: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const root = asMap(document);
  if (root === undefined) return issues;
  const defaults = asMap(root.defaults) ?? {};
  checkShared(defaults, ["defaults"], issues);
  checkSeriesFields(defaults, ["defaults"], issues);
  const defaultZone = asString(defaults.timezone) ?? DEFAULT_TIMEZONE;
  checkSchedule(defaults.schedule, defaultZone, ["defaults", "schedule"], issues);
  const defaultDimensions = asMap(defaults.dimensions) ?? {};

  const delivery = asMap(root.delivery) ?? {};
  for (const key of ["retryBaseDelay", "retryMaxDelay", "requestTimeout"]) {
    const text = asString(delivery[key]);
    const ms = text === undefined ? undefined : parseDurationMs(text);
    if (ms === 0) issues.push({ path: ["delivery", key], message: "must be longer than 0" });
  }
  const base = parseDurationMs(asString(delivery.retryBaseDelay) ?? DEFAULT_RETRY_BASE_DELAY);
  const max = parseDurationMs(asString(delivery.retryMaxDelay) ?? DEFAULT_RETRY_MAX_DELAY);
  if (base !== undefined && max !== undefined && base > max) {
    issues.push({
      path: ["delivery", "retryBaseDelay"],
      message: `must not be longer than retryMaxDelay (${max} ms)`,
    });
  }

  const metrics = Array.isArray(root.metrics) ? (root.metrics as unknown[]) : [];
  metrics.forEach((entry, index) => {
    const metric = asMap(entry);
    if (metric === undefined) return;
    const at = ["metrics", index];
    checkShared(metric, at, issues);
    checkSeriesFields(metric, at, issues);
    if (metric.namespace === undefined && defaults.namespace === undefined) {
      const name = asString(metric.name);
      issues.push({
        path: at,
        message: `${name === undefined ? "metric" : `metric "${name}"`} has no namespace; set "namespace" here or in "defaults"`,
      });
    }
    const zone = asString(metric.timezone) ?? defaultZone;
    if (metric.schedule !== undefined) {
      checkSchedule(metric.schedule, zone, [...at, "schedule"], issues);
    } else if (metric.timezone !== undefined && defaults.schedule !== undefined) {
      // The default schedule is fine in its own zone; make sure it also is in this metric's.
      checkSchedule(defaults.schedule, zone, [...at, "timezone"], issues);
    }
    const dimensions = asMap(metric.dimensions);
    const dimensionCount = Object.keys({ ...defaultDimensions, ...dimensions }).length;
    if (
      dimensionCount > MAX_DIMENSIONS_PER_DATUM &&
      (dimensions === undefined || Object.keys(dimensions).length <= MAX_DIMENSIONS_PER_DATUM)
    ) {
      issues.push({
        path: dimensions !== undefined ? [...at, "dimensions"] : at,
        message: `has ${dimensionCount} dimensions after merging defaults.dimensions; CloudWatch allows at most ${MAX_DIMENSIONS_PER_DATUM}`,
      });
    }
    const source = asMap(metric.source);
    const scale = typeof metric.scale === "number" && Number.isFinite(metric.scale) ? metric.scale : 1;
    if (source?.type === "constant" && typeof source.value === "number" && Number.isFinite(source.value)) {
      checkValue(source.value * scale, [...at, "source", "value"], issues);
    }
    checkValue(metric.scale, [...at, "scale"], issues);
    const url = asString(source?.url);
    if (source?.type === "http" && url !== undefined && /^https?:\/\/\S+$/.test(url) && !URL.canParse(url)) {
      issues.push({
        path: [...at, "source", "url"],
        message: `is not a valid URL (got ${JSON.stringify(url)})`,
      });
    }
  });
  return issues;
}

/** Metrics that would publish the same series twice on the same schedule. For a valid Config. */
export function checkDuplicates(config: Config): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, number>();
  for (const metric of config.metrics) {
    const key = identity(metric);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, metric.index);
      continue;
    }
    issues.push({
      path: ["metrics", metric.index],
      message: `publishes the same namespace, name and dimensions on the same schedule as metrics[${first}] ("${metric.name}"); remove one or give them different dimensions`,
    });
  }
  return issues;
}

function buildSource(raw: RawMetric["source"]): SourceConfig {
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
      return { type: "file", path: raw.path, allowSpecialFile: raw.allowSpecialFile ?? false };
    case "http":
      return {
        type: "http",
        url: raw.url,
        jsonPath: raw.jsonPath,
        headers: Object.freeze({ ...raw.headers }),
      };
  }
}

/** The frozen Config with every default applied. Call only on a document with no issues. */
export function buildConfig(raw: RawConfig, configOrigin: string, secrets: readonly string[] = []): Config {
  const defaults = raw.defaults ?? {};
  const metrics = raw.metrics.map((metric, index): MetricConfig => {
    const timeout = metric.timeout ?? defaults.timeout ?? DEFAULT_TIMEOUT;
    return Object.freeze({
      index,
      name: metric.name,
      namespace: (metric.namespace ?? defaults.namespace)!,
      schedule: metric.schedule ?? defaults.schedule ?? DEFAULT_SCHEDULE,
      timezone: metric.timezone ?? defaults.timezone ?? DEFAULT_TIMEZONE,
      unit: metric.unit ?? defaults.unit ?? DEFAULT_UNIT,
      storageResolution: metric.storageResolution ?? defaults.storageResolution ?? DEFAULT_STORAGE_RESOLUTION,
      timeoutMs: parseDurationMs(timeout)!,
      dimensions: Object.freeze({ ...defaults.dimensions, ...metric.dimensions }),
      scale: metric.scale ?? 1,
      runOnStart: metric.runOnStart ?? defaults.runOnStart ?? false,
      source: Object.freeze(buildSource(metric.source)),
    });
  });
  const delivery = raw.delivery ?? {};
  const health = raw.health ?? {};
  return Object.freeze({
    health: Object.freeze({
      port: health.port,
      maxUndeliveredAgeMs: parseDurationMs(health.maxUndeliveredAge ?? DEFAULT_MAX_UNDELIVERED_AGE)!,
    }),
    origin: configOrigin,
    secrets: Object.freeze([...secrets]),
    metrics: Object.freeze(metrics),
    delivery: Object.freeze({
      outboxDir: delivery.outboxDir,
      maxBufferedDatums: delivery.maxBufferedDatums ?? DEFAULT_MAX_BUFFERED_DATUMS,
      fsync: delivery.fsync ?? true,
      retryBaseDelayMs: parseDurationMs(delivery.retryBaseDelay ?? DEFAULT_RETRY_BASE_DELAY)!,
      retryMaxDelayMs: parseDurationMs(delivery.retryMaxDelay ?? DEFAULT_RETRY_MAX_DELAY)!,
      requestTimeoutMs: parseDurationMs(delivery.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT)!,
    }),
  });
}
