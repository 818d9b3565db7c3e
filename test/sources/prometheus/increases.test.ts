/**
 * Increases: each scraped series' increase since the previous scrape, before any combining. The first
 * scrape only sets baselines, a series new in a later scrape counts from zero, a reset gives the new
 * value, baselines of series gone are forgotten, and a histogram's buckets restart together.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Increases } from "../../../src/sources/prometheus/increases.js";
import { memoryBaselines, type CounterBaselines } from "../../../src/sources/types.js";

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

/** Baselines in memory that also say which keys they hold. */
function inspectable(): CounterBaselines & { keys(): string[] } {
  const map = new Map<string, { value: number; scheduledAt: number }>();
  return {
    get: (key) => map.get(key),
    set: (key, baseline) => void map.set(key, baseline),
    delete: (key) => void map.delete(key),
    keys: () => [...map.keys()].sort(),
  };
}

/** One scrape: each series' value in, each series' outcome out, then commit. */
function scrape(increases: Increases, at: number, values: Record<string, number>) {
  const out: Record<string, unknown> = {};
  for (const [series, value] of Object.entries(values)) out[series] = increases.counter(series, value, at);
  increases.commit(at);
  return out;
}

describe("Increases.counter", () => {
  it("sets baselines on the first scrape, then gives each series' increase", () => {
    const increases = new Increases(memoryBaselines(), "delta");
    assert.deepEqual(scrape(increases, T0, { a: 10, b: 5 }), {
      a: { kind: "baseline" },
      b: { kind: "baseline" },
    });
    assert.deepEqual(scrape(increases, T0 + MINUTE, { a: 15, b: 5 }), {
      a: { kind: "value", value: 5 },
      b: { kind: "value", value: 0 },
    });
  });

  it("a reset (a lower value) gives the new value as the increase, never a negative one", () => {
    const increases = new Increases(memoryBaselines(), "delta");
    scrape(increases, T0, { a: 100 });
    assert.deepEqual(scrape(increases, T0 + MINUTE, { a: 7 }), { a: { kind: "value", value: 7 } });
    assert.deepEqual(scrape(increases, T0 + 2 * MINUTE, { a: 9 }), { a: { kind: "value", value: 2 } });
  });

  it("a series first seen in a later scrape counts from zero: its whole value is new", () => {
    const increases = new Increases(memoryBaselines(), "delta");
    scrape(increases, T0, { a: 1 });
    assert.deepEqual(scrape(increases, T0 + MINUTE, { a: 1, fresh: 3 }), {
      a: { kind: "value", value: 0 },
      fresh: { kind: "value", value: 3 },
    });
  });

  it("a baseline saved before a restart is used on the first scrape", () => {
    const store = memoryBaselines();
    store.set("a", { value: 40, scheduledAt: T0 });
    const increases = new Increases(store, "delta");
    assert.deepEqual(scrape(increases, T0 + MINUTE, { a: 45, b: 2 }), {
      a: { kind: "value", value: 5 },
      b: { kind: "baseline" },
    });
  });

  it("forgets the baselines of series gone from the endpoint; back later, they count from zero", () => {
    const store = inspectable();
    const increases = new Increases(store, "delta");
    scrape(increases, T0, { a: 1, b: 50 });
    assert.deepEqual(store.keys(), ["a", "b"]);
    scrape(increases, T0 + MINUTE, { a: 2 });
    assert.deepEqual(store.keys(), ["a"]);
    assert.deepEqual(scrape(increases, T0 + 2 * MINUTE, { a: 3, b: 52 }), {
      a: { kind: "value", value: 1 },
      b: { kind: "value", value: 52 },
    });
  });

  it("rate divides the increase by the seconds between the scheduled instants", () => {
    const increases = new Increases(memoryBaselines(), "rate");
    scrape(increases, T0, { a: 0 });
    assert.deepEqual(scrape(increases, T0 + MINUTE, { a: 30 }), { a: { kind: "value", value: 0.5 } });
    // a series new in a later scrape: its value over the seconds since the previous scrape
    assert.deepEqual(scrape(increases, T0 + 3 * MINUTE, { a: 30, b: 240 }), {
      a: { kind: "value", value: 0 },
      b: { kind: "value", value: 2 },
    });
  });

  for (const bad of [NaN, Infinity, -Infinity]) {
    it(`skips a value of ${bad} with the reason, and keeps the series' baseline for the next scrape`, () => {
      const increases = new Increases(memoryBaselines(), "delta");
      scrape(increases, T0, { a: 100 });
      assert.deepEqual(scrape(increases, T0 + MINUTE, { a: bad }), {
        a: { kind: "skipped", reason: `the counter's value is ${bad}, which no counter takes` },
      });
      // Not a new series: its increase is from the last good value, not its whole value.
      assert.deepEqual(scrape(increases, T0 + 2 * MINUTE, { a: 104 }), { a: { kind: "value", value: 4 } });
    });
  }
});

describe("Increases.buckets", () => {
  const bounds = [0.1, 1, Infinity];

  it("sets baselines on the first scrape, then gives each cumulative bucket's increase", () => {
    const increases = new Increases(memoryBaselines(), "delta");
    assert.deepEqual(increases.buckets("s", bounds, [1, 2, 3], T0), { kind: "baseline" });
    increases.commit(T0);
    assert.deepEqual(increases.buckets("s", bounds, [2, 5, 7], T0 + MINUTE), {
      kind: "value",
      value: [1, 3, 4],
    });
  });

  it("a drop of any bucket is a restart of the series: the increases are the current counts", () => {
    const increases = new Increases(memoryBaselines(), "delta");
    increases.buckets("s", bounds, [5, 10, 10], T0);
    increases.commit(T0);
    assert.deepEqual(increases.buckets("s", bounds, [6, 8, 12], T0 + MINUTE), {
      kind: "value",
      value: [6, 8, 12],
    });
  });

  it("a series whose bounds changed restarted: the increases are the current counts", () => {
    const increases = new Increases(memoryBaselines(), "delta");
    increases.buckets("s", [1, Infinity], [5, 8], T0);
    increases.commit(T0);
    // A bucket le="0.5" appeared and no count dropped: still a restart, not an increase of 3 in le="0.5".
    assert.deepEqual(increases.buckets("s", [0.5, 1, Infinity], [3, 6, 9], T0 + MINUTE), {
      kind: "value",
      value: [3, 6, 9],
    });
    increases.commit(T0 + MINUTE);
    assert.deepEqual(increases.buckets("s", [0.5, 1, Infinity], [3, 7, 10], T0 + 2 * MINUTE), {
      kind: "value",
      value: [0, 1, 1],
    });
  });

  it("a histogram series new in a later scrape counts from zero", () => {
    const increases = new Increases(memoryBaselines(), "delta");
    increases.buckets("old", bounds, [0, 0, 0], T0);
    increases.commit(T0);
    assert.deepEqual(increases.buckets("new", bounds, [1, 2, 2], T0 + MINUTE), {
      kind: "value",
      value: [1, 2, 2],
    });
  });

  it("forgets the buckets of a series gone from the endpoint", () => {
    const store = inspectable();
    const increases = new Increases(store, "delta");
    increases.buckets("a", bounds, [0, 0, 0], T0);
    increases.buckets("b", bounds, [0, 0, 0], T0);
    increases.commit(T0);
    increases.buckets("a", bounds, [0, 0, 0], T0 + MINUTE);
    increases.commit(T0 + MINUTE);
    assert.equal(store.keys().length, bounds.length);
    assert.ok(store.keys().every((key) => key.startsWith("a")));
  });
});
