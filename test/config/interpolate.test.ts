import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { interpolate, typedSubstitution } from "../../src/config/interpolate.js";
import { sharedConfigSchema } from "../../src/config/schema.js";
import { schemaTypesAt } from "../../src/config/schema-types.js";

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
    it(`${input} → ${expected}`, () => {
      const result = interpolate(input, env);
      assert.ok(result.ok);
      assert.equal(result.value, expected);
    });
  }
  it("lists the variables it used, with their values (a fallback is no variable)", () => {
    const result = interpolate("${A}-${UNSET:-d}-${A}", env);
    assert.ok(result.ok);
    assert.deepEqual(result.references, [
      { name: "A", value: "x" },
      { name: "A", value: "x" },
    ]);
  });
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

describe("typedSubstitution", () => {
  const numbers = new Set(["number"]);
  it("types numbers and booleans only where the schema wants them", () => {
    assert.equal(typedSubstitution("60", numbers), 60);
    assert.equal(typedSubstitution("-1.5e3", numbers), -1500);
    assert.equal(typedSubstitution("true", new Set(["boolean"])), true);
    assert.equal(typedSubstitution("false", new Set(["boolean"])), false);
    assert.equal(typedSubstitution("12abc", numbers), "12abc");
    assert.equal(typedSubstitution("", numbers), "");
  });
  it("keeps text where the schema wants text, whatever it spells", () => {
    const text = new Set(["string"]);
    assert.equal(typedSubstitution("007", text), "007");
    assert.equal(typedSubstitution("true", text), "true");
    assert.equal(typedSubstitution("1e3", new Set()), "1e3");
  });
});

describe("schemaTypesAt", () => {
  const cases: [(string | number)[], string[]][] = [
    [["defaults", "storageResolution"], ["number"]],
    [["defaults", "dimensions", "Host"], ["string"]],
    [["metrics", 3, "dimensions", "Host"], ["string"]],
    [["metrics", 0, "name"], ["string"]],
    [["metrics", 0, "scale"], ["number"]],
    [["metrics", 0, "runOnStart"], ["boolean"]],
    [["metrics", 0, "source", "value"], ["number"]],
    [["metrics", 0, "source", "command", 2], ["string"]],
    [["metrics", 0, "source", "headers", "X-Api-Key"], ["string"]],
    [["delivery", "maxBufferedDatums"], ["integer"]],
    [["health", "port"], ["integer"]],
    [["version"], ["number"]],
    [["nowhere"], []],
  ];
  for (const [path, expected] of cases)
    it(path.join("."), () =>
      assert.deepEqual([...schemaTypesAt(sharedConfigSchema(), path)].sort(), expected),
    );
});
