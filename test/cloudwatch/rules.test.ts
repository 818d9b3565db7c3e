/** Every rule of CloudWatch's API reference that a name, a dimension or a value must follow. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  dimensionNameProblem,
  dimensionValueProblem,
  metricNameProblem,
  namespaceProblem,
  valueProblem,
} from "../../src/cloudwatch/rules.js";

type Case = [string, string | undefined];

function table(name: string, check: (text: string) => string | undefined, cases: readonly Case[]): void {
  describe(name, () => {
    for (const [input, expected] of cases)
      it(JSON.stringify(input.length > 40 ? `${input.slice(0, 20)}...(${input.length})` : input), () =>
        assert.equal(check(input), expected),
      );
  });
}

const ASCII = "must contain only printable ASCII characters";

table("namespaceProblem", namespaceProblem, [
  ["MyApp/Service-1 (prod)", undefined],
  ["", "must not be empty"],
  ["   ", "must not be blank (it needs a character other than whitespace)"],
  ["x".repeat(255), undefined],
  ["x".repeat(256), "must be at most 255 characters (got 256)"],
  ["Café", `${ASCII} (found U+00E9 at character 4)`],
  ["My\tApp", `${ASCII} (found the control character U+0009 at character 3)`],
  ["App\u007f", `${ASCII} (found the control character U+007F at character 4)`],
  ["AWS/EC2", 'must not start with "AWS/" (reserved for AWS services)'],
  [":App", 'must not start with ":"'],
]);

table("metricNameProblem", metricNameProblem, [
  ["Requests.count", undefined],
  ["Größe", undefined],
  ["", "must not be empty"],
  [" ", "must not be blank (it needs a character other than whitespace)"],
  ["x".repeat(256), "must be at most 255 characters (got 256)"],
  ["a\nb", "must not contain control characters (found the control character U+000A at character 2)"],
]);

table("dimensionNameProblem", dimensionNameProblem, [
  ["Host", undefined],
  ["", "must not be empty"],
  [" \t", "must not be blank (it needs a character other than whitespace)"],
  [":Host", 'must not start with ":"'],
  ["Hôte", `${ASCII} (found U+00F4 at character 2)`],
  ["A\u0001", `${ASCII} (found the control character U+0001 at character 2)`],
  ["x".repeat(256), "must be at most 255 characters (got 256)"],
]);

table("dimensionValueProblem", dimensionValueProblem, [
  ["web-1", undefined],
  [":leading colon is fine in a value", undefined],
  ["007", undefined],
  ["", "must not be empty"],
  ["  ", "must not be blank (it needs a character other than whitespace)"],
  ["naïve", `${ASCII} (found U+00EF at character 3)`],
  ["😀", `${ASCII} (found U+1F600 at character 1)`],
  ["line\r\n", `${ASCII} (found the control character U+000D at character 5)`],
  ["x".repeat(1024), undefined],
  ["x".repeat(1025), "must be at most 1024 characters (got 1025)"],
]);

describe("valueProblem: both magnitude bounds, and finite", () => {
  const TINY =
    "is too close to 0 for CloudWatch: other than 0 itself, a value needs a magnitude of at least 8.51592e-109";
  const cases: [number, string | undefined][] = [
    [0, undefined],
    [-0, undefined],
    [42, undefined],
    [2 ** 360, undefined],
    [-(2 ** 360), undefined],
    [8.51592e-109, undefined],
    [-8.51592e-109, undefined],
    [2 ** 361, `${2 ** 361} is outside CloudWatch's range of -2^360 to 2^360`],
    [-(2 ** 361), `${-(2 ** 361)} is outside CloudWatch's range of -2^360 to 2^360`],
    [8.5159e-109, `8.5159e-109 ${TINY}`],
    [1e-200, `1e-200 ${TINY}`],
    [-5e-324, `-5e-324 ${TINY}`],
    [NaN, "NaN is not a finite number"],
    [Infinity, "Infinity is not a finite number"],
    [-Infinity, "-Infinity is not a finite number"],
  ];
  for (const [value, expected] of cases) it(String(value), () => assert.equal(valueProblem(value), expected));
});
