import assert from "node:assert/strict";
import { afterEach, describe, it, mock } from "node:test";
import type { MetricConfig } from "../../src/config/types.js";
import { Batcher, LINGER_MS } from "../../src/publish/batcher.js";
import { datumBytes, metricIdentity } from "../../src/cloudwatch/datum.js";
import { MAX_REQUEST_BYTES } from "../../src/cloudwatch/limits.js";
import { newEntry, type OutboxEntry } from "../../src/publish/outbox/outbox.js";

let seq = 0;

function datum(namespace: string, name: string, dimensions: Record<string, string> = {}): OutboxEntry {
  const config = {
    name,
    namespace,
    unit: "Count",
    storageResolution: 60,
    dimensions,
  } as unknown as MetricConfig;
  return { ...newEntry(metricIdentity(config), 1, Date.now()), seq: ++seq };
}

function recorder() {
  const batches: { namespace: string; count: number; bytes: number }[] = [];
  const batcher = new Batcher((namespace, datums) => {
    batches.push({
      namespace,
      count: datums.length,
      bytes: datums.reduce((s, d) => s + datumBytes(d), 0),
    });
    return Promise.resolve();
  });
  return { batcher, batches };
}

describe("Batcher", () => {
  afterEach(() => mock.timers.reset());

  it("cuts a batch at 1000 datums at once, per namespace", async () => {
    const { batcher, batches } = recorder();
    for (let i = 0; i < 2500; i++) batcher.add(datum("A", `m${i}`));
    for (let i = 0; i < 10; i++) batcher.add(datum("B", `m${i}`));
    assert.deepEqual(
      batches.map((b) => `${b.namespace}:${b.count}`),
      ["A:1000", "A:1000"],
    );
    await batcher.flush();
    assert.deepEqual(
      batches.map((b) => `${b.namespace}:${b.count}`),
      ["A:1000", "A:1000", "A:500", "B:10"],
    );
  });

  it("cuts before a request body would pass 1 MB", async () => {
    const { batcher, batches } = recorder();
    const dimensions = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`Dimension${i}`, "v".repeat(1000)]),
    );
    for (let i = 0; i < 100; i++) batcher.add(datum("Big", `m${i}`, dimensions));
    await batcher.flush();
    assert.ok(batches.length > 1, "split into several requests");
    for (const b of batches) assert.ok(b.bytes < MAX_REQUEST_BYTES, `${b.bytes} bytes`);
    assert.equal(
      batches.reduce((s, b) => s + b.count, 0),
      100,
    );
  });

  it("sends what it gathered after the linger, without a flush", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    const { batcher, batches } = recorder();
    batcher.add(datum("A", "x"));
    mock.timers.tick(LINGER_MS - 1);
    batcher.add(datum("A", "y"));
    assert.equal(batches.length, 0);
    mock.timers.tick(1);
    assert.deepEqual(
      batches.map((b) => b.count),
      [2],
    );
  });

  it("flush() waits for the batches it handed on", async () => {
    let finished = false;
    const batcher = new Batcher(
      () => new Promise((resolve) => setTimeout(() => ((finished = true), resolve()), 20)),
    );
    batcher.add(datum("A", "x"));
    await batcher.flush();
    assert.equal(finished, true);
    assert.equal(batcher.buffered, 0);
  });
});
