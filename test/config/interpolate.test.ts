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

describe("interpolate: platform placeholders", () => {
  const env = { A: "x" };
  it("stands in a value of its kind without platform values, and lists the placeholder", () => {
    const result = interpolate("i=${aws:InstanceId} ${ecs:TaskId:-none} ${A}", env);
    assert.ok(result.ok);
    assert.equal(result.value, "i=i-0123456789abcdef0 0123456789abcdef0123456789abcdef x");
    assert.deepEqual(result.placeholders, [
      { name: "aws:InstanceId", fallback: undefined },
      { name: "ecs:TaskId", fallback: "none" },
    ]);
    assert.deepEqual(result.references, [{ name: "A", value: "x" }]);
  });
  it("takes the value read, else the default; a value read is a reference (hidden where sources are)", () => {
    const platform = new Map([["aws:InstanceId", "i-1"]] as const);
    const result = interpolate("${aws:InstanceId}/${aws:Region:-local}/${aws:Region-also}", env, platform);
    assert.ok(result.ok);
    assert.equal(result.value, "i-1/local/also");
    assert.deepEqual(result.references, [{ name: "aws:InstanceId", value: "i-1" }]);
  });
  it("a placeholder not read and with no default is an error naming it", () => {
    assert.deepEqual(interpolate("${aws:Region}", env, new Map()), {
      ok: false,
      message: "${aws:Region} could not be read from the platform; give it a default: ${aws:Region:-value}",
    });
  });
  it("an unknown name: did you mean, the prefix's names, or how placeholders begin", () => {
    const message = (text: string) => {
      const result = interpolate(text, env);
      assert.ok(!result.ok);
      return result.message;
    };
    assert.equal(
      message("${aws:instanceid}"),
      '"${aws:instanceid}" is not a known placeholder; did you mean ${aws:InstanceId}?',
    );
    assert.match(
      message("${ecs:Nope}"),
      /^"\$\{ecs:Nope\}" is not a known placeholder; the ecs: placeholders are \$\{ecs:ClusterName\}, /,
    );
    assert.equal(
      message("${k8s:PodName}"),
      '"${k8s:PodName}" is not a known placeholder; placeholders begin with aws: or ecs:; for an environment variable write ${NAME}',
    );
  });
  it("leaves $${aws:InstanceId} literal and ${VAR:-a:b} a variable", () => {
    const literal = interpolate("$${aws:InstanceId}", env);
    assert.ok(literal.ok);
    assert.equal(literal.value, "${aws:InstanceId}");
    const variable = interpolate("${UNSET:-aws:InstanceId}", env);
    assert.ok(variable.ok);
    assert.equal(variable.value, "aws:InstanceId");
  });
});
