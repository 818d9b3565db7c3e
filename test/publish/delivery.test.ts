/** Delivery's decisions, with a scripted sender: isolation, splitting, retry with backoff, recovery. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { metricIdentity, type Datum } from "../../src/cloudwatch/datum.js";
import { Delivery } from "../../src/publish/delivery.js";
import { newEntry, Outbox } from "../../src/publish/outbox/outbox.js";
import { MAX_REQUESTS_IN_FLIGHT, InFlightLimit } from "../../src/publish/in-flight-limit.js";
import type { Sender, SendResult } from "../../src/publish/sender.js";
import { Stats } from "../../src/pipeline/stats.js";
import { memoryLogger } from "../support/memory-logger.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));
const METRIC = metricIdentity({
  namespace: "N",
  name: "M",
  unit: "None",
  storageResolution: 60,
  dimensions: {},
});

function setup(
  answer: (datums: readonly Datum[]) => SendResult,
  retry: { baseDelayMs: number; maxDelayMs: number } = { baseDelayMs: 10, maxDelayMs: 40 },
) {
  const { logger, messages } = memoryLogger();
  const stats = new Stats();
  const sent: number[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const sender: Sender = {
    send: async (_namespace, datums) => {
      sent.push(datums.map((d) => d.value!));
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await tick();
      inFlight--;
      return answer(datums);
    },
    close: () => undefined,
  };
  const outbox = new Outbox({ maxBufferedDatums: 100_000, log: undefined, stats, logger, now: Date.now });
  const delivery = new Delivery({
    inFlightLimit: new InFlightLimit(sender, stats),
    outbox,
    stats,
    logger,
    retry,
    now: Date.now,
    random: () => 0.5,
  });
  const add = (values: number[]) => values.map((value) => outbox.add(newEntry(METRIC, value, Date.now())));
  return {
    delivery,
    outbox,
    stats,
    sent,
    add,
    messages,
    maxInFlight: () => maxInFlight,
    resetMaxInFlight: () => (maxInFlight = 0),
  };
}

const invalid = (message: string): SendResult => ({
  ok: false,
  failure: "invalid",
  error: Object.assign(new Error(message), { name: "InvalidParameterValueException" }),
});
const transient = (name = "InternalServiceError"): SendResult => ({
  ok: false,
  failure: "transient",
  error: Object.assign(new Error("boom"), { name }),
});
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe("Delivery", () => {
  it("finds an invalid datum the error does not name by splitting the batch", async () => {
    const { delivery, outbox, stats, sent, add } = setup((datums) =>
      datums.some((d) => d.value === 6) ? invalid("One of the values is invalid.") : { ok: true },
    );
    await delivery.deliver("N", add([1, 2, 3, 4, 5, 6, 7, 8]));
    assert.equal(stats.published, 7);
    assert.equal(stats.dropped.rejected, 1);
    assert.equal(outbox.depth, 0);
    assert.deepEqual(sent[0], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.ok(sent.length <= 1 + 2 * Math.ceil(Math.log2(8)), `${sent.length} requests`);
  });

  it("splits a request CloudWatch refuses as too large and sends the halves, never the same request again", async () => {
    const tooLarge: SendResult = {
      ok: false,
      failure: "tooLarge",
      error: Object.assign(new Error("Request size 1500000 exceeded 1000000 bytes"), {
        name: "RequestEntityTooLarge",
      }),
    };
    const { delivery, outbox, stats, sent, add, messages } = setup((datums) =>
      datums.length > 3 ? tooLarge : { ok: true },
    );
    await delivery.deliver("N", add(range(1, 10)));
    await delivery.settle();
    assert.equal(stats.published, 10);
    assert.equal(outbox.depth, 0);
    const keys = sent.map((values) => values.join(","));
    assert.equal(new Set(keys).size, keys.length, `a request was sent twice: ${keys.join(" | ")}`);
    assert.deepEqual(
      sent
        .filter((values) => values.length <= 3)
        .flat()
        .sort((a, b) => a - b),
      range(1, 10),
    );
    assert.ok(
      messages().some((m) => m.includes("refused 10 datums as too large") && m.includes("two halves")),
    );
  });

  it("drops, logs and counts a single datum CloudWatch refuses as too large", async () => {
    const { delivery, outbox, stats, add, messages } = setup(() => ({
      ok: false,
      failure: "tooLarge",
      error: Object.assign(new Error("too large"), { name: "RequestEntityTooLarge" }),
    }));
    await delivery.deliver("N", add([1]));
    assert.equal(outbox.depth, 0);
    assert.equal(stats.dropped.rejected, 1);
    assert.ok(messages().some((m) => m.includes("refused a request holding only this datum as too large")));
  });

  it("retries retryable failures with backoff until they succeed, oldest first", async () => {
    let failuresLeft = 3;
    const { delivery, outbox, stats, sent, add, messages } = setup(() =>
      failuresLeft-- > 0 ? transient() : { ok: true },
    );
    await delivery.deliver("N", add([1, 2]));
    assert.equal(outbox.awaitingRetry, 2);
    while (outbox.depth > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await delivery.settle();
    assert.equal(stats.published, 2);
    assert.equal(stats.retried, 6);
    assert.deepEqual(sent.at(-1), [1, 2]);
    assert.ok(
      messages().some((m) =>
        m.includes("failed (InternalServiceError: boom); 2 datums wait in the outbox for a retry"),
      ),
    );
  });

  it("sends the whole backlog at the first success after failures, without waiting for the backoff", async () => {
    let down = true;
    // A backoff of minutes: had the backlog waited for the timer, the test would see it still waiting.
    const { delivery, outbox, stats, add, messages, maxInFlight, resetMaxInFlight } = setup(
      () => (down ? transient() : { ok: true }),
      { baseDelayMs: 120_000, maxDelayMs: 300_000 },
    );
    for (let i = 0; i < 6; i++) await delivery.deliver("N", add(range(i * 1000, 1000)));
    assert.equal(outbox.awaitingRetry, 6000);
    down = false;
    resetMaxInFlight();
    await delivery.deliver("N", add([-1]));
    await delivery.settle();
    assert.equal(outbox.depth, 0, "the backlog went out with the first success");
    assert.equal(stats.published, 6001);
    assert.equal(maxInFlight(), MAX_REQUESTS_IN_FLIGHT, "several requests at a time");
    assert.ok(
      messages().some((m) =>
        m.startsWith("CloudWatch accepts requests again after 6 failed; sending the 6000 datums waiting"),
      ),
    );
  });

  it("probes with one request at a time while CloudWatch keeps failing", async () => {
    const { delivery, outbox, sent, add, maxInFlight, resetMaxInFlight } = setup(() => transient());
    const waiting = add(range(0, 5000));
    outbox.markForRetry(waiting);
    resetMaxInFlight();
    delivery.resume();
    while (sent.length < 4) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(maxInFlight(), 1);
    assert.ok(
      sent.every((values) => values[0] === 0),
      "each probe carries the oldest datums",
    );
    await delivery.drain(Date.now());
  });

  it("drain() gives up at the deadline, leaving the datums in the outbox", async () => {
    const { delivery, outbox, add } = setup(() => transient("down"));
    await delivery.deliver("N", add([1]));
    const started = Date.now();
    await delivery.drain(started + 300);
    assert.ok(Date.now() - started < 1_000);
    assert.equal(outbox.depth, 1);
  });
});

describe("InFlightLimit", () => {
  it("abandons unanswered requests at the deadline without resending them, and refuses new ones", async () => {
    const calls: number[] = [];
    const sender: Sender = {
      send: (_namespace, datums, signal) => {
        calls.push(datums.length);
        return new Promise((resolve) => {
          signal.addEventListener("abort", () => {
            resolve({ ok: false, failure: "aborted", error: new Error("aborted") });
          });
        });
      },
      close: () => undefined,
    };
    const stats = new Stats();
    const inFlightLimit = new InFlightLimit(sender, stats);
    const datum = newEntry(METRIC, 1, Date.now());
    const results = Array.from({ length: MAX_REQUESTS_IN_FLIGHT + 2 }, () =>
      inFlightLimit.send("N", [datum]),
    );
    await tick();
    assert.equal(inFlightLimit.pending, MAX_REQUESTS_IN_FLIGHT + 2);
    await inFlightLimit.abandonAll();
    const settled = await Promise.all(results);
    assert.ok(settled.every((r) => !r.ok && r.failure === "aborted"));
    assert.equal(calls.length, MAX_REQUESTS_IN_FLIGHT, "queued requests were never sent; none was resent");
    const late = await inFlightLimit.send("N", [datum]);
    assert.ok(!late.ok && late.failure === "aborted");
    assert.equal(calls.length, MAX_REQUESTS_IN_FLIGHT);
    assert.equal(stats.failedRequests, 0, "abandoned is not failed");
    await inFlightLimit.close();
  });
});
