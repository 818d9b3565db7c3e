import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LatenessHistogram } from "../../src/pipeline/lateness.js";

describe("LatenessHistogram", () => {
  it("reports p50, p99 and max in milliseconds", () => {
    const h = new LatenessHistogram();
    for (let i = 1; i <= 100; i++) h.record(i);
    assert.deepEqual(h.summary(), { count: 100, p50: 50, p99: 99, max: 100 });
  });
  it("puts early or on-time reads in bucket 0 and very late ones in the last", () => {
    const h = new LatenessHistogram();
    h.record(-3);
    h.record(0);
    h.record(50_000);
    assert.deepEqual(h.summary(), { count: 3, p50: 0, p99: 10_000, max: 50_000 });
  });
  it("is all zeros when empty", () =>
    assert.deepEqual(new LatenessHistogram().summary(), { count: 0, p50: 0, p99: 0, max: 0 }));
});
