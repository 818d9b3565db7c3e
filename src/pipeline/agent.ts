/**
 * The pipeline of one process: Scheduler → datum checks → Outbox (memory, optionally disk) → Batcher
 * → Delivery (send, isolate invalid datums, retry) → InFlightLimit → Sender. `run` starts it and stops it
 * on a signal; `once` reads every metric a single time.
 */
import type { Environment } from "../environment.js";
import type { Config, MetricConfig } from "../config/types.js";
import { within } from "../common/deadline.js";
import type { Logger } from "../log.js";
import { Batcher } from "../publish/batcher.js";
import { datumProblem, type Datum } from "../cloudwatch/datum.js";
import { Delivery } from "../publish/delivery.js";
import { entryOf, Outbox } from "../publish/outbox/outbox.js";
import type { SegmentLog, WriteFn } from "../publish/outbox/segment-log.js";
import { InFlightLimit } from "../publish/in-flight-limit.js";
import type { Sender } from "../publish/sender.js";
import { Scheduler } from "../schedule/scheduler.js";
import type { ReloadPlan } from "../config/reload-plan.js";
import { agentMetrics, reloadedMetrics, type AgentMetric, type SharedBySources } from "./agent-metric.js";
import { SharedScrapes } from "../sources/prometheus/shared-scrapes.js";
import { openOutbox, type OpenedOutbox } from "./open-outbox.js";
import { InvalidDatums } from "./invalid-datums.js";
import { SeriesExpander, type SeriesValue } from "./series.js";
import { runReport, shutdownLine, type RunReport } from "./report.js";
import type { PipelineSnapshot } from "./snapshot.js";
import { Shaping } from "./shaping.js";
import { Stats } from "./stats.js";

/** `docker stop` waits 10 s before SIGKILL; shutting down must fit well inside that. */
export const SHUTDOWN_DEADLINE_MS = 8_000;

export interface AgentOptions {
  readonly config: Config;
  readonly env: Environment;
  readonly sender: Sender;
  readonly logger: Logger;
  readonly hostSeed: string;
  readonly now?: () => number;
  /** For tests: how the outbox log writes (inject a full disk). */
  readonly outboxWrite?: WriteFn;
  /** Ends a wait for the outbox directory's lock early (a signal during start-up). */
  readonly signal?: AbortSignal;
}

export class Agent {
  readonly stats = new Stats();
  private readonly scheduler: Scheduler;
  private readonly batcher: Batcher;
  private readonly inFlightLimit: InFlightLimit;
  private readonly outbox: Outbox;
  private readonly outboxLog: SegmentLog | undefined;
  private readonly delivery: Delivery;
  private readonly shaping: Shaping;
  private readonly now: () => number;
  private stopping: Promise<void> | undefined;
  private metrics: readonly AgentMetric[];
  private readonly expander: SeriesExpander;
  private readonly shared: SharedBySources;
  private readonly invalidDatums: InvalidDatums;
  /** Whether each collected datum is logged (LOG_LEVEL=debug); read once, it is asked 10,000 times a second. */
  private readonly debug: boolean;

  /**
   * Opens the outbox directory (if any) and builds the pipeline. Rejects with OutboxLockedError when
   * another live publisher holds the directory (after waiting for it to be released), or with the
   * signal's reason when the wait is cut short.
   */
  static async create(options: AgentOptions): Promise<Agent> {
    return new Agent(options, await openOutbox(options));
  }

  private constructor(
    private readonly options: AgentOptions,
    opened: OpenedOutbox | undefined,
  ) {
    const { config, env, sender, logger } = options;
    this.now = options.now ?? Date.now;
    this.debug = logger.isDebugEnabled();
    this.invalidDatums = new InvalidDatums(logger, this.stats, this.now);
    this.outboxLog = opened?.log;
    this.outbox = new Outbox({
      maxBufferedDatums: config.delivery.maxBufferedDatums,
      log: this.outboxLog,
      stats: this.stats,
      logger,
      now: this.now,
    });
    if (opened !== undefined) {
      this.outbox.restore(opened.replay.pending);
      this.stats.replayed = opened.replay.pending.length;
      this.stats.drop("corrupt", opened.replay.lostDatums);
    }
    this.shaping = new Shaping({ config, logger, stats: this.stats, now: this.now });
    this.inFlightLimit = new InFlightLimit(sender, this.stats);
    this.delivery = new Delivery({
      inFlightLimit: this.inFlightLimit,
      outbox: this.outbox,
      stats: this.stats,
      logger,
      retry: { baseDelayMs: config.delivery.retryBaseDelayMs, maxDelayMs: config.delivery.retryMaxDelayMs },
      now: this.now,
    });
    this.batcher = new Batcher((namespace, entries) => this.delivery.deliver(namespace, entries));
    this.shared = { scrapes: new SharedScrapes(), baselinesFor: (id) => this.shaping.baselinesFor(id) };
    this.metrics = agentMetrics(config, env, this.shared);
    const baselinesSet = this.shaping.baselinesSet.bind(this.shaping);
    this.expander = new SeriesExpander(logger, this.stats, this.now, baselinesSet);
    this.expander.announce(this.metrics);
    this.scheduler = new Scheduler({
      metrics: this.metrics,
      onValue: (metric, reading, at) => {
        for (const series of this.expander.expand(metric as AgentMetric, reading))
          this.collect(metric.config, series, at);
      },
      logger,
      stats: this.stats,
      hostSeed: options.hostSeed,
      now: this.now,
    });
  }

  start(): void {
    this.scheduler.start();
    this.shaping.start((datums) => {
      for (const datum of datums) this.emit(datum);
    });
    this.delivery.resume();
  }

  /**
   * Applies a reload (config/reload-plan.ts): unchanged metrics keep their source and their place in
   * the schedule; removed ones are not read again (a read in flight still delivers); added and changed
   * ones start. The outbox, the batches and delivery are untouched.
   */
  reconfigure(plan: ReloadPlan, config: Config): void {
    const running = new Set(this.metrics);
    this.metrics = reloadedMetrics(this.metrics, plan, config, this.options.env, this.shared);
    this.expander.announce(this.metrics.filter((metric) => !running.has(metric)));
    this.scheduler.replaceMetrics(this.metrics);
  }

  /** The counters, with the outbox's depth and the age of its oldest datum. */
  snapshot(): PipelineSnapshot {
    const oldest = this.outbox.oldestTimestamp();
    return {
      ...this.stats.snapshot(),
      outboxDepth: this.outbox.depth,
      oldestUndeliveredAgeMs: oldest === undefined ? 0 : Math.max(this.now() - oldest, 0),
      outboxDurable: this.outboxLog?.durable ?? false,
    };
  }

  /** Datums not yet delivered. */
  get outboxDepth(): number {
    return this.outbox.depth;
  }

  get schedulerRunning(): boolean {
    return this.scheduler.running;
  }

  /** How long past its due time the scheduler's timer has not fired (the health check's concern). */
  get schedulerOverdueMs(): number {
    return this.scheduler.overdueMs;
  }

  /** Whether CloudWatch's last answer refused the credentials. */
  get credentialsFailing(): boolean {
    return this.delivery.credentialsFailed;
  }

  /**
   * Reads every metric once, publishes, and waits for CloudWatch's answers (with retries) up to the
   * deadline; not once CloudWatch has refused the credentials, which retrying cannot change.
   */
  async runOnce(deadlineMs = SHUTDOWN_DEADLINE_MS): Promise<RunReport> {
    const deadline = this.now() + deadlineMs;
    await this.scheduler.runAllOnce();
    for (const datum of this.shaping.stop()) this.emit(datum);
    await this.finish(deadline, () => this.delivery.credentialsFailed);
    return runReport(this.stats, this.options.config.metrics.length, this.outbox.depth);
  }

  /**
   * In a fixed order under one deadline: stop the scheduler, let reads in flight finish, flush the
   * batches, retry what waits in the outbox. What is still undelivered then stays on disk (with an
   * outbox directory) or is logged and counted as lost.
   */
  stop(deadlineMs = SHUTDOWN_DEADLINE_MS): Promise<void> {
    this.stopping ??= (async () => {
      const deadline = this.now() + deadlineMs;
      await this.scheduler.stop(deadlineMs / 4);
      for (const datum of this.shaping.stop()) this.emit(datum); // the open periods, as they are
      await this.finish(deadline);
    })();
    return this.stopping;
  }

  private async finish(deadline: number, giveUp?: () => boolean): Promise<void> {
    const orderly = (async () => {
      await this.batcher.flush();
      await this.delivery.drain(deadline, giveUp);
    })();
    if (!(await within(orderly, deadline - this.now()))) {
      // Requests still unanswered are abandoned, not resent: their datums stay undelivered.
      await this.inFlightLimit.abandonAll();
      await orderly;
    }
    this.outbox.persist(true); // after a failed write: one more try to keep what remains on disk
    const remaining = this.outbox.depth;
    const durable = this.outboxLog?.durable === true;
    const line = shutdownLine(
      remaining,
      durable,
      this.options.config.delivery.outboxDir,
      this.delivery.abandoned,
    );
    if (line !== undefined) this.options.logger.log(line.level, line.message, line.meta);
    if (remaining > 0 && !durable) this.stats.drop("shutdown", remaining);
    this.outbox.close();
    await this.inFlightLimit.close();
  }

  private collect(metric: MetricConfig, { identity, value, label }: SeriesValue, scheduledAt: number): void {
    this.stats.collected++;
    for (const datum of this.shaping.shape(metric, identity, value, scheduledAt)) this.emit(datum, label);
  }

  /** A shaped datum into the outbox and the batcher, unless CloudWatch would refuse it. */
  private emit(shaped: Datum, label = ""): void {
    const datum = entryOf(shaped);
    const name = datum.metric.name;
    const problem = datumProblem(datum, this.now());
    if (problem !== undefined) {
      this.invalidDatums.drop(datum.metric, label, problem);
      return;
    }
    const entry = this.outbox.add(datum);
    if (this.debug) {
      // The datum's own time has its own key: `timestamp` is always the log line's.
      this.options.logger.debug(`collected metric "${name}"${label}`, {
        metric: name,
        value: datum.value ?? datum.values ?? datum.statistics,
        scheduledAt: new Date(datum.timestamp).toISOString(),
        seq: entry.seq,
      });
    }
    this.batcher.add(entry);
  }
}
