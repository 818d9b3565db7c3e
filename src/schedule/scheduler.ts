/**
 * Runs each metric's reads on its cron schedule with one timer for the next due instant, one cron walk
 * per group of metrics (groups.ts). A read still going at its next tick is skipped, never doubled.
 */
import type { MetricConfig } from "../config/types.js";
import type { Logger } from "../log.js";
import { ReadAborted, type Reading, type ValueSource } from "../sources/types.js";
import { ReadFailures } from "./read-failures.js";
import type { Stats } from "../pipeline/stats.js";
import { within } from "../common/deadline.js";
import { groupBySchedule, planFrom, regroup, type Group, type Job } from "./groups.js";

/**
 * The timer never sleeps longer than this, so that a change of the wall clock is noticed within it
 * (and a run further away than setTimeout's longest delay, @yearly, is reached in steps).
 */
export const CLOCK_CHECK_INTERVAL_MS = 10_000;
/** A difference this large between the wall clock's and the monotonic clock's progress is a jump. */
export const CLOCK_JUMP_THRESHOLD_MS = 1_000;
/** After aborting a read at its timeout, how long it may take to end before it is abandoned. */
export const ABANDON_AFTER_ABORT_MS = 1_000;

export interface ScheduledMetric {
  readonly config: MetricConfig;
  readonly source: ValueSource;
  /** Read once at start() as well as on the schedule (heartbeat mode, `runOnStart: true`). */
  readonly runOnStart: boolean;
}

/** Receives each reading (a number, or several series), with the instant it was scheduled for. */
export type OnValue = (metric: ScheduledMetric, value: Reading, scheduledAt: number) => void;

export interface SchedulerOptions {
  readonly metrics: readonly ScheduledMetric[];
  readonly onValue: OnValue;
  readonly logger: Logger;
  readonly stats: Stats;
  /** Seeds `H` in schedules: the same host keeps its spread, different hosts differ. */
  readonly hostSeed: string;
  /** The wall clock (ms since the epoch): schedules and timestamps. */
  readonly now?: () => number;
  /** A monotonic clock (ms): what the timer really waits by; a jump of the wall clock is measured against it. */
  readonly monotonic?: () => number;
}

export class Scheduler {
  private groups: readonly Group[];
  private readonly now: () => number;
  private readonly monotonic: () => number;
  private readonly inFlight = new Map<Promise<void>, AbortController>();
  private readonly failures: ReadFailures;
  private timer: NodeJS.Timeout | undefined;
  /** When (monotonic) the armed timer is due to fire. */
  private wakeAt = 0;
  /** The wall clock minus the monotonic clock at the last look: its change is a jump. */
  private wallOffset = 0;
  private started = false;
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? Date.now;
    this.monotonic = options.monotonic ?? (() => performance.now());
    this.groups = groupBySchedule(options.metrics, options.hostSeed);
    this.failures = new ReadFailures(options.logger, options.stats);
  }

  /** Starts the timer; reads the runOnStart metrics at once. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.now();
    this.wallOffset = now - this.monotonic();
    for (const group of this.groups) planFrom(group, now);
    for (const group of this.groups)
      for (const job of group.jobs) if (job.metric.runOnStart) this.run(job, now);
    this.arm();
  }

  /** A reload: these metrics from now on (regroup() says what keeps its timing); new runOnStart ones read now. */
  replaceMetrics(metrics: readonly ScheduledMetric[]): void {
    const { groups, added } = regroup(this.groups, metrics, this.options.hostSeed, this.now());
    this.groups = groups;
    if (!this.running) return;
    for (const job of added) if (job.metric.runOnStart) this.run(job, this.now());
    this.arm();
  }
  /** Reads every metric once now, as `once` does; resolves when every read has finished. */
  async runAllOnce(): Promise<void> {
    const now = this.now();
    for (const group of this.groups) for (const job of group.jobs) this.run(job, now);
    await this.settle();
  }
  get running(): boolean {
    return this.started && !this.stopped;
  }
  /** How long past its due time the timer has not fired (0 normally), for the health check. */
  get overdueMs(): number {
    if (!this.running || this.timer === undefined) return 0;
    return Math.max(0, this.monotonic() - this.wakeAt);
  }
  /** The next instant any metric is due (for tests). */
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
    // A read that ignores its abort is abandoned rather than waited for.
    await within(this.settle(), ABANDON_AFTER_ABORT_MS);
  }

  private async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled(this.inFlight.keys());
  }
  private arm(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const due = this.nextDue;
    if (due === undefined) return;
    const delay = Math.min(Math.max(due - this.now(), 0), CLOCK_CHECK_INTERVAL_MS);
    this.wakeAt = this.monotonic() + delay;
    this.timer = setTimeout(() => {
      this.tick();
    }, delay);
    this.timer.unref();
  }

  /** The wall clock's jump since the last look, against the monotonic clock: 0 when it kept pace. */
  private clockJump(now: number): number {
    const offset = now - this.monotonic();
    const jump = offset - this.wallOffset;
    this.wallOffset = offset;
    return Math.abs(jump) >= CLOCK_JUMP_THRESHOLD_MS ? jump : 0;
  }

  /**
   * After a jump, what was due by the monotonic clock runs now, stamped with the same instant on the
   * new clock, and every schedule is planned again from the new time: no run is lost or doubled
   * beyond one interval, and a backward jump never stops collection until the old time comes back.
   */
  private replan(now: number, jump: number): void {
    this.options.logger.warn(
      `the wall clock jumped ${jump > 0 ? "forward" : "back"} by ${(Math.abs(jump) / 1000).toFixed(1)} s against the monotonic clock (a clock change, or a suspended host); every schedule is planned again from ${new Date(now).toISOString()}`,
    );
    const before = now - jump;
    for (const group of this.groups) {
      if (group.nextDue <= before)
        for (const job of group.jobs) this.run(job, Math.min(group.nextDue + jump, now));
      planFrom(group, now);
    }
  }

  private tick(): void {
    const now = this.now();
    const jump = this.clockJump(now);
    if (jump !== 0) {
      this.replan(now, jump);
      this.arm();
      return;
    }
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
        planFrom(group, now);
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
        this.failures.failed(metric.config.name, error);
      }
      return;
    }
    job.running = true;
    const controller = new AbortController();
    let abandoned = false;
    let abandon: (() => void) | undefined;
    let abandonTimer: NodeJS.Timeout | undefined;
    const timeout = setTimeout(() => {
      controller.abort(new ReadAborted("timeout"));
      // A source that does not end when aborted is abandoned: its next runs are skipped until it ends, nothing waits for it.
      abandonTimer = setTimeout(() => abandon?.(), ABANDON_AFTER_ABORT_MS);
    }, metric.config.timeoutMs);
    const ended = metric.source.read(controller.signal, scheduledAt).then(
      (value) => {
        if (!abandoned) onValue(metric, value, scheduledAt);
      },
      (error: unknown) => {
        if (!abandoned) this.failures.failed(metric.config.name, error);
      },
    );
    void ended.finally(() => {
      clearTimeout(timeout);
      clearTimeout(abandonTimer);
      job.running = false;
    });
    const read: Promise<void> = Promise.race([
      ended,
      new Promise<void>((resolve) => {
        abandon = () => {
          abandoned = true;
          this.failures.failed(
            metric.config.name,
            new Error(
              `the read did not end within ${ABANDON_AFTER_ABORT_MS} ms of its timeout (${metric.config.timeoutMs} ms); abandoned it, and its next runs are skipped until it ends`,
            ),
          );
          resolve();
        };
      }),
    ]).finally(() => {
      this.inFlight.delete(read);
    });
    this.inFlight.set(read, controller);
  }
}
