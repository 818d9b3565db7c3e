/** combine: the values of the scraped series that fall into one published series, as one. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { combined } from "../../../src/sources/prometheus/combine.js";

describe("combined", () => {
  const values = [4, -1, 9, 2];
  it("sum", () => assert.equal(combined("sum", values), 14));
  it("max", () => assert.equal(combined("max", values), 9));
  it("min", () => assert.equal(combined("min", values), -1));
  it("avg", () => assert.equal(combined("avg", values), 3.5));
  it("one value is itself, whichever the rule", () => {
    for (const how of ["sum", "max", "min", "avg"] as const) assert.equal(combined(how, [7]), 7);
  });
});
