/** Alive and ready, decided in one place for the HTTP probes and the healthcheck command. */

/** A beat older than this means the event loop or the scheduler has stopped: not alive. */
export const MAX_BEAT_AGE_MS = 30_000;
/** A scheduler whose timer has not fired this long after it was due has stopped running: not alive. */
export const MAX_SCHEDULER_OVERDUE_MS = 30_000;

/** What the running process reports about itself, every few seconds. */
export interface HealthStatus {
  readonly pid: number;
  /** When the process last reported (ms since the epoch). */
  readonly beatAt: number;
  readonly schedulerRunning: boolean;
  /**
   * How long past its due time the scheduler's timer has not fired (0 when it runs as planned);
   * absent from a status file written by an earlier version.
   */
  readonly schedulerOverdueMs?: number;
  readonly credentialsFailing: boolean;
  readonly oldestUndeliveredAgeMs: number;
  readonly maxUndeliveredAgeMs: number;
  readonly counters: Record<string, unknown>;
}

export interface HealthVerdict {
  readonly alive: boolean;
  readonly ready: boolean;
  readonly reasons: readonly string[];
}

export function assessHealth(status: HealthStatus, now: number): HealthVerdict {
  const reasons: string[] = [];
  const beatAge = now - status.beatAt;
  const overdue = status.schedulerOverdueMs ?? 0;
  const alive = status.schedulerRunning && beatAge <= MAX_BEAT_AGE_MS && overdue <= MAX_SCHEDULER_OVERDUE_MS;
  if (!status.schedulerRunning) reasons.push("the scheduler is not running");
  if (overdue > MAX_SCHEDULER_OVERDUE_MS)
    reasons.push(`the scheduler has not run for ${Math.round(overdue / 1000)} s after it was due`);
  if (beatAge > MAX_BEAT_AGE_MS) reasons.push(`no sign of life for ${Math.round(beatAge / 1000)} s`);
  if (status.credentialsFailing) reasons.push("CloudWatch refuses the credentials");
  if (status.oldestUndeliveredAgeMs > status.maxUndeliveredAgeMs) {
    reasons.push(
      `the oldest undelivered datum is ${Math.round(status.oldestUndeliveredAgeMs / 1000)} s old (limit ${Math.round(status.maxUndeliveredAgeMs / 1000)} s)`,
    );
  }
  return { alive, ready: alive && reasons.length === 0, reasons };
}
