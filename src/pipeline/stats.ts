/** The counters behind the per-minute summary and the final line: every datum is accounted for. */
/**
 * invalid: broke a PutMetricData limit before sending; rejected: CloudWatch refused it as invalid;
 * expired: undelivered for nearly two weeks; overflow: the outbox was full; shutdown: not delivered by
 * the shutdown deadline and no outbox directory to keep it in; corrupt: its record in the outbox
 * directory was damaged (torn by a crash mid-write, or altered) and skipped at replay; transform: a
 * counter's read that gave no delta (a rate over no time); seriesLimit: a new series past
 * limits.maxSeries; unconfigured: saved reads of an open aggregation period whose series the config
 * no longer aggregates.
 */
export const DROP_REASONS = [
  "invalid",
  "rejected",
  "expired",
  "overflow",
  "shutdown",
  "corrupt",
  "transform",
  "seriesLimit",
  "unconfigured",
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

import { LatenessHistogram } from "./lateness.js";
import type { StatsSnapshot } from "./snapshot.js";

export class Stats {
  /** How late reads started against their scheduled instants. */
  readonly lateness = new LatenessHistogram();
  /** Values read from sources and turned into datums (one per series of a multi-series reading). */
  collected = 0;
  /**
   * Reads that succeeded, whatever number of series they gave: a counter's first read gives none
   * (it only sets the baseline), a read of three filesystems gives three.
   */
  readings = 0;
  /** Datums CloudWatch accepted (or, in a dry run, printed), replayed ones included. */
  published = 0;
  /** Undelivered datums an earlier process left in the outbox directory, replayed at start. */
  replayed = 0;
  /** Of `published`, those that were replayed. */
  replayedPublished = 0;
  /** PutMetricData requests answered with success. */
  requests = 0;
  /** PutMetricData requests that failed after the SDK's retries. */
  failedRequests = 0;
  /** Datums sent again after a failed request. */
  retried = 0;
  /** Source reads that failed (error, timeout, no number). */
  readFailures = 0;
  /** Counter reads that only set a baseline (the first of a series with transform delta or rate). */
  baselines = 0;
  /** Runs skipped because the metric's previous read was still going. */
  skippedRuns = 0;
  readonly dropped: Record<DropReason, number> = {
    invalid: 0,
    rejected: 0,
    expired: 0,
    overflow: 0,
    shutdown: 0,
    corrupt: 0,
    transform: 0,
    seriesLimit: 0,
    unconfigured: 0,
  };

  drop(reason: DropReason, count = 1): void {
    this.dropped[reason] += count;
  }

  get droppedTotal(): number {
    return DROP_REASONS.reduce((sum, reason) => sum + this.dropped[reason], 0);
  }

  snapshot(): StatsSnapshot {
    return {
      collected: this.collected,
      published: this.published,
      replayed: this.replayed,
      replayedPublished: this.replayedPublished,
      requests: this.requests,
      failedRequests: this.failedRequests,
      retried: this.retried,
      readFailures: this.readFailures,
      skippedRuns: this.skippedRuns,
      baselines: this.baselines,
      latenessMs: this.lateness.summary(),
      dropped: { ...this.dropped },
    };
  }
}
