/**
 * The in-flight limit: at most MAX_REQUESTS_IN_FLIGHT requests through the Sender at once, the rest
 * in order of arrival; counts answered and failed requests; abandons them all at the shutdown deadline.
 */
import type { Stats } from "../pipeline/stats.js";
import type { Datum } from "../cloudwatch/datum.js";
import { CLOUDWATCH_WORDING, type Sender, type SenderWording, type SendResult } from "./sender.js";

/** Requests in flight at once; more wait their turn. */
export const MAX_REQUESTS_IN_FLIGHT = 4;

export class InFlightLimit {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly settled = new Set<Promise<unknown>>();
  private readonly abandon = new AbortController();
  private closed = false;

  constructor(
    private readonly sender: Sender,
    private readonly stats: Stats,
  ) {}

  /** How log lines name the sender's requests and their receiver. */
  get wording(): SenderWording {
    return this.sender.wording ?? CLOUDWATCH_WORDING;
  }

  /** Sends one batch (all of one namespace). Never rejects: failure is a value. */
  send(namespace: string, datums: readonly Datum[]): Promise<SendResult> {
    const sent = this.sendInTurn(namespace, datums);
    const done = sent.finally(() => this.settled.delete(done));
    this.settled.add(done);
    return sent;
  }

  /** Requests sent (or waiting for a turn) and not yet answered. */
  get pending(): number {
    return this.settled.size;
  }

  /**
   * At the shutdown deadline: abandons every request not yet answered (they resolve as "aborted"
   * and are never resent) and refuses new ones; resolves once all of them have settled.
   */
  async abandonAll(): Promise<void> {
    this.abandon.abort(new Error("abandoned at the shutdown deadline"));
    for (const resolve of this.waiting.splice(0)) resolve();
    while (this.settled.size > 0) await Promise.all(this.settled);
  }

  /** Releases the client's connections once nothing is in flight, so the SDK cannot resend. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.abandonAll();
    this.sender.close();
  }

  private async sendInTurn(namespace: string, datums: readonly Datum[]): Promise<SendResult> {
    if (this.inFlight >= MAX_REQUESTS_IN_FLIGHT && !this.abandon.signal.aborted)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.abandon.signal.aborted) {
      return { ok: false, failure: "aborted", error: this.abandon.signal.reason as Error };
    }
    this.inFlight++;
    try {
      const result = await this.sender.send(namespace, datums, this.abandon.signal);
      if (result.ok) this.stats.requests++;
      else if (result.failure !== "aborted") this.stats.failedRequests++;
      return result;
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }
}
