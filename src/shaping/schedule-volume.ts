/**
 * How often a cron schedule fires in a month (30 days, as CloudWatch's price list counts one), and
 * what that means for publishing: reads, the minutes and hours that hold at least one read, and the
 * aggregation periods that do. Walks the schedule with the publisher's own cron dialect
 * (parseSchedule), one next() per hour of the zone's clock that fires rather than per read, so a
 * schedule firing every second costs about 720 steps, not 2.6 million. Hours in which the zone's
 * offset changes (summer time) are walked minute by minute.
 */
import type { CronExpression } from "cron-parser";
import { parseSchedule } from "../config/cron.js";

/** A month as the cost estimate counts it: 30 days. */
export const MONTH_MS = 30 * 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

export interface ScheduleVolume {
  /** Reads in the month. */
  readonly reads: number;
  /** Distinct minutes holding a read: the datums a 1-minute aggregate would publish. */
  readonly activeMinutes: number;
  /** Distinct hours holding a read: CloudWatch prorates a metric's price by the hour it receives data. */
  readonly activeHours: number;
  /** Distinct periods of `periodMs` (aligned to the epoch) holding a read; equal to reads without one. */
  readonly periods: number;
}

export interface VolumeOptions {
  readonly timezone: string;
  /** The month counted starts at the hour holding this instant. */
  readonly from: Date;
  readonly hashSeed?: string;
  /** The aggregation period, if the metric aggregates. */
  readonly periodMs?: number;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in ms ("GMT+05:30" → 19,800,000). */
function zoneOffsetMs(timezone: string, instant: number): number {
  if (timezone === "UTC") return 0;
  let format = offsetFormats.get(timezone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: timezone, timeZoneName: "longOffset" });
    offsetFormats.set(timezone, format);
  }
  const name = format.formatToParts(instant).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (match === null) return 0;
  const ms = (Number(match[2]) * 60 + Number(match[3])) * MINUTE_MS;
  return match[1] === "-" ? -ms : ms;
}

/** The next fire as ms since the epoch, or undefined when the schedule has none (cron-parser throws then). */
function nextFire(cron: CronExpression): number | undefined {
  try {
    return cron.next().getTime();
  } catch {
    return undefined;
  }
}

/** A year as a sparse schedule is averaged over. */
export const YEAR_MS = 365 * 24 * HOUR_MS;
/**
 * A schedule that fires fewer times than this in the 30 days walked (@weekly, @monthly, @yearly) is
 * walked over a year and averaged: a @yearly metric costs 30/365 of its reads a month, not 0 or 1
 * depending on whether January falls in the 30 days after today.
 */
export const SPARSE_READS_PER_MONTH = 30;

export function scheduleVolume(schedule: string, options: VolumeOptions): ScheduleVolume {
  const month = walk(schedule, options, MONTH_MS);
  if (month.reads >= SPARSE_READS_PER_MONTH) return month;
  const year = walk(schedule, options, YEAR_MS);
  const share = MONTH_MS / YEAR_MS;
  return {
    reads: year.reads * share,
    activeMinutes: year.activeMinutes * share,
    activeHours: year.activeHours * share,
    periods: year.periods * share,
  };
}

/** The volume over `spanMs` from the hour holding options.from. */
function walk(schedule: string, options: VolumeOptions, spanMs: number): ScheduleVolume {
  const start = Math.floor(options.from.getTime() / HOUR_MS) * HOUR_MS;
  const end = start + spanMs;
  const cron = parseSchedule(schedule, {
    timezone: options.timezone,
    from: new Date(start - 1),
    ...(options.hashSeed === undefined ? {} : { hashSeed: options.hashSeed }),
  });
  const seconds = cron.fields.second.values.map(Number).sort((a, b) => a - b);
  const minutes = cron.fields.minute.values.map(Number).sort((a, b) => a - b);
  // Where in an hour the schedule fires, when it fires in that hour at all.
  const inHour = minutes.flatMap((m) => seconds.map((s) => m * MINUTE_MS + s * 1000));
  const periodMs = options.periodMs;
  let reads = 0;
  let activeMinutes = 0;
  let activeHours = 0;
  let periods = 0;
  let lastMinute = NaN;
  let lastHour = NaN;
  let lastPeriod = NaN;
  const count = (fire: number): void => {
    reads++;
    const minute = Math.floor(fire / MINUTE_MS);
    if (minute !== lastMinute) {
      lastMinute = minute;
      activeMinutes++;
    }
    const hour = Math.floor(fire / HOUR_MS);
    if (hour !== lastHour) {
      lastHour = hour;
      activeHours++;
    }
    const period = periodMs === undefined ? reads : Math.floor(fire / periodMs);
    if (period !== lastPeriod) {
      lastPeriod = period;
      periods++;
    }
  };
  let fire = nextFire(cron);
  while (fire !== undefined && fire < end) {
    // The hour of the zone's clock holding the fire, as an instant: where its minute 0 begins.
    const offset = zoneOffsetMs(options.timezone, fire);
    const hour = Math.floor((fire + offset) / HOUR_MS) * HOUR_MS - offset;
    // When the offset does not change within that hour, all of the hour's minute and second
    // fields fire, as its first one did.
    const regular =
      zoneOffsetMs(options.timezone, hour) === offset &&
      zoneOffsetMs(options.timezone, hour + HOUR_MS - 1) === offset &&
      fire === hour + inHour[0]!;
    if (regular) {
      for (const at of inHour) if (hour + at < end) count(hour + at);
      cron.reset(new Date(hour + HOUR_MS - 1));
    } else {
      // The offset changes within this hour: minute by minute, each minute's seconds alike.
      while (fire !== undefined && fire < Math.min(hour + HOUR_MS, end)) {
        const minute = Math.floor(fire / MINUTE_MS) * MINUTE_MS;
        if (fire === minute + seconds[0]! * 1000) {
          for (const s of seconds) count(minute + s * 1000);
          cron.reset(new Date(minute + MINUTE_MS - 1));
        } else {
          count(fire);
        }
        fire = nextFire(cron);
      }
      continue;
    }
    fire = nextFire(cron);
  }
  return { reads, activeMinutes, activeHours, periods };
}
