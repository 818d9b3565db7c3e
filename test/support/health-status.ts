/** A status as a healthy running publisher reports it, for tests to change one field of. */
import type { HealthStatus } from "../../src/health/assess.js";

export function healthyStatus(now: number, change: Partial<HealthStatus> = {}): HealthStatus {
  return {
    pid: 1,
    beatAt: now - 1_000,
    schedulerRunning: true,
    schedulerOverdueMs: 0,
    credentialsFailing: false,
    oldestUndeliveredAgeMs: 0,
    maxUndeliveredAgeMs: 60_000,
    counters: {},
    ...change,
  };
}
