import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { closest, editDistance } from "../../src/common/suggest.js";

describe("editDistance", () => {
  const cases: [string, string, number][] = [
    ["", "", 0],
    ["a", "", 1],
    ["name", "name", 0],
    ["nmae", "name", 1],
    ["metric", "metrics", 1],
    ["kitten", "sitting", 3],
  ];
  for (const [a, b, d] of cases) it(`${a} ~ ${b} = ${d}`, () => assert.equal(editDistance(a, b), d));
});

describe("closest", () => {
  const keys = ["name", "namespace", "schedule", "timezone", "source"];
  it("suggests a near miss", () => assert.equal(closest("shedule", keys), "schedule"));
  it("suggests across case", () => assert.equal(closest("NAME", keys), "name"));
  it("suggests nothing for a far word", () => assert.equal(closest("colour", keys), undefined));
  it("is strict for short words", () => assert.equal(closest("ab", ["xy"]), undefined));
});
