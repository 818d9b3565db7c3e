/**
 * Runs each metric's reads on its cron schedule with one timer for the next due instant. Metrics
 * that share an expression and a zone share one cron walk, so 10,000 metrics on "* * * * * *"
 * cost one next() per tick, not 10,000. A read still going at its next tick is skipped, never doubled.
 */
import type { CronExpression } from "cron-parser";
import type { MetricConfig } from "../config/types.js";
import type { Logger } from "../log.js";
import { ReadAborted, type ValueSource } from "../sources/types.js";
import type { Stats } from "../stats.js";
import { within } from "../deadline.js";
import { parseSchedule } from "./cron.js";

/** setTimeout's longest delay; a later run (an @yearly schedule) is reached in steps. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export interface ScheduledMetric {
  readonly config: MetricConfig;
  readonly source: ValueSource;
  /** Read once at start() as well as on the schedule (heartbeat mode, `runOnStart: true`). */
  readonly runOnStart: boolean;
}

/** Receives each value read, with the instant it was scheduled for. */
export type OnValue = (metric: ScheduledMetric, value: number, scheduledAt: number) => void;

interface Job {
  readonly metric: ScheduledMetric;
  running: boolean;
}

interface Group {
  readonly schedule: string;
  readonly timezone: string;
  readonly hashSeed: string | undefined;
  readonly jobs: Job[];
  cron: CronExpression;
  nextDue: number;
}

export interface SchedulerOptions {
  readonly metrics: readonly ScheduledMetric[];
  readonly onValue: OnValue;
  readonly logger: Logger;
  readonly stats: Stats;
  /** Seeds `H` in schedules: the same host keeps its spread, different hosts differ. */
  readonly hostSeed: string;
  readonly now?: () => number;
}

export class Scheduler {
  private readonly groups: Group[] = [];
  private readonly now: () => number;
  private readonly inFlight = new Map<Promise<void>, AbortController>();
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? Date.now;
    const byKey = new Map<string, Group>();
    for (const metric of options.metrics) {
      const { schedule, timezone, namespace, name, dimensions } = metric.config;
      // H is spread per metric, so such a schedule gets a walk of its own.
      const hashSeed = schedule.includes("H")
        ? `${options.hostSeed}/${namespace}/${name}/${JSON.stringify(dimensions)}`
        : undefined;
      const key = JSON.stringify([schedule.trim(), timezone, hashSeed]);
      let group = byKey.get(key);
      if (group === undefined) {
        group = { schedule, timezone, hashSeed, jobs: [], cron: undefined as never, nextDue: 0 };
        byKey.set(key, group);
        this.groups.push(group);
      }
      group.jobs.push({ metric, running: false });
    }
  }

  /** Starts the timer; reads the runOnStart metrics at once. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.now();
    for (const group of this.groups) this.restart(group, now);
    for (const group of this.groups)
      for (const job of group.jobs) if (job.metric.runOnStart) this.run(job, now);
    this.arm();
  }

  /** Reads every metric once now, as `once` does; resolves when every read has finished. */
  async runAllOnce(): Promise<void> {
    const now = this.now();
    for (const group of this.groups) for (const job of group.jobs) this.run(job, now);
    await this.settle();
  }

  /** Started and not stopped: its timer is armed. */
  get running(): boolean {
    return this.started && !this.stopped;
  }

  /** The next instant any metric is due (for tests and the health check). */
  get nextDue(): number | undefined {
    return this.groups.length === 0 ? undefined : Math.min(...this.groups.map((g) => g.nextDue));
  }

  /** Stops the timer and waits up to timeoutMs for reads in flight; those still going are aborted. */
  async stop(timeoutMs = 5_000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight.size === 0) return;
    await within(this.settle(), timeoutMs);
    for (const controller of this.inFlight.values()) controller.abort(new ReadAborted("shutdown"));
    await this.settle();
  }

  private async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled(this.inFlight.keys());
  }

  private restart(group: Group, from: number): void {
    group.cron = parseSchedule(group.schedule, {
      timezone: group.timezone,
      from: new Date(from),
      ...(group.hashSeed === undefined ? {} : { hashSeed: group.hashSeed }),
    });
    group.nextDue = group.cron.next().getTime();
  }

  private arm(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const due = this.nextDue;
    if (due === undefined) return;
    const delay = Math.min(Math.max(due - this.now(), 0), MAX_TIMER_DELAY_MS);
    this.timer = setTimeout(() => {
      this.tick();
    }, delay);
    this.timer.unref();
  }

  private tick(): void {
    const now = this.now();
    for (const group of this.groups) {
      if (group.nextDue > now) continue;
      const due = group.nextDue;
      // The reads of a group start together (synchronous ones back to back): one lateness for all.
      this.options.stats.lateness.record(now - due, group.jobs.length);
      for (const job of group.jobs) this.run(job, due);
      group.nextDue = group.cron.next().getTime();
      if (group.nextDue <= now) {
        // Woken late (a suspended host, a blocked loop): skip the runs already missed rather than burst.
        this.options.logger.warn(
          `schedule "${group.schedule}" fell ${now - due} ms behind; skipping to its next run after now`,
        );
        this.restart(group, now);
      }
    }
    this.arm();
  }

  private run(job: Job, scheduledAt: number): void {
    const { metric } = job;
    const { logger, stats, onValue } = this.options;
    if (job.running) {
      stats.skippedRuns++;
      logger.warn(
        `metric "${metric.config.name}": previous read still running; skipped the run due at ${new Date(scheduledAt).toISOString()}`,
      );
      return;
    }
    if (metric.source.readNow !== undefined) {
      // A read that cannot block: no promise, no timer, no AbortSignal.
      try {
        onValue(metric, metric.source.readNow(), scheduledAt);
      } catch (error) {
        this.readFailed(metric, error);
      }
      return;
    }
    job.running = true;
    const controller = new AbortController();
    const timeout = setTimeout(() => {
      controller.abort(new ReadAborted("timeout"));
    }, metric.config.timeoutMs);
    const read = metric.source
      .read(controller.signal)
      .then(
        (value) => {
          onValue(metric, value, scheduledAt);
        },
        (error: unknown) => {
          this.readFailed(metric, error);
        },
      )
      .finally(() => {
        clearTimeout(timeout);
        job.running = false;
        this.inFlight.delete(read);
      });
    this.inFlight.set(read, controller);
  }

  private readFailed(metric: ScheduledMetric, error: unknown): void {
    this.options.stats.readFailures++;
    const reason = error instanceof Error ? error.message : String(error);
    this.options.logger.warn(`metric "${metric.config.name}": ${reason}`, { metric: metric.config.name });
  }
}
