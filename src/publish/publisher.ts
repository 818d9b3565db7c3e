/** Sends batches through a Sender with a bounded number of requests in flight, in order of arrival. */
import type { Stats } from "../stats.js";
import type { Datum } from "./datum.js";
import type { Sender, SendResult } from "./sender.js";

/** Requests in flight at once; more wait their turn. */
export const MAX_REQUESTS_IN_FLIGHT = 4;

export class Publisher {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly sender: Sender,
    private readonly stats: Stats,
  ) {}

  /** Sends one batch (all of one namespace). Never rejects: failure is a value. */
  async send(namespace: string, datums: readonly Datum[]): Promise<SendResult> {
    if (this.inFlight >= MAX_REQUESTS_IN_FLIGHT)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
    try {
      const result = await this.sender.send(namespace, datums);
      if (result.ok) this.stats.requests++;
      else this.stats.failedRequests++;
      return result;
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }

  /** Releases the client's connections. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sender.close();
  }
}
