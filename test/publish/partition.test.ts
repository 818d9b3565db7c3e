/** The one batching rule: table tests of partition(), and the retry path that cuts by it. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { metricIdentity, type MetricIdentity } from "../../src/cloudwatch/datum.js";
import { MAX_DATUMS_PER_REQUEST, MAX_REQUEST_BYTES } from "../../src/cloudwatch/limits.js";
import { newEntry, type OutboxEntry } from "../../src/publish/outbox/outbox.js";
import { partition } from "../../src/publish/partition.js";
import { toPutMetricDataInput } from "../../src/cloudwatch/request.js";
import { memoryOutbox } from "../support/memory-outbox.js";

function identity(namespace: string, name: string, dimensions: Record<string, string> = {}): MetricIdentity {
  return metricIdentity({ namespace, name, unit: "Count", storageResolution: 60, dimensions });
}

/** 30 dimensions of 1,024 characters: the largest datum PutMetricData allows. */
const LONG_DIMENSIONS = Object.fromEntries(
  Array.from({ length: 30 }, (_, i) => [`Dimension${String(i).padStart(2, "0")}`, "v".repeat(1024)]),
);

/** The body the SDK sends, as JSON (timestamps as ISO strings: longer than the SDK's epoch seconds). */
function encodedBytes(namespace: string, entries: readonly OutboxEntry[]): number {
  return Buffer.byteLength(JSON.stringify(toPutMetricDataInput(namespace, entries)));
}

function entries(count: number, ids: readonly MetricIdentity[]): OutboxEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    ...newEntry(ids[i % ids.length]!, i * 1.5, Date.now()),
    seq: i + 1,
  }));
}

describe("partition", () => {
  it("puts at most 150 Values of one series into a request, whatever the datums carrying them", () => {
    const spread = identity("A", "spread", { Host: "a" });
    // The same series from another metric's rollup: another identity object, the same series.
    const sameSeries = identity("A", "spread", { Host: "a" });
    const other = identity("A", "other");
    const values = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
    const datum = (metric: MetricIdentity, from: number, n: number): OutboxEntry => ({
      metric,
      values: values(from, n),
      counts: values(from, n).map(() => 1),
      timestamp: Date.now(),
      seq: from + 1,
      state: "pending",
    });
    const requests = partition([
      datum(spread, 0, 150),
      datum(other, 1000, 150),
      datum(sameSeries, 150, 50),
      datum(other, 2000, 10),
    ]);
    const perSeries = requests.map((r) =>
      r.entries.map((e) => `${e.metric.name}:${e.values!.length}`).join(" "),
    );
    assert.deepEqual(perSeries, ["spread:150 other:150", "spread:50 other:10"]);
    // The encoded body's size is bounded by the estimate, Values and Counts included.
    for (const r of requests) assert.ok(encodedBytes(r.namespace, r.entries) <= r.bytes);
  });

  it("cuts at 1000 datums per request, per namespace, keeping the order", () => {
    const a = identity("A", "m");
    const b = identity("B", "m");
    const input = [...entries(2500, [a]), ...entries(10, [b])];
    const requests = partition(input);
    assert.deepEqual(
      requests.map((r) => `${r.namespace}:${r.entries.length}`),
      ["A:1000", "A:1000", "A:500", "B:10"],
    );
    assert.deepEqual(
      requests.flatMap((r) => r.entries),
      input,
      "every datum once, in order",
    );
  });

  it("keeps every request's encoded body within 1 MB for the largest datums CloudWatch allows", () => {
    const ids = Array.from({ length: 100 }, (_, i) => identity("Big", `metric-${i}`, LONG_DIMENSIONS));
    const requests = partition(entries(1100, ids));
    assert.ok(requests.length > 1);
    for (const request of requests) {
      const bytes = encodedBytes(request.namespace, request.entries);
      assert.ok(bytes <= MAX_REQUEST_BYTES, `${bytes} bytes in ${request.entries.length} datums`);
      assert.ok(request.bytes >= bytes, "the size it counts is an upper bound of the encoded body");
      assert.ok(request.entries.length <= MAX_DATUMS_PER_REQUEST);
    }
    assert.equal(
      requests.reduce((sum, r) => sum + r.entries.length, 0),
      1100,
    );
  });

  it("opens at most maxRequests, oldest datums first, and leaves a namespace out once its requests are full", () => {
    const a = identity("A", "m");
    const b = identity("B", "m");
    const input = [...entries(1500, [a]), ...entries(5, [b]), ...entries(5, [a])];
    assert.deepEqual(
      partition(input, 1).map((r) => `${r.namespace}:${r.entries.length}`),
      ["A:1000"],
    );
    assert.deepEqual(
      partition(input, 2).map((r) => `${r.namespace}:${r.entries.length}`),
      ["A:1000", "A:505"],
      "no third request for B; A's later datums still join A's open request",
    );
    assert.deepEqual(
      partition(input, 3).map((r) => `${r.namespace}:${r.entries.length}`),
      ["A:1000", "A:505", "B:5"],
    );
  });

  it("gives an empty input no request", () => {
    assert.deepEqual(partition([]), []);
  });
});

describe("the retry path", () => {
  it("cuts what waits in the outbox by the same rule: every request within 1 MB encoded", () => {
    const outbox = memoryOutbox();
    const ids = Array.from({ length: 100 }, (_, i) => identity("Big", `metric-${i}`, LONG_DIMENSIONS));
    const added = Array.from({ length: 1100 }, (_, i) => outbox.add(newEntry(ids[i % 100]!, i, Date.now())));
    outbox.markForRetry(added);
    let taken = 0;
    for (;;) {
      const requests = outbox.takeForRetry(4);
      if (requests.length === 0) break;
      assert.ok(requests.length <= 4);
      for (const request of requests) {
        const bytes = encodedBytes(request.namespace, request.entries);
        assert.ok(bytes <= MAX_REQUEST_BYTES, `${bytes} bytes in ${request.entries.length} datums`);
        taken += request.entries.length;
      }
    }
    assert.equal(taken, 1100);
    assert.equal(outbox.awaitingRetry, 0);
  });
});
