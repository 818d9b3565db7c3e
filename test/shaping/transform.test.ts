import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { seriesKey } from "../../src/cloudwatch/series-key.js";
import { applyTransform, transformStep, type TransformState } from "../../src/shaping/transform.js";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe("transform", () => {
  it("none passes every value through and keeps no state", () => {
    const state: TransformState = {};
    assert.deepEqual(applyTransform(state, "k", "none", 5, T0), { kind: "value", value: 5, reset: false });
    assert.deepEqual(state, {});
  });

  it("delta: the first read only sets the baseline, then each read publishes the increase", () => {
    const state: TransformState = {};
    const reads = [100, 130, 130, 175];
    const out = reads.map((v, i) => applyTransform(state, "k", "delta", v, T0 + i * 60_000));
    assert.deepEqual(out, [
      { kind: "baseline" },
      { kind: "value", value: 30, reset: false },
      { kind: "value", value: 0, reset: false },
      { kind: "value", value: 45, reset: false },
    ]);
    assert.deepEqual(state.k, { value: 175, scheduledAt: T0 + 180_000 });
  });

  it("a lower value is a counter reset: the increase is the new value itself", () => {
    const state: TransformState = { k: { value: 1_000, scheduledAt: T0 } };
    assert.deepEqual(applyTransform(state, "k", "delta", 7, T0 + 60_000), {
      kind: "value",
      value: 7,
      reset: true,
    });
    assert.deepEqual(applyTransform(state, "k", "delta", 10, T0 + 120_000), {
      kind: "value",
      value: 3,
      reset: false,
    });
  });

  it("rate divides by the seconds between the scheduled instants, not the read times", () => {
    // 600 more over a 60 s scheduled interval = 10/s, however late either read actually ran.
    const step = transformStep("rate", { value: 400, scheduledAt: T0 }, 1_000, T0 + 60_000);
    assert.deepEqual(step.outcome, { kind: "value", value: 10, reset: false });
    // A reset over 30 s: 90 / 30 = 3/s.
    const reset = transformStep("rate", { value: 400, scheduledAt: T0 }, 90, T0 + 30_000);
    assert.deepEqual(reset.outcome, { kind: "value", value: 3, reset: true });
  });

  it("rate at the same or an earlier scheduled instant is skipped with a reason and rebases", () => {
    const state: TransformState = { k: { value: 5, scheduledAt: T0 } };
    const outcome = applyTransform(state, "k", "rate", 9, T0);
    assert.equal(outcome.kind, "skipped");
    assert.match((outcome as { reason: string }).reason, /later scheduled instant/);
    assert.deepEqual(state.k, { value: 9, scheduledAt: T0 });
  });

  it("series are independent: each has its own baseline", () => {
    const state: TransformState = {};
    applyTransform(state, "a", "delta", 10, T0);
    applyTransform(state, "b", "delta", 1_000, T0);
    assert.deepEqual(applyTransform(state, "a", "delta", 15, T0 + 1), {
      kind: "value",
      value: 5,
      reset: false,
    });
    assert.deepEqual(applyTransform(state, "b", "delta", 1_001, T0 + 1), {
      kind: "value",
      value: 1,
      reset: false,
    });
  });

  it("the sum of the deltas equals the counter's total increase, resets included", () => {
    const counter = [5, 8, 8, 20, 3, 9, 40, 0, 2];
    const state: TransformState = {};
    let sum = 0;
    counter.forEach((v, i) => {
      const o = applyTransform(state, "k", "delta", v, T0 + i * 1000);
      if (o.kind === "value") sum += o.value;
    });
    // Increases: 3 + 0 + 12 + (reset) 3 + 6 + 31 + (reset) 0 + 2 = 57.
    assert.equal(sum, 57);
  });
});

describe("seriesKey", () => {
  it("ignores the order of dimensions and tells namespace, name and values apart", () => {
    const a = seriesKey({
      namespace: "N",
      name: "m",
      dimensions: [
        { Name: "A", Value: "1" },
        { Name: "B", Value: "2" },
      ],
    });
    const b = seriesKey({
      namespace: "N",
      name: "m",
      dimensions: [
        { Name: "B", Value: "2" },
        { Name: "A", Value: "1" },
      ],
    });
    assert.equal(a, b);
    assert.notEqual(
      a,
      seriesKey({
        namespace: "N2",
        name: "m",
        dimensions: [
          { Name: "A", Value: "1" },
          { Name: "B", Value: "2" },
        ],
      }),
    );
    assert.notEqual(a, seriesKey({ namespace: "N", name: "m", dimensions: [{ Name: "A", Value: "1" }] }));
  });
});
