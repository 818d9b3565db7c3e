/**
 * Metrics grouped by what their schedule is: those that share an expression and a zone share one cron
 * walk, so 10,000 metrics on "* * * * * *" cost one next() per tick, not 10,000.
 */
import type { CronExpression } from "cron-parser";
import { parseSchedule } from "../config/cron.js";
import type { ScheduledMetric } from "./scheduler.js";

export interface Job {
  readonly metric: ScheduledMetric;
  running: boolean;
}

export interface Group {
  readonly schedule: string;
  readonly timezone: string;
  readonly hashSeed: string | undefined;
  readonly jobs: Job[];
  /** Set by planFrom(), before the group is first used. */
  cron: CronExpression;
  nextDue: number;
}

export function groupBySchedule(metrics: readonly ScheduledMetric[], hostSeed: string): Group[] {
  const groups: Group[] = [];
  const byKey = new Map<string, Group>();
  for (const metric of metrics) {
    const { schedule, timezone, namespace, name, dimensions } = metric.config;
    // H is spread per metric, so such a schedule gets a walk of its own.
    const hashSeed = schedule.includes("H")
      ? `${hostSeed}/${namespace}/${name}/${JSON.stringify(dimensions)}`
      : undefined;
    const key = keyOf({ schedule, timezone, hashSeed });
    let group = byKey.get(key);
    if (group === undefined) {
      group = { schedule, timezone, hashSeed, jobs: [], cron: undefined as never, nextDue: 0 };
      byKey.set(key, group);
      groups.push(group);
    }
    group.jobs.push({ metric, running: false });
  }
  return groups;
}

const keyOf = (group: Pick<Group, "schedule" | "timezone" | "hashSeed">): string =>
  JSON.stringify([group.schedule.trim(), group.timezone, group.hashSeed]);

/**
 * The groups for a reloaded list of metrics. A metric that was there before (the same object) keeps
 * its job, so a read in flight still counts as running; a group whose schedule existed before keeps
 * its walk and next instant, so its metrics miss no run and run none twice. A new schedule is planned
 * from `now`. Returns the jobs of metrics that were not there before.
 */
export function regroup(
  old: readonly Group[],
  metrics: readonly ScheduledMetric[],
  hostSeed: string,
  now: number,
): { groups: Group[]; added: Job[] } {
  const jobs = new Map(old.flatMap((group) => group.jobs.map((job) => [job.metric, job] as const)));
  const timing = new Map(old.map((group) => [keyOf(group), group]));
  const groups = groupBySchedule(metrics, hostSeed);
  const added: Job[] = [];
  for (const group of groups) {
    group.jobs.forEach((job, i) => {
      const kept = jobs.get(job.metric);
      if (kept === undefined) added.push(job);
      else group.jobs[i] = kept;
    });
    const before = timing.get(keyOf(group));
    if (before === undefined) planFrom(group, now);
    else Object.assign(group, { cron: before.cron, nextDue: before.nextDue });
  }
  return { groups, added };
}

/** Starts the group's walk again from `from`: its next run is the first instant after it. */
export function planFrom(group: Group, from: number): void {
  group.cron = parseSchedule(group.schedule, {
    timezone: group.timezone,
    from: new Date(from),
    ...(group.hashSeed === undefined ? {} : { hashSeed: group.hashSeed }),
  });
  group.nextDue = group.cron.next().getTime();
}
