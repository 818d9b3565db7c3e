import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runReport } from "../../src/pipeline/report.js";
import { Stats } from "../../src/pipeline/stats.js";

function stats(change: (s: Stats) => void): Stats {
  const s = new Stats();
  change(s);
  return s;
}

describe("runReport", () => {
  it("is complete when every metric was read and every datum delivered, a replayed backlog included", () => {
    const s = stats((s) => {
      s.collected = 2;
      s.readings = 2;
      s.replayed = 5;
      s.published = 7;
      s.replayedPublished = 5;
      s.requests = 1;
    });
    const report = runReport(s, 2, 0);
    assert.equal(report.complete, true);
    assert.equal(report.delivered, 2, "the datums read in this run, not the backlog");
    assert.deepEqual(report.replayed, { found: 5, delivered: 5 });
    assert.deepEqual(report.dropped, {});
  });

  it("is not complete when a read failed, a datum was dropped, a metric was not read or datums are left", () => {
    const read = (s: Stats) => {
      s.collected = 2;
      s.readings = 2;
      s.published = 2;
    };
    const cases: [string, Stats, number][] = [
      [
        "a read failed",
        stats((s) => {
          read(s);
          s.readFailures++;
        }),
        0,
      ],
      [
        "a read was skipped",
        stats((s) => {
          read(s);
          s.skippedRuns++;
        }),
        0,
      ],
      [
        "a datum was dropped",
        stats((s) => {
          read(s);
          s.drop("invalid");
        }),
        0,
      ],
      [
        "a metric was not read",
        stats((s) => {
          s.collected = 1;
          s.readings = 1;
          s.published = 1;
        }),
        0,
      ],
      ["datums are left", stats(read), 3],
    ];
    for (const [what, s, left] of cases) assert.equal(runReport(s, 2, left).complete, false, what);
    assert.deepEqual(runReport(cases[2]![1], 2, 0).dropped, { invalid: 1 });
  });

  it("counts metrics read, not datums: three filesystems and a counter's first read (no datum yet) are complete", () => {
    const s = stats((s) => {
      s.readings = 2;
      s.collected = 3;
      s.published = 3;
    });
    assert.equal(runReport(s, 2, 0).complete, true);
    assert.equal(runReport(s, 3, 0).complete, false, "a third metric was not read");
  });
});
