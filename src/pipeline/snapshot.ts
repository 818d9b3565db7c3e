/** What the pipeline reports about itself while it runs: the summary log lines and the health monitor read it. */
import type { LatenessSummary } from "./lateness.js";
import type { DropReason } from "./stats.js";

/** The counters since start (Stats.snapshot()). */
export type StatsSnapshot = {
  readonly collected: number;
  readonly published: number;
  readonly replayed: number;
  readonly replayedPublished: number;
  readonly requests: number;
  readonly failedRequests: number;
  readonly retried: number;
  readonly readFailures: number;
  readonly skippedRuns: number;
  readonly baselines: number;
  readonly latenessMs: LatenessSummary;
  readonly dropped: Readonly<Record<DropReason, number>>;
};

/** The counters with the outbox's state (Agent.snapshot()). */
export type PipelineSnapshot = StatsSnapshot & {
  /** Datums not yet delivered. */
  readonly outboxDepth: number;
  /** The age of the oldest undelivered datum; 0 when there is none. */
  readonly oldestUndeliveredAgeMs: number;
  /** Whether the outbox is kept on disk right now. */
  readonly outboxDurable: boolean;
};
