import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import {
  aggregateStatePath,
  restoreAggregateState,
  saveAggregateState,
} from "../../src/shaping/aggregate-snapshot.js";
import {
  AggregateWindow,
  MAX_VALUES_PER_DATUM,
  periodStart,
  type Aggregated,
  type AggregateRule,
} from "../../src/shaping/aggregate-window.js";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0); // a multiple of every period used here
const TEN_S: AggregateRule = { periodMs: 10_000, mode: "values" };
const STATS: AggregateRule = { periodMs: 10_000, mode: "statistics" };
const MINUTE: AggregateRule = { periodMs: 60_000, mode: "values" };

function values(d: Aggregated<string>): { values: number[]; counts: number[] } {
  assert.equal(d.kind, "values");
  return { values: d.values, counts: d.counts };
}

describe("periodStart", () => {
  const cases: [number, number, number][] = [
    [T0, 60_000, T0],
    [T0 + 59_999, 60_000, T0],
    [T0 + 60_000, 60_000, T0 + 60_000],
    [T0 + 7_500, 10_000, T0],
    [1_000, 7_000, 0],
    [7_000, 7_000, 7_000],
  ];
  for (const [at, period, start] of cases)
    it(`${at} in periods of ${period} ms starts at ${start}`, () =>
      assert.equal(periodStart(at, period), start));
  it("aligns to the epoch, not to the first read", () => {
    const w = new AggregateWindow<string>();
    w.add("k", "s", MINUTE, 1, T0 + 45_000);
    assert.equal(w.flush()[0]!.timestamp, T0);
  });
});

describe("AggregateWindow", () => {
  it("values: a read every second over a 10 s period gives one datum, Counts summing to the reads", () => {
    const w = new AggregateWindow<string>();
    const reads = [3, 1, 3, 2, 3, 1, 5, 3, 2, 1]; // one per second from T0
    reads.forEach((v, i) => w.add("k", "s", TEN_S, v, T0 + i * 1000));
    w.add("k", "s", TEN_S, 9, T0 + 10_000); // the next period
    assert.deepEqual(w.close(T0 + 9_999), [], "a period is not emitted before it ends");
    const out = w.close(T0 + 10_000);
    assert.equal(out.length, 1);
    assert.equal(out[0]!.timestamp, T0);
    assert.deepEqual(values(out[0]!), { values: [1, 2, 3, 5], counts: [3, 2, 4, 1] });
    assert.equal(
      values(out[0]!).counts.reduce((a, b) => a + b, 0),
      reads.length,
    );
    assert.equal(w.openSamples, 1);
    assert.deepEqual(values(w.close(T0 + 20_000)[0]!), { values: [9], counts: [1] });
  });

  it("statistics: SampleCount, Sum, Minimum and Maximum match the reads exactly", () => {
    const w = new AggregateWindow<string>();
    const reads = [4, -2.5, 10, 0.25, 4];
    reads.forEach((v, i) => w.add("k", "s", STATS, v, T0 + i * 2000));
    const [d] = w.close(T0 + 10_000);
    assert.equal(d?.kind, "statistics");
    assert.deepEqual(d.statistics, {
      SampleCount: 5,
      Sum: 15.75,
      Minimum: -2.5,
      Maximum: 10,
    });
  });

  it("more than 150 distinct values split into datums of at most 150, same timestamp, nothing lost", () => {
    const w = new AggregateWindow<string>();
    // 320 distinct values, value v read (v % 3) + 1 times: 150 + 150 + 20.
    let reads = 0;
    for (let v = 0; v < 320; v++)
      for (let n = 0; n <= v % 3; n++, reads++) w.add("k", "s", MINUTE, v, T0 + (reads % 60) * 1000);
    const out = w.close(T0 + 60_000);
    assert.deepEqual(
      out.map((d) => values(d).values.length),
      [MAX_VALUES_PER_DATUM, MAX_VALUES_PER_DATUM, 20],
    );
    assert.ok(out.every((d) => d.timestamp === T0));
    const all = out.flatMap((d) => values(d).values);
    assert.deepEqual(
      all,
      Array.from({ length: 320 }, (_, v) => v),
    );
    assert.equal(
      out.flatMap((d) => values(d).counts).reduce((a, b) => a + b, 0),
      reads,
    );
  });

  it("exactly 150 distinct values stay one datum", () => {
    const w = new AggregateWindow<string>();
    for (let v = 0; v < 150; v++) w.add("k", "s", MINUTE, v, T0);
    assert.equal(w.flush().length, 1);
  });

  it("one datum per series per period, ordered by timestamp then series", () => {
    const w = new AggregateWindow<string>();
    for (let s = 0; s < 20; s++) w.add("b", "B", TEN_S, s, T0 + s * 1000);
    for (let s = 0; s < 20; s++) w.add("a", "A", TEN_S, s, T0 + s * 1000);
    const out = w.close(T0 + 20_000);
    assert.deepEqual(
      out.map((d) => [d.key, d.series, d.timestamp]),
      [
        ["a", "A", T0],
        ["b", "B", T0],
        ["a", "A", T0 + 10_000],
        ["b", "B", T0 + 10_000],
      ],
    );
    assert.equal(w.openSamples, 0);
  });

  it("a late read for an earlier open period lands in that period, not the current one", () => {
    const w = new AggregateWindow<string>();
    w.add("k", "s", TEN_S, 1, T0 + 11_000);
    w.add("k", "s", TEN_S, 2, T0 + 9_000); // scheduled in the first period, finished late
    const out = w.close(T0 + 20_000);
    assert.deepEqual(
      out.map((d) => [d.timestamp, values(d).values]),
      [
        [T0, [2]],
        [T0 + 10_000, [1]],
      ],
    );
  });

  it("flush at shutdown emits the open period as it is", () => {
    const w = new AggregateWindow<string>();
    w.add("k", "s", MINUTE, 7, T0 + 5_000);
    w.add("k", "s", MINUTE, 7, T0 + 6_000);
    assert.deepEqual(w.close(T0 + 30_000), []);
    const out = w.flush();
    assert.deepEqual(values(out[0]!), { values: [7], counts: [2] });
    assert.equal(out[0]!.timestamp, T0);
    assert.deepEqual(w.flush(), []);
  });

  it("refuses a value that is not a finite number, keeping the others", () => {
    const w = new AggregateWindow<string>();
    assert.deepEqual(w.add("k", "s", MINUTE, 1, T0), { ok: true });
    const refused = w.add("k", "s", MINUTE, Number.NaN, T0);
    assert.equal(refused.ok, false);
    assert.equal(w.openSamples, 1);
  });
});

describe("aggregate snapshot", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "cwp-aggregate-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("a restart restores the open periods: the datum after it equals the one without the restart", () => {
    const reads = [5, 5, 6, 9, 1];
    const uninterrupted = new AggregateWindow<string>();
    reads.forEach((v, i) => uninterrupted.add("k", "s", MINUTE, v, T0 + i * 1000));
    const before = new AggregateWindow<string>();
    reads.slice(0, 3).forEach((v, i) => before.add("k", "s", MINUTE, v, T0 + i * 1000));
    before.add("st", "S", STATS, 5, T0);
    before.add("st", "S", STATS, 6, T0 + 1000);
    assert.deepEqual(saveAggregateState(dir, before, T0 + 3000), { ok: true });
    // The process dies here; a new one restores what was saved.
    const after = new AggregateWindow<string>();
    const restore = restoreAggregateState(dir, after, (key) =>
      key === "k" ? "s" : key === "st" ? "S" : undefined,
    );
    assert.deepEqual(restore, { restored: 2, droppedSamples: 0, problem: undefined });
    reads.slice(3).forEach((v, i) => after.add("k", "s", MINUTE, v, T0 + (i + 3) * 1000));
    const out = after.close(T0 + 60_000);
    assert.deepEqual(
      out.filter((d) => d.key === "k"),
      uninterrupted.close(T0 + 60_000),
    );
    const st = out.find((d) => d.key === "st");
    assert.deepEqual(st?.kind === "statistics" ? st.statistics : undefined, {
      SampleCount: 2,
      Sum: 11,
      Minimum: 5,
      Maximum: 6,
    });
  });

  it("samples of a series no longer configured are counted as dropped", () => {
    const w = new AggregateWindow<string>();
    w.add("gone", "g", MINUTE, 1, T0);
    w.add("gone", "g", MINUTE, 1, T0 + 1000);
    w.add("gone", "g", MINUTE, 2, T0 + 2000);
    saveAggregateState(dir, w, T0);
    const after = new AggregateWindow<string>();
    assert.deepEqual(
      restoreAggregateState(dir, after, () => undefined),
      {
        restored: 0,
        droppedSamples: 3,
        problem: undefined,
      },
    );
    assert.equal(after.openSamples, 0);
  });

  it("a missing file restores nothing; a corrupt one is a reason", () => {
    const w = new AggregateWindow<string>();
    assert.deepEqual(
      restoreAggregateState(dir, w, () => "s"),
      { restored: 0, droppedSamples: 0, problem: undefined },
    );
    writeFileSync(
      aggregateStatePath(dir),
      '{"version":1,"savedAt":0,"periods":[{"key":"k","periodMs":60000,"mode":"values","start":0,"samples":[[1]]}]}',
    );
    const corrupt = restoreAggregateState(dir, w, () => "s");
    assert.match(corrupt.problem ?? "", /samples are not 2-number lists.*start empty/);
    assert.equal(w.openSamples, 0);
  });
});
