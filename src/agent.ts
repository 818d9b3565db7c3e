/**
 * The pipeline of one process: Scheduler → values checked as datums → Batcher → Publisher → Sender.
 * `run` starts it and stops it on a signal; `once` reads every metric a single time.
 */
import type { Config } from "./config/types.js";
import type { Environment } from "./config/interpolate.js";
import type { Logger } from "./log.js";
import { Batcher } from "./publish/batcher.js";
import { datumProblem, metricIdentity, type Datum, type MetricIdentity } from "./publish/datum.js";
import { Publisher } from "./publish/publisher.js";
import type { Sender } from "./publish/sender.js";
import { Scheduler, type ScheduledMetric } from "./schedule/scheduler.js";
import { createSource } from "./sources/registry.js";
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
}

interface AgentMetric extends ScheduledMetric {
  readonly identity: MetricIdentity;
}

export class Agent {
  readonly stats = new Stats();
  private readonly scheduler: Scheduler;
  private readonly batcher: Batcher;
  private readonly publisher: Publisher;
  private readonly now: () => number;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: AgentOptions) {
    const { config, env, sender, logger } = options;
    this.now = options.now ?? Date.now;
    this.publisher = new Publisher(sender, this.stats, logger);
    this.batcher = new Batcher((namespace, datums) => this.publisher.publish(namespace, datums));
    const metrics: AgentMetric[] = config.metrics.map((metric) => ({
      config: metric,
      source: createSource(metric.source, env),
      runOnStart: metric.runOnStart,
      identity: metricIdentity(metric),
    }));
    this.scheduler = new Scheduler({
      metrics,
      onValue: (metric, value, scheduledAt) => {
        this.collect(metric as AgentMetric, value, scheduledAt);
      },
      logger,
      stats: this.stats,
      hostSeed: options.hostSeed,
      now: this.now,
    });
  }

  start(): void {
    this.scheduler.start();
  }

  /** Reads every metric once, publishes, and waits for CloudWatch's answers. */
  async runOnce(): Promise<void> {
    await this.scheduler.runAllOnce();
    await this.batcher.flush();
    await this.publisher.shutdown();
  }

  /**
   * In a fixed order under one deadline: stop the scheduler, let reads in flight finish, flush the
   * batches, let the publisher finish. Whatever has not gone out by the deadline is counted as lost.
   */
  stop(deadlineMs = SHUTDOWN_DEADLINE_MS): Promise<void> {
    this.stopping ??= this.shutdown(deadlineMs);
    return this.stopping;
  }

  private async shutdown(deadlineMs: number): Promise<void> {
    const started = this.now();
    const orderly = (async () => {
      await this.scheduler.stop(Math.max(deadlineMs / 2, 0));
      await this.batcher.flush();
      await this.publisher.shutdown();
    })();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">(
      (resolve) =>
        (timer = setTimeout(() => {
          resolve("late");
        }, deadlineMs)),
    );
    const outcome = await Promise.race([orderly.then(() => "done" as const), late]);
    clearTimeout(timer);
    if (outcome === "late") {
      const lost = this.stats.collected - this.stats.published - this.stats.droppedTotal;
      this.stats.drop("shutdown", lost);
      this.options.logger.error(
        `shutdown deadline of ${deadlineMs} ms passed; ${lost} datums not delivered were lost`,
      );
    } else {
      this.options.logger.debug(`shutdown finished in ${this.now() - started} ms`);
    }
  }

  private collect(metric: AgentMetric, value: number, scheduledAt: number): void {
    const scale = metric.config.scale;
    const datum: Datum = {
      metric: metric.identity,
      value: scale === 1 ? value : value * scale,
      timestamp: scheduledAt,
    };
    this.stats.collected++;
    const problem = datumProblem(datum, this.now());
    if (problem !== undefined) {
      this.stats.drop("invalid");
      this.options.logger.warn(`metric "${metric.config.name}": dropped datum: ${problem}`, {
        metric: metric.config.name,
        reason: "invalid",
      });
      return;
    }
    this.batcher.add(datum);
  }
}
