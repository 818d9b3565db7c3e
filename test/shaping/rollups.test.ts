import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { expandRollups, rollupDimensions, rollupProblems } from "../../src/shaping/rollups.js";

describe("rollups", () => {
  const dims = { Environment: "prod", Host: "web-1", Service: "api" };

  it("each rollup keeps exactly the listed dimensions; [] keeps none", () => {
    assert.deepEqual(rollupDimensions(dims, [["Environment"], [], ["Service", "Environment"]]), [
      { Environment: "prod" },
      {},
      { Service: "api", Environment: "prod" },
    ]);
  });

  it("expandRollups: the datum itself first, then one copy per rollup series with the same value and timestamp", () => {
    const datum = { metric: "full", value: 3, timestamp: 1000 };
    assert.deepEqual(expandRollups(datum, ["env", "none"]), [
      datum,
      { metric: "env", value: 3, timestamp: 1000 },
      { metric: "none", value: 3, timestamp: 1000 },
    ]);
    assert.deepEqual(expandRollups(datum, []), [datum]);
  });

  it("valid rollups have no problems", () => {
    assert.deepEqual(rollupProblems([["Environment"], [], ["Host", "Service"]], Object.keys(dims)), []);
  });

  it("a name that is not a dimension is located, with did-you-mean", () => {
    assert.deepEqual(rollupProblems([["Environment"], ["Enviroment", "Host"]], Object.keys(dims)), [
      {
        rollup: 1,
        name: 0,
        message:
          '"Enviroment" is not one of the metric\'s dimensions (it has "Environment", "Host", "Service"); did you mean "Environment"?',
      },
    ]);
  });

  it("no suggestion when nothing is close; a metric without dimensions says so", () => {
    const [far] = rollupProblems([["Zone"]], ["Host"]);
    assert.equal(far?.message, '"Zone" is not one of the metric\'s dimensions (it has "Host")');
    const [none] = rollupProblems([["Host"]], []);
    assert.match(none?.message ?? "", /it has none/);
  });

  it("a name twice, a rollup of every dimension and a repeated rollup are problems", () => {
    const problems = rollupProblems(
      [["Host", "Host"], ["Service", "Host", "Environment"], ["Host"]],
      Object.keys(dims),
    );
    assert.deepEqual(
      problems.map((p) => [p.rollup, p.name, p.message]),
      [
        [0, 1, '"Host" is listed twice in this rollup'],
        [
          1,
          undefined,
          "keeps every dimension, so it is the metric's own series and would count each read twice",
        ],
        [2, undefined, "is the same series as rollups[0]"],
      ],
    );
  });

  it("[] on a metric without dimensions is its own series", () => {
    assert.match(rollupProblems([[]], [])[0]?.message ?? "", /own series/);
  });
});
