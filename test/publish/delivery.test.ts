/** Delivery's decisions, with a scripted sender: isolation of invalid datums, retry with backoff. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MetricConfig } from "../../src/config/types.js";
import { metricIdentity, type Datum } from "../../src/publish/datum.js";
import { Delivery } from "../../src/publish/delivery.js";
import { newEntry, Outbox } from "../../src/publish/outbox.js";
import { Publisher } from "../../src/publish/publisher.js";
import type { Sender, SendResult } from "../../src/publish/sender.js";
import { Stats } from "../../src/stats.js";
import { memoryLogger } from "../support/memory-logger.js";

function setup(answer: (datums: readonly Datum[]) => SendResult) {
  const { logger, messages } = memoryLogger();
  const stats = new Stats();
  const sent: number[][] = [];
  const sender: Sender = {
    send: (_namespace, datums) => {
      sent.push(datums.map((d) => d.value));
      return Promise.resolve(answer(datums));
    },
    close: () => undefined,
  };
  const outbox = new Outbox({ maxBufferedDatums: 10_000, log: undefined, stats, logger, now: Date.now });
  const delivery = new Delivery({
    publisher: new Publisher(sender, stats),
    outbox,
    stats,
    logger,
    retry: { baseDelayMs: 10, maxDelayMs: 40 },
    now: Date.now,
    random: () => 0.5,
  });
  const metric = metricIdentity({
    namespace: "N",
    name: "M",
    unit: "None",
    storageResolution: 60,
    dimensions: {},
  } as unknown as MetricConfig);
  const add = (values: number[]) => values.map((value) => outbox.add(newEntry(metric, value, Date.now())));
  return { delivery, outbox, stats, sent, add, messages };
}

const invalid = (message: string): SendResult => ({
  ok: false,
  retryable: false,
  error: Object.assign(new Error(message), { name: "InvalidParameterValueException" }),
});

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

  it("retries retryable failures with backoff until they succeed, oldest first", async () => {
    let failuresLeft = 3;
    const { delivery, outbox, stats, sent, add, messages } = setup(() =>
      failuresLeft-- > 0
        ? {
            ok: false,
            retryable: true,
            error: Object.assign(new Error("boom"), { name: "InternalServiceError" }),
          }
        : { ok: true },
    );
    await delivery.deliver("N", add([1, 2]));
    assert.equal(outbox.waiting, 2);
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

  it("drain() gives up at the deadline, leaving the datums in the outbox", async () => {
    const { delivery, outbox, add } = setup(() => ({ ok: false, retryable: true, error: new Error("down") }));
    await delivery.deliver("N", add([1]));
    const started = Date.now();
    await delivery.drain(started + 300);
    assert.ok(Date.now() - started < 1_000);
    assert.equal(outbox.depth, 1);
  });
});
