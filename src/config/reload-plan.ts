/**
 * What a reload changes (pure): the running config against the new one, both built and valid. A
 * metric is the same metric when its namespace, name and dimensions are the same (CloudWatch's own
 * identity of a series); it is unchanged when every other field is equal too, its place in the file
 * (`index`) aside, so moving a metric in the file restarts nothing. Settings that cannot change while
 * running (the outbox directory, the output) make the plan a refusal, with the reason.
 */
import type { Config, MetricConfig } from "./types.js";

export interface MetricChange {
  readonly before: MetricConfig;
  readonly after: MetricConfig;
  /** The fields that differ, e.g. ["schedule", "source"]. */
  readonly fields: readonly string[];
}

export interface ReloadPlan {
  readonly added: readonly MetricConfig[];
  readonly removed: readonly MetricConfig[];
  /** Same identity, some field differs: stop the old one after its read, start the new one. */
  readonly changed: readonly MetricChange[];
  /** Keep running, with their schedule, baselines and windows; `after` carries the new `index`. */
  readonly unchanged: readonly { readonly before: MetricConfig; readonly after: MetricConfig }[];
  /** Settings outside `metrics` that differ and can be applied live (e.g. "delivery.retryMaxDelayMs"). */
  readonly settings: readonly string[];
  /** Why this reload must not be applied (a restart is needed); empty when it may be. */
  readonly refusals: readonly string[];
}

/** Settings a running publisher cannot change: the outbox's files and where datums go. */
export const RESTART_ONLY_SETTINGS = ["delivery.outboxDir", "output"] as const;

/** JSON with object keys sorted, so equal values give equal text whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The series identity: namespace, name and dimensions (in any order). */
export function metricKey(metric: Pick<MetricConfig, "namespace" | "name" | "dimensions">): string {
  return canonical([metric.namespace, metric.name, metric.dimensions]);
}

/** `MyApp/disk_free{Host=web-1}`: how log lines name a metric. */
export function metricLabel(metric: Pick<MetricConfig, "namespace" | "name" | "dimensions">): string {
  const dimensions = Object.entries(metric.dimensions).map(([k, v]) => `${k}=${v}`);
  return `${metric.namespace}/${metric.name}${dimensions.length > 0 ? `{${dimensions.join(",")}}` : ""}`;
}

function differingFields(before: MetricConfig, after: MetricConfig): string[] {
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  fields.delete("index");
  return [...fields]
    .filter((f) => canonical(before[f as keyof MetricConfig]) !== canonical(after[f as keyof MetricConfig]))
    .sort();
}

/** A setting's value by its dotted path, or undefined when the config has no such setting. */
function settingAt(config: Config, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], config);
}

function settingText(config: Config, path: string): string {
  const value = settingAt(config, path);
  return value === undefined ? "(unset)" : canonical(value);
}

/** The config without its metrics and without what describes it rather than sets it. */
function settingsOf(config: Config): Record<string, unknown> {
  const notSettings = new Set(["metrics", "origin", "secrets"]);
  return Object.fromEntries(Object.entries(config).filter(([key]) => !notSettings.has(key)));
}

/** Dotted paths of the leaves outside `metrics` where the two configs differ. */
function differingSettings(before: unknown, after: unknown, prefix: string): string[] {
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isRecord(before) || !isRecord(after)) return canonical(before) === canonical(after) ? [] : [prefix];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.flatMap((key) =>
    differingSettings(before[key], after[key], prefix === "" ? key : `${prefix}.${key}`),
  );
}

export function planReload(before: Config, after: Config): ReloadPlan {
  const waiting = new Map<string, MetricConfig[]>();
  for (const metric of before.metrics) {
    const key = metricKey(metric);
    waiting.set(key, [...(waiting.get(key) ?? []), metric]);
  }
  const added: MetricConfig[] = [];
  const changed: MetricChange[] = [];
  const unchanged: { before: MetricConfig; after: MetricConfig }[] = [];
  for (const metric of after.metrics) {
    // Validation refuses duplicate series; should two share a key anyway, they pair up in file order.
    const old = waiting.get(metricKey(metric))?.shift();
    if (old === undefined) added.push(metric);
    else {
      const fields = differingFields(old, metric);
      if (fields.length === 0) unchanged.push({ before: old, after: metric });
      else changed.push({ before: old, after: metric, fields });
    }
  }
  const removed = [...waiting.values()].flat().sort((a, b) => a.index - b.index);
  const differing = differingSettings(settingsOf(before), settingsOf(after), "");
  const restartOnly = (path: string) =>
    RESTART_ONLY_SETTINGS.some((s) => path === s || path.startsWith(`${s}.`));
  const refusals = RESTART_ONLY_SETTINGS.filter((s) =>
    differing.some((path) => path === s || path.startsWith(`${s}.`)),
  ).map(
    (setting) =>
      `${setting} changed from ${settingText(before, setting)} to ${settingText(after, setting)}; ` +
      "it cannot change while running: restart to apply it",
  );
  return { added, removed, changed, unchanged, settings: differing.filter((p) => !restartOnly(p)), refusals };
}

/** One line for the log: `2 added (MyApp/a, MyApp/b); 1 changed (MyApp/c: schedule); 4 unchanged`. */
export function describeReload(plan: ReloadPlan): string {
  const list = (metrics: readonly MetricConfig[]) => metrics.map(metricLabel).join(", ");
  const parts = [
    plan.added.length > 0 ? `${plan.added.length} added (${list(plan.added)})` : undefined,
    plan.removed.length > 0 ? `${plan.removed.length} removed (${list(plan.removed)})` : undefined,
    plan.changed.length > 0
      ? `${plan.changed.length} changed (${plan.changed.map((c) => `${metricLabel(c.after)}: ${c.fields.join(", ")}`).join("; ")})`
      : undefined,
    plan.settings.length > 0 ? `settings changed: ${plan.settings.join(", ")}` : undefined,
    `${plan.unchanged.length} unchanged`,
  ];
  return parts.filter((p) => p !== undefined).join("; ");
}
