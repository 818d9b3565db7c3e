/**
 * Datums CloudWatch would refuse are dropped before they reach the outbox: each one counted as
 * "invalid", and logged at most once a minute per series, saying how many were held back meanwhile.
 */
import type { MetricIdentity } from "../cloudwatch/datum.js";
import { LogThrottle } from "../common/log-throttle.js";
import type { Logger } from "../log.js";
import type { Stats } from "./stats.js";

export class InvalidDatums {
  private readonly throttle: LogThrottle<MetricIdentity>;

  constructor(
    private readonly logger: Logger,
    private readonly stats: Stats,
    now: () => number,
  ) {
    this.throttle = new LogThrottle(now);
  }

  /** Counts the drop, and logs it unless this series was logged within the last minute. */
  drop(series: MetricIdentity, label: string, problem: string): void {
    this.stats.drop("invalid");
    const held = this.throttle.pass(series);
    if (held === undefined) return;
    const more =
      held === 0
        ? ""
        : `; ${held} more of this series were dropped since the last warning (one warning a minute per series, every drop counted)`;
    this.logger.warn(`metric "${series.name}"${label}: dropped datum: ${problem}${more}`, {
      metric: series.name,
      reason: "invalid",
    });
  }
}
