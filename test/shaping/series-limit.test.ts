import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_REMEMBERED_REFUSALS, SeriesLimit, seriesLimitProblem } from "../../src/shaping/series-limit.js";

describe("SeriesLimit", () => {
  it("admits up to maxSeries new series, then refuses new ones, logging each once and counting all", () => {
    const limit = new SeriesLimit(2);
    assert.deepEqual(limit.admit("a"), { admitted: true });
    assert.deepEqual(limit.admit("b"), { admitted: true });
    assert.deepEqual(limit.admit("a"), { admitted: true }, "a known series is always admitted");
    const first = limit.admit("c");
    assert.equal(first.admitted, false);
    assert.equal(first.logOnce, true);
    assert.match(first.reason, /limits\.maxSeries \(2 series/);
    const again = limit.admit("c");
    assert.equal(!again.admitted && again.logOnce, false);
    assert.equal(limit.admit("d").admitted, false);
    assert.equal(limit.size, 2);
    assert.equal(limit.refused, 3);
  });

  it("remembers at most MAX_REMEMBERED_REFUSALS refused series; past it still refuses and counts", () => {
    const limit = new SeriesLimit(0);
    let logged = 0;
    for (let i = 0; i < MAX_REMEMBERED_REFUSALS + 5; i++) {
      const a = limit.admit(`s${i}`);
      if (!a.admitted && a.logOnce) logged++;
    }
    assert.equal(logged, MAX_REMEMBERED_REFUSALS);
    assert.equal(limit.refused, MAX_REMEMBERED_REFUSALS + 5);
  });
});

describe("seriesLimitProblem", () => {
  const parts = [
    { label: 'metrics[0] "a"', series: 3 },
    { label: 'metrics[1] "b"', series: 10 },
    { label: 'metrics[2] "c"', series: 1 },
    { label: 'metrics[3] "d"', series: 6 },
  ];
  it("is undefined at or under the limit", () => assert.equal(seriesLimitProblem(parts, 20), undefined));
  it("names the count and the three largest contributors", () => {
    assert.equal(
      seriesLimitProblem(parts, 19),
      'the config publishes 20 distinct series, more than limits.maxSeries (19); the largest: metrics[1] "b" (10), metrics[3] "d" (6), metrics[0] "a" (3)',
    );
  });
});
