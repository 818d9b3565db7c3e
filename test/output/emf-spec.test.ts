/**
 * The EMF checker itself, against the specification's own example and single-rule breaks of it: a
 * checker that accepts everything would make every EMF test pass, so each rule must be seen failing.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { emfSpecProblems, parseEmfLines } from "../support/emf-spec.js";

/** "The following is a valid example of embedded metric format." (the specification, verbatim) */
const SPEC_EXAMPLE = {
  _aws: {
    Timestamp: 1574109732004,
    CloudWatchMetrics: [
      {
        Namespace: "lambda-function-metrics",
        Dimensions: [["functionVersion"]],
        Metrics: [{ Name: "time", Unit: "Milliseconds", StorageResolution: 60 }],
      },
    ],
  },
  functionVersion: "$LATEST",
  time: 100,
  requestId: "989ffbf8-9ace-4817-a57c-e4dd734019ee",
};

type Doc = typeof SPEC_EXAMPLE & Record<string, unknown>;

/** The example, changed by `edit` (on a deep copy). */
function variant(edit: (doc: Doc) => void): string {
  const doc = structuredClone(SPEC_EXAMPLE) as Doc;
  edit(doc);
  return JSON.stringify(doc);
}

const directive = (doc: Doc) => doc._aws.CloudWatchMetrics[0]! as Record<string, unknown>;
const definition = (doc: Doc) => doc._aws.CloudWatchMetrics[0]!.Metrics[0]! as Record<string, unknown>;

describe("the EMF specification checker", () => {
  it("accepts the specification's example", () => {
    assert.deepEqual(emfSpecProblems(JSON.stringify(SPEC_EXAMPLE)), []);
  });

  it("accepts what the specification allows: an empty DimensionSet, an array target, no Unit", () => {
    const line = variant((doc) => {
      directive(doc).Dimensions = [[]];
      (doc as Record<string, unknown>).time = [1, 2, 3];
      delete definition(doc).Unit;
      delete definition(doc).StorageResolution;
    });
    assert.deepEqual(emfSpecProblems(line), []);
  });

  it("accepts 100 MetricDefinitions, 30 dimension keys and 100 array members: the limits themselves", () => {
    const line = variant((doc) => {
      directive(doc).Metrics = Array.from({ length: 100 }, (_, i) => ({ Name: `m${i}` }));
      for (let i = 0; i < 100; i++) doc[`m${i}`] = Array.from({ length: 100 }, () => i);
      const keys = Array.from({ length: 30 }, (_, i) => `d${i}`);
      directive(doc).Dimensions = [keys];
      for (const key of keys) doc[key] = "v".repeat(1024);
    });
    assert.deepEqual(emfSpecProblems(line), []);
  });

  const broken: [string, string, RegExp][] = [
    ["not JSON", "{", /not JSON/],
    ["a JSON array", "[]", /root node must be a JSON object/],
    ["two lines", `${JSON.stringify(SPEC_EXAMPLE)}\n{}`, /more than one line/],
    ["no _aws", variant((doc) => Reflect.deleteProperty(doc, "_aws")), /_aws: the metadata member/],
    ["no Timestamp", variant((doc) => Reflect.deleteProperty(doc._aws, "Timestamp")), /Timestamp/],
    [
      "Timestamp in seconds with a fraction",
      variant((doc) => (doc._aws.Timestamp = 1574109732.004)),
      /Timestamp/,
    ],
    [
      "Timestamp as a string",
      variant((doc) => ((doc._aws as Record<string, unknown>).Timestamp = "1")),
      /Timestamp/,
    ],
    ["an unknown member in _aws", variant((doc) => ((doc._aws as Record<string, unknown>).Foo = 1)), /"Foo"/],
    [
      "no CloudWatchMetrics",
      variant((doc) => Reflect.deleteProperty(doc._aws, "CloudWatchMetrics")),
      /CloudWatchMetrics/,
    ],
    ["no Namespace", variant((doc) => delete directive(doc).Namespace), /Namespace: must be a string/],
    ["an empty Namespace", variant((doc) => (directive(doc).Namespace = "")), /Namespace: must be 1 to 1024/],
    ["no Dimensions", variant((doc) => delete directive(doc).Dimensions), /Dimensions: must be an array/],
    ["Dimensions: []", variant((doc) => (directive(doc).Dimensions = [])), /at least one DimensionSet/],
    [
      "a DimensionSet as a string",
      variant((doc) => (directive(doc).Dimensions = ["functionVersion"])),
      /DimensionSet must be an array/,
    ],
    [
      "31 dimension keys",
      variant((doc) => {
        const keys = Array.from({ length: 31 }, (_, i) => `d${i}`);
        directive(doc).Dimensions = [keys];
        for (const key of keys) doc[key] = "v";
      }),
      /31 dimension keys; at most 30/,
    ],
    [
      "a dimension key of 251 characters",
      variant((doc) => {
        directive(doc).Dimensions = [["k".repeat(251)]];
        doc["k".repeat(251)] = "v";
      }),
      /1 to 250 characters/,
    ],
    [
      "a dimension target missing",
      variant((doc) => Reflect.deleteProperty(doc, "functionVersion")),
      /dimension target is missing/,
    ],
    [
      "a dimension target that is a number",
      variant((doc) => ((doc as Record<string, unknown>).functionVersion = 1)),
      /must be a string/,
    ],
    [
      "a dimension value of 1025 characters",
      variant((doc) => (doc.functionVersion = "v".repeat(1025))),
      /more than 1024 characters/,
    ],
    [
      "a nested dimension target",
      variant((doc) => {
        directive(doc).Dimensions = [["A.a"]];
        doc.A = { a: "x" };
      }),
      /"A.a": the dimension target is missing/,
    ],
    ["no Metrics", variant((doc) => delete directive(doc).Metrics), /Metrics: must be an array/],
    [
      "101 MetricDefinitions",
      variant((doc) => {
        directive(doc).Metrics = Array.from({ length: 101 }, (_, i) => ({ Name: `m${i}` }));
        for (let i = 0; i < 101; i++) doc[`m${i}`] = i;
      }),
      /101 MetricDefinitions; at most 100/,
    ],
    ["a definition without Name", variant((doc) => delete definition(doc).Name), /Name: must be a string/],
    [
      "an unknown member in a definition",
      variant((doc) => (definition(doc).Value = 1)),
      /"Value" is not defined/,
    ],
    [
      "a unit in the wrong case",
      variant((doc) => (definition(doc).Unit = "milliseconds")),
      /not a CloudWatch unit/,
    ],
    ["StorageResolution 30", variant((doc) => (definition(doc).StorageResolution = 30)), /1 or 60/],
    [
      "StorageResolution as a string",
      variant((doc) => (definition(doc).StorageResolution = "60")),
      /1 or 60/,
    ],
    [
      "a metric target missing",
      variant((doc) => Reflect.deleteProperty(doc, "time")),
      /metric target is missing/,
    ],
    [
      "a metric target as a string",
      variant((doc) => ((doc as Record<string, unknown>).time = "100")),
      /number or an array/,
    ],
    [
      "a metric target as an object",
      variant((doc) => ((doc as Record<string, unknown>).time = { Sum: 1 })),
      /number or an array/,
    ],
    [
      "an array with a string",
      variant((doc) => ((doc as Record<string, unknown>).time = [1, "2"])),
      /non-number/,
    ],
    [
      "an array of 101 values",
      variant((doc) => ((doc as Record<string, unknown>).time = Array.from({ length: 101 }, () => 1))),
      /101 members; at most 100/,
    ],
    ["a document over 1 MB", variant((doc) => (doc.requestId = "x".repeat(1024 * 1024))), /larger than/],
  ];
  for (const [what, line, expected] of broken) {
    it(`refuses ${what}`, () => {
      const problems = emfSpecProblems(line);
      assert.ok(
        problems.some((p) => expected.test(p)),
        `expected a problem matching ${expected}, got ${JSON.stringify(problems)}`,
      );
    });
  }

  it("parseEmfLines names the line that breaks a rule", () => {
    const good = JSON.stringify(SPEC_EXAMPLE);
    assert.equal(parseEmfLines(`${good}\n${good}\n`).length, 2);
    assert.throws(() => parseEmfLines(`${good}\n{"_aws":{}}\n`), /line 2 is not valid EMF/);
  });
});
