/**
 * One metric of a config as the cost estimate sees it: its series and how often it publishes,
 * from its schedule walked over a 30-day month (schedule-volume.ts). Metrics sharing a schedule,
 * zone and aggregation period share one walk.
 */
import type { MetricPlan } from "./cost-estimate.js";
import { scheduleVolume, type ScheduleVolume } from "./schedule-volume.js";

export interface PlanInput {
  readonly label: string;
  readonly namespace: string;
  /** The metric's series keys, rollups included. */
  readonly series: readonly string[];
  readonly schedule: string;
  readonly timezone: string;
  /** Seeds `H` as the scheduler does; the count rarely depends on it. */
  readonly hashSeed?: string;
  /** The aggregation period, when the metric aggregates. */
  readonly aggregatePeriodMs?: number;
}

/** Builds plans; `from` starts the month walked (the same month for every metric). */
export function metricPlans(inputs: readonly PlanInput[], from: Date): MetricPlan[] {
  const walks = new Map<string, ScheduleVolume>();
  return inputs.map((input) => {
    const key = JSON.stringify([
      input.schedule.trim(),
      input.timezone,
      input.hashSeed,
      input.aggregatePeriodMs,
    ]);
    let volume = walks.get(key);
    if (volume === undefined) {
      volume = scheduleVolume(input.schedule, {
        timezone: input.timezone,
        from,
        ...(input.hashSeed === undefined ? {} : { hashSeed: input.hashSeed }),
        ...(input.aggregatePeriodMs === undefined ? {} : { periodMs: input.aggregatePeriodMs }),
      });
      walks.set(key, volume);
    }
    const aggregated = input.aggregatePeriodMs !== undefined;
    return {
      label: input.label,
      namespace: input.namespace,
      series: input.series,
      publishGroup: aggregated ? `aggregate:${input.aggregatePeriodMs}` : `schedule:${key}`,
      publishesPerMonth: aggregated ? volume.periods : volume.reads,
      activeHoursPerMonth: volume.activeHours,
      minutesIfAggregated:
        !aggregated && volume.reads > volume.activeMinutes ? volume.activeMinutes : undefined,
    };
  });
}
