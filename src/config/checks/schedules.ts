/** The cron expressions, each checked in the time zone it will be read in. */
import { scheduleProblem } from "../cron.js";
import type { ConfigIssue } from "../issue.js";
import type { ConfigPath } from "../path.js";
import { isValidTimeZone } from "../timezone.js";
import { DEFAULT_TIMEZONE } from "../types.js";
import { asString, type MetricView, type Scope } from "../view.js";

function scheduleIssues(schedule: unknown, zone: string, path: ConfigPath): ConfigIssue[] {
  if (typeof schedule !== "string" || schedule === "") return [];
  // An unknown zone is reported on its own; the expression can still be checked in UTC.
  const problem = scheduleProblem(schedule, isValidTimeZone(zone) ? zone : DEFAULT_TIMEZONE);
  return problem === undefined ? [] : [{ path, message: problem }];
}

/** `defaults.schedule`, in the defaults' zone. */
export function checkDefaultSchedule({ at, raw }: Scope): ConfigIssue[] {
  return scheduleIssues(raw.schedule, asString(raw.timezone) ?? DEFAULT_TIMEZONE, [...at, "schedule"]);
}

/**
 * A metric's own schedule in its zone; or, when it sets only a zone, the default schedule in that
 * zone (fine in its own zone, it may not be in this one), reported at the zone.
 */
export function checkSchedule(metric: MetricView, defaults: Scope): ConfigIssue[] {
  const { at, raw } = metric;
  if (raw.schedule !== undefined) return scheduleIssues(raw.schedule, metric.timezone, [...at, "schedule"]);
  if (raw.timezone !== undefined && defaults.raw.schedule !== undefined)
    return scheduleIssues(defaults.raw.schedule, metric.timezone, [...at, "timezone"]);
  return [];
}
