/**
 * What one `once` run achieved, as a value: `once` prints it and takes its exit code from it, rather
 * than re-deriving success from the counters.
 */
import { plural } from "../common/plural.js";
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

/** The shutdown line about datums still undelivered, or undefined when there are none. */
export function shutdownLine(
  remaining: number,
  durable: boolean,
  outboxDir: string | undefined,
  abandoned: number,
): { level: "warn" | "error"; message: string; meta: Record<string, unknown> } | undefined {
  if (remaining === 0) return undefined;
  const unanswered =
    abandoned === 0
      ? ""
      : abandoned === 1
        ? " (one of them was in a request CloudWatch had not answered by the deadline; it may have arrived)"
        : ` (${abandoned} of them were in requests CloudWatch had not answered by the deadline; they may have arrived)`;
  if (durable)
    return {
      level: "warn",
      message: `${plural(remaining, "undelivered datum")} ${remaining === 1 ? "stays" : "stay"} in the outbox at ${outboxDir!}; ${remaining === 1 ? "it is" : "they are"} sent on the next start${unanswered}`,
      meta: { outboxDepth: remaining, abandoned },
    };
  return {
    level: "error",
    message: `${plural(remaining, "undelivered datum")} ${remaining === 1 ? "was" : "were"} lost at shutdown (no outbox directory to keep them in)${unanswered}`,
    meta: { reason: "shutdown", lost: remaining, abandoned },
  };
}
