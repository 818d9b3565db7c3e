/**
 * Heartbeat mode: a config built from environment variables alone, validated exactly like a file,
 * with each error naming the variable to fix.
 */
import { ENV_ORIGIN, pathKey, withEnvironmentSettings } from "./environment-settings.js";
import type { Environment } from "../environment.js";
import { locateIssue, type ConfigError, type ConfigIssue } from "./issue.js";
import { interpolate } from "./interpolate.js";
import type { LoadResult, PlaceholderSite } from "./load.js";
import type { PlatformValues } from "./placeholders.js";
import { validateDocument } from "./validate.js";

export const HEARTBEAT_DEFAULTS = {
  METRIC_NAMESPACE: "CloudWatchPublisher",
  METRIC_NAME: "Heartbeat",
  METRIC_VALUE: "1",
  METRIC_UNIT: "Count",
  SCHEDULE: "* * * * *",
} as const;

export { ENV_ORIGIN };

/** Which variable sets which field of the one heartbeat metric. */
const VARIABLE_AT: readonly [string, string][] = [
  ["namespace", "METRIC_NAMESPACE"],
  ["name", "METRIC_NAME"],
  ["unit", "METRIC_UNIT"],
  ["schedule", "SCHEDULE"],
  ["dimensions", "METRIC_DIMENSIONS"],
  ["source", "METRIC_VALUE"],
];

function variableFor(issue: ConfigIssue, settings: Map<string, string>): string {
  const setting = settings.get(pathKey(issue.path));
  if (setting !== undefined) return setting;
  const field = issue.path[2];
  return VARIABLE_AT.find(([key]) => key === field)?.[1] ?? "METRIC_NAME";
}

/** An unset or empty variable takes its default, so `-e METRIC_UNIT=` behaves like leaving it out. */
function setting(env: Environment, name: keyof typeof HEARTBEAT_DEFAULTS): string {
  const value = env[name];
  return value === undefined || value === "" ? HEARTBEAT_DEFAULTS[name] : value;
}

/** `Key=Value,Key2=Value2` → a map; a malformed entry is an issue. */
function parseDimensions(text: string, issues: ConfigIssue[]): Record<string, string> {
  const dimensions: Record<string, string> = {};
  for (const entry of text.split(",")) {
    if (entry.trim() === "") continue;
    const equals = entry.indexOf("=");
    if (equals <= 0) {
      issues.push({
        path: ["metrics", 0, "dimensions"],
        message: `entry ${JSON.stringify(entry.trim())} is not Key=Value; write Key=Value,Key2=Value2`,
      });
      continue;
    }
    dimensions[entry.slice(0, equals).trim()] = entry.slice(equals + 1).trim();
  }
  return dimensions;
}

/**
 * `${aws:...}`/`${ecs:...}` (and `${VAR}`) in the values of METRIC_DIMENSIONS, as in a config file's
 * strings: `TaskId=${ecs:TaskId}` gives each ECS task its own heartbeat.
 */
function substituteDimensions(
  dimensions: Record<string, string>,
  env: Environment,
  platform: PlatformValues | undefined,
  issues: ConfigIssue[],
  sites: PlaceholderSite[],
): Record<string, string> {
  const substituted: Record<string, string> = {};
  for (const [name, text] of Object.entries(dimensions)) {
    const result = interpolate(text, env, platform);
    if (!result.ok) {
      issues.push({ path: ["metrics", 0, "dimensions", name], message: result.message });
      continue;
    }
    substituted[name] = result.value;
    for (const use of result.placeholders) sites.push({ ...use, where: "METRIC_DIMENSIONS" });
  }
  return substituted;
}

/** `platform`: the placeholder values read at start (config/placeholders.ts). */
export function heartbeatConfig(env: Environment, platform?: PlatformValues): LoadResult {
  const issues: ConfigIssue[] = [];
  const sites: PlaceholderSite[] = [];
  const valueText = setting(env, "METRIC_VALUE");
  const value = Number(valueText);
  if (valueText.trim() === "" || !Number.isFinite(value)) {
    issues.push({
      path: ["metrics", 0, "source"],
      message: `must be a finite number (got ${JSON.stringify(valueText)})`,
    });
  }
  const { document, variables } = withEnvironmentSettings(
    {
      metrics: [
        {
          name: setting(env, "METRIC_NAME"),
          namespace: setting(env, "METRIC_NAMESPACE"),
          unit: setting(env, "METRIC_UNIT"),
          schedule: setting(env, "SCHEDULE"),
          dimensions: substituteDimensions(
            parseDimensions(env.METRIC_DIMENSIONS ?? "", issues),
            env,
            platform,
            issues,
            sites,
          ),
          runOnStart: true,
          source: { type: "constant", value: Number.isFinite(value) ? value : 0 },
        },
      ],
    },
    env,
  );
  const result = validateDocument(document, ENV_ORIGIN);
  const all = [...issues, ...(result.ok ? [] : result.issues)];
  if (all.length === 0 && result.ok) return sites.length === 0 ? result : { ...result, placeholders: sites };
  const errors: ConfigError[] = all.map((issue) =>
    locateIssue(ENV_ORIGIN, issue, () => ({ variable: variableFor(issue, variables) })),
  );
  return { ok: false, errors };
}
