import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { interpolate, retypePlain } from "../../src/config/interpolate.js";

describe("interpolate", () => {
  const env = { A: "x", EMPTY: "" };
  const cases: [string, string][] = [
    ["plain", "plain"],
    ["${A}", "x"],
    ["a-${A}-b", "a-x-b"],
    ["${A}${A}", "xx"],
    ["${UNSET:-d}", "d"],
    ["${EMPTY:-d}", "d"],
    ["${EMPTY-d}", ""],
    ["${UNSET-d}", "d"],
    ["${UNSET:-}", ""],
    ["${UNSET:-a:b}", "a:b"],
    ["$${A}", "${A}"],
    ["cost $5", "cost $5"],
    ["$$", "$$"],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () =>
      assert.deepEqual(interpolate(input, env), { ok: true, value: expected }));
  }
  it("names an unset variable", () => {
    assert.deepEqual(interpolate("${NOPE}", env), {
      ok: false,
      message: "environment variable NOPE is not set; set it, or give a default: ${NOPE:-value}",
    });
  });
  it("rejects a malformed reference", () => {
    assert.equal(interpolate("${A B}", env).ok, false);
    assert.equal(interpolate("${", env).ok, false);
  });
});

describe("retypePlain", () => {
  it("types numbers and booleans, leaves other text", () => {
    assert.equal(retypePlain("60"), 60);
    assert.equal(retypePlain("-1.5e3"), -1500);
    assert.equal(retypePlain("true"), true);
    assert.equal(retypePlain("false"), false);
    assert.equal(retypePlain("12abc"), "12abc");
    assert.equal(retypePlain(""), "");
  });
});
