/** The counters behind the per-minute summary and the final line: every datum is accounted for. */
export const DROP_REASONS = ["invalid", "rejected", "send-failed", "shutdown"] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export class Stats {
  /** Values read from sources and turned into datums. */
  collected = 0;
  /** Datums CloudWatch accepted (or, in a dry run, printed). */
  published = 0;
  /** PutMetricData requests answered with success. */
  requests = 0;
  /** PutMetricData requests that failed after the SDK's retries. */
  failedRequests = 0;
  /** Source reads that failed (error, timeout, no number). */
  readFailures = 0;
  /** Runs skipped because the metric's previous read was still going. */
  skippedRuns = 0;
  readonly dropped: Record<DropReason, number> = { invalid: 0, rejected: 0, "send-failed": 0, shutdown: 0 };

  drop(reason: DropReason, count = 1): void {
    this.dropped[reason] += count;
  }

  get droppedTotal(): number {
    return DROP_REASONS.reduce((sum, reason) => sum + this.dropped[reason], 0);
  }

  snapshot(): Record<string, number | Record<DropReason, number>> {
    return {
      collected: this.collected,
      published: this.published,
      requests: this.requests,
      failedRequests: this.failedRequests,
      readFailures: this.readFailures,
      skippedRuns: this.skippedRuns,
      dropped: { ...this.dropped },
    };
  }
}
