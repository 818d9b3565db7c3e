import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MetricConfig } from "../../src/config/types.js";
import { datumProblem, metricIdentity, type Datum, type DatumPayload } from "../../src/cloudwatch/datum.js";
import { valueProblem } from "../../src/cloudwatch/rules.js";

const NOW = Date.parse("2026-06-01T00:00:00Z");

function datum(
  value: number,
  timestamp = NOW,
  dimensions: Record<string, string> = {},
  namespace = "N",
): Datum {
  const config = {
    name: "M",
    namespace,
    unit: "None",
    storageResolution: 60,
    dimensions,
  } as unknown as MetricConfig;
  return { metric: metricIdentity(config), value, timestamp };
}

/** A datum of Values + Counts or StatisticValues. */
function shaped(payload: Exclude<DatumPayload, { value: number }>): Datum {
  return { ...datum(0), value: undefined, ...payload } as Datum;
}

const valueIssue = (v: number) => valueProblem(v)!;

describe("datumProblem", () => {
  const cases: [string, Datum, string | undefined][] = [
    ["a plain value", datum(42), undefined],
    ["zero", datum(0), undefined],
    ["the largest value", datum(2 ** 360), undefined],
    ["NaN", datum(NaN), "value NaN is not a finite number"],
    ["Infinity", datum(Infinity), "value Infinity is not a finite number"],
    ["too large", datum(2 ** 361), `value ${2 ** 361} is outside CloudWatch's range of -2^360 to 2^360`],
    ["two weeks old", datum(1, NOW - 14 * 86_400_000), undefined],
    [
      "older than two weeks",
      datum(1, NOW - 14 * 86_400_000 - 1),
      "timestamp 2026-05-17T23:59:59.999Z is more than 2 weeks old",
    ],
    ["two hours ahead", datum(1, NOW + 7_200_000), undefined],
    [
      "further ahead",
      datum(1, NOW + 7_200_001),
      "timestamp 2026-06-01T02:00:00.001Z is more than 2 hours in the future",
    ],
    [
      "too close to 0",
      datum(1e-200),
      "value 1e-200 is too close to 0 for CloudWatch: other than 0 itself, a value needs a magnitude of at least 8.51592e-109",
    ],
    [
      "a blank dimension value",
      datum(1, NOW, { Host: "  " }),
      'dimension "Host": value must not be blank (it needs a character other than whitespace)',
    ],
    [
      "a dimension value that is not ASCII",
      datum(1, NOW, { Host: "caf\u00e9" }),
      'dimension "Host": value must contain only printable ASCII characters (found U+00E9 at character 4)',
    ],
    [
      "a control character in a dimension name",
      datum(1, NOW, { "A\u0001": "x" }),
      'dimension name "A\\u0001" must contain only printable ASCII characters (found the control character U+0001 at character 2)',
    ],
    [
      "a namespace that is not ASCII",
      datum(1, NOW, {}, "Caf\u00e9"),
      "namespace must contain only printable ASCII characters (found U+00E9 at character 4)",
    ],
    [
      "a reserved namespace",
      datum(1, NOW, {}, "AWS/EC2"),
      'namespace must not start with "AWS/" (reserved for AWS services)',
    ],
    [
      "31 dimensions",
      datum(1, NOW, Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`D${i}`, "v"]))),
      "has 31 dimensions; at most 30 are allowed",
    ],
    ["Values and Counts", shaped({ values: [1, 2.5], counts: [3, 1] }), undefined],
    ["no Values", shaped({ values: [], counts: [] }), "Values is empty"],
    [
      "151 Values",
      shaped({
        values: Array.from({ length: 151 }, (_, i) => i),
        counts: Array.from({ length: 151 }, () => 1),
      }),
      "has 151 Values; at most 150 are allowed per series in a request",
    ],
    [
      "Counts not matching",
      shaped({ values: [1, 2], counts: [1] }),
      "has 1 Counts for 2 Values; they must be as many",
    ],
    ["a Value out of range", shaped({ values: [2 ** 361], counts: [1] }), `value ${valueIssue(2 ** 361)}`],
    ["a count of 0", shaped({ values: [1], counts: [0] }), "count 0 is not a positive number"],
    [
      "a statistic set",
      shaped({ statistics: { SampleCount: 5, Sum: 15, Minimum: 1, Maximum: 5 } }),
      undefined,
    ],
    [
      "SampleCount 0",
      shaped({ statistics: { SampleCount: 0, Sum: 0, Minimum: 0, Maximum: 0 } }),
      "SampleCount 0 is not a positive number",
    ],
    [
      "Minimum above Maximum",
      shaped({ statistics: { SampleCount: 2, Sum: 3, Minimum: 2, Maximum: 1 } }),
      "Minimum 2 is greater than Maximum 1",
    ],
    [
      "a NaN Sum",
      shaped({ statistics: { SampleCount: 2, Sum: NaN, Minimum: 1, Maximum: 1 } }),
      "Sum NaN is not a finite number",
    ],
  ];
  for (const [name, d, expected] of cases) it(name, () => assert.equal(datumProblem(d, NOW), expected));
});
