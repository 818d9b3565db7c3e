/** A histogram series' bucket increases over one interval → CloudWatch Values + Counts. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { histogramDistribution } from "../../../src/sources/prometheus/histogram-distribution.js";

const INF = Infinity;

describe("histogramDistribution", () => {
  it("gives each bucket's own count at its upper bound, leaving empty buckets out", () => {
    assert.deepEqual(histogramDistribution([0.1, 0.5, 1, INF], [2, 2, 5, 5], "upperBound"), {
      ok: true,
      distribution: { values: [0.1, 1], counts: [2, 3] },
    });
  });

  it("puts the +Inf bucket's observations at the largest finite bound, so sum(Counts) is the count's increase", () => {
    const outcome = histogramDistribution([1, 2, INF], [1, 3, 10], "upperBound");
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.distribution, { values: [1, 2], counts: [1, 9] });
    assert.equal(
      outcome.distribution.counts.reduce((a, b) => a + b, 0),
      10,
    );
  });

  it("only +Inf observations: all at the largest finite bound", () => {
    assert.deepEqual(histogramDistribution([1, 2, INF], [0, 0, 4], "upperBound"), {
      ok: true,
      distribution: { values: [2], counts: [4] },
    });
  });

  it("midpoint: each bucket's value is the middle of it and the bound below (0 below the first positive)", () => {
    assert.deepEqual(histogramDistribution([1, 3, 5, INF], [1, 2, 4, 6], "midpoint"), {
      ok: true,
      distribution: { values: [0.5, 2, 4, 5], counts: [1, 1, 2, 2] },
    });
  });

  it("midpoint of a first bucket with a negative bound is the bound itself", () => {
    assert.deepEqual(histogramDistribution([-2, 0, INF], [1, 1, 1], "midpoint"), {
      ok: true,
      distribution: { values: [-2], counts: [1] },
    });
  });

  it("no observations in the interval: no distribution (no datum)", () => {
    assert.deepEqual(histogramDistribution([1, 2, INF], [0, 0, 0], "upperBound"), {
      ok: true,
      distribution: undefined,
    });
  });

  it("refuses buckets that are not cumulative, naming the two bounds", () => {
    const outcome = histogramDistribution([1, 2, INF], [5, 3, 5], "upperBound");
    assert.ok(!outcome.ok);
    assert.match(outcome.reason, /not cumulative.*le="2".*le="1"/);
  });

  for (const bad of [NaN, Infinity])
    it(`refuses a bucket whose increase is ${bad} (a bucket of NaN or +Inf), naming it`, () => {
      assert.deepEqual(histogramDistribution([1, 2, INF], [1, bad, bad], "upperBound"), {
        ok: false,
        reason: `its le="2" bucket is not a finite number`,
      });
      assert.deepEqual(histogramDistribution([1, 2, INF], [1, 1, bad], "upperBound"), {
        ok: false,
        reason: `its le="+Inf" bucket is not a finite number`,
      });
    });

  it("refuses a histogram with no bucket but +Inf", () => {
    assert.deepEqual(histogramDistribution([INF], [3], "upperBound"), {
      ok: false,
      reason: "the histogram has no bucket but +Inf",
    });
  });
});
