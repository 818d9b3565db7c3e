/**
 * The outbox's contract, as one suite every implementation passes (after Telegraf's
 * buffer_suite_test.go): add, take, deliver, retry, expire, overflow and restart. The in-memory and
 * the on-disk outbox differ only where the suite says so: at a restart, memory starts empty and the
 * disk replays what was not delivered.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { metricIdentity } from "../../src/cloudwatch/datum.js";
import { MAX_DATUM_AGE_MS } from "../../src/cloudwatch/limits.js";
import {
  EXPIRY_MARGIN_MS,
  newEntry,
  type Outbox,
  type OutboxEntry,
} from "../../src/publish/outbox/outbox.js";
import type { Stats } from "../../src/pipeline/stats.js";

export interface OutboxUnderTest {
  readonly outbox: Outbox;
  readonly stats: Stats;
  /** Closes this outbox and opens a new one on the same storage, as a restarted process would. */
  restart(): Promise<OutboxUnderTest>;
  close(): void;
}

export interface OutboxKind {
  readonly name: string;
  /** Whether what was not delivered survives a restart. */
  readonly durable: boolean;
  open(options: { maxBufferedDatums: number; now: () => number }): Promise<OutboxUnderTest>;
}

const identity = metricIdentity({
  namespace: "Suite",
  name: "M",
  unit: "Count",
  storageResolution: 60,
  dimensions: {},
});
const T0 = Date.parse("2026-01-01T00:00:00Z");

function addValues(outbox: Outbox, values: readonly number[], timestamp = T0): OutboxEntry[] {
  return values.map((value, i) => outbox.add(newEntry(identity, value, timestamp + i)));
}

const valuesOf = (entries: Iterable<OutboxEntry>) => [...entries].map((e) => e.value);

export function outboxSuite(kind: OutboxKind): void {
  describe(`the outbox contract: ${kind.name}`, () => {
    const clock = { now: T0 + 60_000 };
    const open = (maxBufferedDatums = 100) => kind.open({ maxBufferedDatums, now: () => clock.now });

    it("add: numbers each datum in order, counts it, and knows the oldest", async () => {
      const under = await open();
      const [a, b, c] = addValues(under.outbox, [1, 2, 3]);
      assert.ok(a!.seq < b!.seq && b!.seq < c!.seq);
      assert.equal(under.outbox.depth, 3);
      assert.equal(under.outbox.awaitingRetry, 0, "a fresh datum is pending, not awaiting retry");
      assert.equal(under.outbox.oldestTimestamp(), T0);
      under.close();
    });

    it("take and deliver: hands out what awaits retry oldest first, and forgets it once delivered", async () => {
      const under = await open();
      const entries = addValues(under.outbox, [1, 2, 3]);
      under.outbox.markForRetry(entries);
      const requests = under.outbox.takeForRetry(4);
      assert.deepEqual(
        requests.map((r) => [r.namespace, valuesOf(r.entries)]),
        [["Suite", [1, 2, 3]]],
      );
      assert.ok(entries.every((e) => e.state === "inFlight"));
      under.outbox.delivered(entries);
      assert.equal(under.outbox.depth, 0);
      assert.equal(under.stats.published, 3);
      assert.equal(under.outbox.oldestTimestamp(), undefined);
      under.close();
    });

    it("retry: a failed send awaits retry once, however often it is marked, until taken again", async () => {
      const under = await open();
      const entries = addValues(under.outbox, [1, 2]);
      under.outbox.markForRetry(entries);
      under.outbox.markForRetry(entries);
      assert.equal(under.outbox.awaitingRetry, 2);
      assert.equal(under.outbox.takeForRetry(4).length, 1);
      assert.equal(under.outbox.awaitingRetry, 0);
      assert.deepEqual(under.outbox.takeForRetry(4), [], "nothing is handed out twice");
      under.outbox.markForRetry(entries.slice(1));
      assert.deepEqual(valuesOf(under.outbox.takeForRetry(4).flatMap((r) => r.entries)), [2]);
      under.close();
    });

    it("expire: drops, logs and counts what CloudWatch would refuse as too old, not what is in flight", async () => {
      const under = await open();
      const [, inFlight] = addValues(under.outbox, [1, 2]);
      addValues(under.outbox, [3], T0 + 10 * 60_000);
      under.outbox.markForRetry([inFlight!]);
      under.outbox.takeForRetry(1);
      clock.now = T0 + MAX_DATUM_AGE_MS - EXPIRY_MARGIN_MS + 60_000;
      try {
        assert.equal(under.outbox.expire(), 1);
        assert.equal(under.stats.dropped.expired, 1);
        assert.equal(under.outbox.depth, 2);
        assert.equal(under.outbox.oldestTimestamp(), T0 + 1, "the one in flight stays");
      } finally {
        clock.now = T0 + 60_000;
      }
      under.close();
    });

    it("overflow: when full, drops and counts the oldest, never the newest", async () => {
      const under = await open(3);
      addValues(under.outbox, [1, 2, 3, 4, 5]);
      assert.equal(under.outbox.depth, 3);
      assert.equal(under.stats.dropped.overflow, 2);
      assert.equal(under.outbox.oldestTimestamp(), T0 + 2, "the two oldest went");
      under.close();
    });

    it(`restart: ${kind.durable ? "replays what was not delivered, awaiting retry" : "starts empty"}`, async () => {
      const under = await open();
      const entries = addValues(under.outbox, [1, 2, 3]);
      under.outbox.delivered(entries.slice(0, 1));
      under.outbox.persist();
      const again = await under.restart();
      if (kind.durable) {
        assert.equal(again.outbox.depth, 2);
        assert.equal(again.outbox.awaitingRetry, 2);
        assert.deepEqual(valuesOf(again.outbox.takeForRetry(4).flatMap((r) => r.entries)), [2, 3]);
        const [next] = addValues(again.outbox, [4]);
        assert.ok(next!.seq > entries.at(-1)!.seq, "numbering continues after the replayed datums");
      } else {
        assert.equal(again.outbox.depth, 0);
        assert.equal(again.outbox.awaitingRetry, 0);
      }
      again.close();
    });
  });
}
