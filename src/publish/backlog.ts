/** Sending what awaits retry in the outbox: oldest first, several requests at a time once CloudWatch answers. */
import type { Stats } from "../pipeline/stats.js";
import { MAX_REQUESTS_IN_FLIGHT } from "./in-flight-limit.js";
import type { Outbox, OutboxEntry } from "./outbox/outbox.js";

/**
 * Sends the waiting datums oldest first, up to MAX_REQUESTS_IN_FLIGHT requests at a time (one at
 * first unless CloudWatch is `confirmed` to answer), dropping what expired; stops at the first
 * request that fails, or when nothing waits.
 */
export async function sendBacklog(
  outbox: Outbox,
  stats: Stats,
  send: (namespace: string, entries: readonly OutboxEntry[]) => Promise<boolean>,
  confirmed: boolean,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  // Changed by the answers, in the callbacks below.
  const run = { limit: confirmed ? MAX_REQUESTS_IN_FLIGHT : 1, failed: false };
  for (;;) {
    while (!run.failed && inFlight.size < run.limit) {
      outbox.expire();
      const [request] = outbox.takeForRetry(1);
      if (request === undefined) break;
      stats.retried += request.entries.length;
      const sent: Promise<void> = send(request.namespace, request.entries).then((answered) => {
        inFlight.delete(sent);
        if (answered) run.limit = MAX_REQUESTS_IN_FLIGHT;
        else run.failed = true;
      });
      inFlight.add(sent);
    }
    if (inFlight.size === 0) return;
    await Promise.race(inFlight);
  }
}
