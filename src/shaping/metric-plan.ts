/**
 * One metric of a config as the cost estimate sees it: its series and how often it publishes,
 * from its schedule walked over a 30-day month (schedule-volume.ts). Metrics sharing a schedule,
 * zone and aggregation period share one walk. `H` is walked with one fixed seed (COST_HASH_SEED)
 * rather than each metric's: where in the minute or hour H lands does not change how often it
 * fires, and 1,000 metrics on "H * * * *" then cost one walk, not 1,000.
 */

export const COST_HASH_SEED = "cost-estimate";
import type { MetricPlan } from "./cost-estimate.js";
import type { MetricConfig } from "../config/types.js";
import { seriesKey } from "../cloudwatch/series-key.js";
import { rollupDimensions } from "./rollups.js";
import { scheduleVolume, type ScheduleVolume } from "./schedule-volume.js";

export interface PlanInput {
  readonly label: string;
  readonly namespace: string;
  /** The metric's series keys, rollups included. */
  readonly series: readonly string[];
  readonly schedule: string;
  readonly timezone: string;
  /** The aggregation period, when the metric aggregates. */
  readonly aggregatePeriodMs?: number;
}

/** Builds plans; `from` starts the month walked (the same month for every metric). */
export function metricPlans(inputs: readonly PlanInput[], from: Date): MetricPlan[] {
  const walks = new Map<string, ScheduleVolume>();
  return inputs.map((input) => {
    const key = JSON.stringify([input.schedule.trim(), input.timezone, input.aggregatePeriodMs]);
    let volume = walks.get(key);
    if (volume === undefined) {
      volume = scheduleVolume(input.schedule, {
        timezone: input.timezone,
        from,
        hashSeed: COST_HASH_SEED,
        ...(input.aggregatePeriodMs === undefined ? {} : { periodMs: input.aggregatePeriodMs }),
      });
      walks.set(key, volume);
    }
    const aggregated = input.aggregatePeriodMs !== undefined;
    return {
      label: input.label,
      namespace: input.namespace,
      series: input.series,
      // With H, each metric fires at instants of its own, so it shares no request with the others.
      publishGroup: aggregated
        ? `aggregate:${input.aggregatePeriodMs}`
        : `schedule:${key}${input.schedule.includes("H") ? `:${input.label}` : ""}`,
      publishesPerMonth: aggregated ? volume.periods : volume.reads,
      activeHoursPerMonth: volume.activeHours,
      minutesIfAggregated:
        !aggregated && volume.reads > volume.activeMinutes ? volume.activeMinutes : undefined,
    };
  });
}

/** A config's metrics as the estimate's inputs: each with its own series and its rollups' series. */
export function planInputs(metrics: readonly MetricConfig[]): PlanInput[] {
  return metrics.map((metric) => {
    const keyOf = (dimensions: Readonly<Record<string, string>>) =>
      seriesKey({
        namespace: metric.namespace,
        name: metric.name,
        dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
      });
    const series = [metric.dimensions, ...rollupDimensions(metric.dimensions, metric.rollups)].map(keyOf);
    return {
      label: `metrics[${metric.index}] "${metric.name}"`,
      namespace: metric.namespace,
      series,
      schedule: metric.schedule,
      timezone: metric.timezone,
      ...(metric.aggregate === undefined ? {} : { aggregatePeriodMs: metric.aggregate.periodMs }),
    };
  });
}
