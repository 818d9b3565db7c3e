/** Sends batches through a Sender with a bounded number of requests in flight, and accounts for each datum. */
import type { Logger } from "../log.js";
import type { Stats } from "../stats.js";
import type { Datum } from "./datum.js";
import type { Sender } from "./sender.js";

/** Requests in flight at once; more wait their turn in order. */
export const MAX_REQUESTS_IN_FLIGHT = 4;

export class Publisher {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly sender: Sender,
    private readonly stats: Stats,
    private readonly logger: Logger,
  ) {}

  /** Sends one batch (all of one namespace); resolves when it is answered. Never rejects. */
  publish(namespace: string, datums: readonly Datum[]): Promise<void> {
    const done = this.sendInTurn(namespace, datums).finally(() => this.pending.delete(done));
    this.pending.add(done);
    return done;
  }

  /** Resolves when every batch handed over so far has been answered. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  /** Drains, then releases the client's connections. Idempotent. */
  async shutdown(): Promise<void> {
    await this.drain();
    if (this.closed) return;
    this.closed = true;
    this.sender.close();
  }

  private async sendInTurn(namespace: string, datums: readonly Datum[]): Promise<void> {
    if (this.inFlight >= MAX_REQUESTS_IN_FLIGHT)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
    try {
      const result = await this.sender.send(namespace, datums);
      if (result.ok) {
        this.stats.requests++;
        this.stats.published += datums.length;
        this.logger.debug(`PutMetricData: namespace "${namespace}" accepted ${datums.length} datums`);
        return;
      }
      this.stats.failedRequests++;
      const reason = result.retryable ? "send-failed" : "rejected";
      this.stats.drop(reason, datums.length);
      this.logger.error(
        `PutMetricData for namespace "${namespace}" failed; dropped ${datums.length} datums: ${result.error.name}: ${result.error.message}`,
        { namespace, datums: datums.length, reason, error: result.error.name },
      );
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }
}
