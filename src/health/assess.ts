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
  /** Why it is not ready (which includes why it is not alive). */
  readonly reasons: readonly string[];
  /** Why it is not alive: the only reasons a liveness check speaks of. */
  readonly livenessReasons: readonly string[];
}

export function assessHealth(status: HealthStatus, now: number): HealthVerdict {
  const livenessReasons: string[] = [];
  const beatAge = now - status.beatAt;
  const overdue = status.schedulerOverdueMs ?? 0;
  if (!status.schedulerRunning) livenessReasons.push("the scheduler is not running");
  if (overdue > MAX_SCHEDULER_OVERDUE_MS)
    livenessReasons.push(`the scheduler has not run for ${Math.round(overdue / 1000)} s after it was due`);
  if (beatAge > MAX_BEAT_AGE_MS) livenessReasons.push(`no sign of life for ${Math.round(beatAge / 1000)} s`);
  const alive = livenessReasons.length === 0;
  const reasons = [...livenessReasons];
  if (status.credentialsFailing) reasons.push("CloudWatch refuses the credentials");
  if (status.oldestUndeliveredAgeMs > status.maxUndeliveredAgeMs) {
    reasons.push(
      `the oldest undelivered datum is ${Math.round(status.oldestUndeliveredAgeMs / 1000)} s old (limit ${Math.round(status.maxUndeliveredAgeMs / 1000)} s)`,
    );
  }
  return { alive, ready: reasons.length === 0, reasons, livenessReasons };
}
