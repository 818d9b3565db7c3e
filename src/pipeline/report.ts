/**
 * What one `once` run achieved, as a value: `once` prints it and takes its exit code from it, rather
 * than re-deriving success from the counters.
 */
import { DROP_REASONS, type DropReason, type Stats } from "./stats.js";

export type RunReport = {
  /** Metrics in the config: each should be read once. */
  readonly metrics: number;
  /** Values read and turned into datums. */
  readonly read: number;
  /** Reads that failed (error, timeout, no number). */
  readonly failed: number;
  /** Reads skipped because the metric's previous read was still going. */
  readonly skipped: number;
  /** Datums read in this run that CloudWatch accepted (or a dry run printed). */
  readonly delivered: number;
  /** PutMetricData requests answered with success. */
  readonly requests: number;
  /** Datums given up, by reason; only the reasons that occurred. */
  readonly dropped: Readonly<Partial<Record<DropReason, number>>>;
  readonly droppedTotal: number;
  /** The backlog an earlier run left in the outbox directory: found at start, and delivered now. */
  readonly replayed: { readonly found: number; readonly delivered: number };
  /** Datums still undelivered at the end (kept in the outbox directory, or lost). */
  readonly undelivered: number;
  /** Every metric read, every datum (read now or replayed) accepted, nothing left or dropped. */
  readonly complete: boolean;
};

export function runReport(stats: Stats, metrics: number, undelivered: number): RunReport {
  const { readFailures: failed, skippedRuns: skipped } = stats;
  const dropped: Partial<Record<DropReason, number>> = {};
  for (const reason of DROP_REASONS) if (stats.dropped[reason] > 0) dropped[reason] = stats.dropped[reason];
  const droppedTotal = stats.droppedTotal;
  return {
    metrics,
    read: stats.collected,
    failed,
    skipped,
    delivered: stats.published - stats.replayedPublished,
    requests: stats.requests,
    dropped,
    droppedTotal,
    replayed: { found: stats.replayed, delivered: stats.replayedPublished },
    undelivered,
    complete:
      failed === 0 && skipped === 0 && droppedTotal === 0 && undelivered === 0 && stats.readings >= metrics,
  };
}
