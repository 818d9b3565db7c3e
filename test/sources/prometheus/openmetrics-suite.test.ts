/**
 * The OpenMetrics project's own parser test cases (fixtures/openmetrics-parser-tests.json): every
 * good case parses; every bad one fails with a located error, except those listed below, which this
 * parser accepts on purpose, because one grammar reads both OpenMetrics and the looser 0.0.4 format,
 * and because a scrape should not fail for a rule that only one family breaks.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseExposition } from "../../../src/sources/prometheus/parse.js";
import { REPO_ROOT } from "../../support/cli.js";

interface Case {
  readonly shouldParse: boolean;
  readonly metrics: string;
}

const TEXT_0_0_4 =
  "0.0.4 allows it: blank lines, any # comment, blanks around and after tokens, a trailing comma, no # EOF, untyped";
const TYPE_RULES =
  "it breaks a type's rule on values, buckets or labels: left to whoever reads that family, so the others still publish";
const ORDER = "samples are grouped by name and timestamps dropped, so order and interleaving do not matter";
const EXEMPLARS =
  "exemplars are read past and dropped: their length and where they may appear are not checked";
const METADATA = "HELP and UNIT text is kept as written (empty, or a unit that is not the name's suffix)";
const CLASHING_NAMES = "a gauge foo_created beside a counter foo is what client_python writes in 0.0.4";

/** The bad cases accepted on purpose, by name or by the prefix of a group of names, with why. */
const ACCEPTED: readonly (readonly [RegExp, string])[] = [
  [/^bad_blank_line$/, TEXT_0_0_4],
  [/^bad_metadata$/, TEXT_0_0_4],
  [/^bad_no_eof$/, TEXT_0_0_4],
  [/^bad_text_after_eof_1$/, TEXT_0_0_4],
  [/^bad_help_4$/, TEXT_0_0_4],
  [/^bad_type_[67]$/, TEXT_0_0_4],
  [/^bad_unit_5$/, TEXT_0_0_4],
  [/^bad_value_[123]$/, TEXT_0_0_4],
  [/^bad_exemplars_[45]$/, TEXT_0_0_4],
  [/^bad_missing_or_extra_commas_2$/, TEXT_0_0_4],
  [/^bad_counter_values_\d+$/, TYPE_RULES],
  [/^bad_histograms_\d+$/, TYPE_RULES],
  [/^bad_info_and_stateset_values_\d$/, TYPE_RULES],
  [/^bad_stateset_info_values_[02]$/, TYPE_RULES],
  [/^bad_missing_or_invalid_labels_for_a_type_7$/, TYPE_RULES],
  [/^bad_grouping_or_ordering_(0|[2-9]|10)$/, ORDER],
  [/^bad_metadata_in_wrong_place_[12]$/, ORDER],
  [/^bad_exemplar_complex_chars$/, EXEMPLARS],
  [/^bad_exemplars_6$/, EXEMPLARS],
  [/^bad_exemplars_on_unallowed_(metric_types|samples)_\d$/, EXEMPLARS],
  [/^bad_help_[23]$/, METADATA],
  [/^bad_unit_[23467]$/, METADATA],
  [/^bad_clashing_names_2$/, CLASHING_NAMES],
];

const cases = JSON.parse(
  readFileSync(join(REPO_ROOT, "test/sources/prometheus/fixtures/openmetrics-parser-tests.json"), "utf8"),
) as Record<string, Case>;

function acceptedBecause(name: string): string | undefined {
  return ACCEPTED.find(([pattern]) => pattern.test(name))?.[1];
}

describe("the OpenMetrics parser test suite", () => {
  it("has all 211 cases", () => assert.equal(Object.keys(cases).length, 211));

  for (const [name, { shouldParse, metrics }] of Object.entries(cases)) {
    const reason = shouldParse ? undefined : acceptedBecause(name);
    const title = shouldParse
      ? `${name} parses`
      : reason === undefined
        ? `${name} fails`
        : `${name} parses: ${reason}`;
    it(title, () => {
      const result = parseExposition(metrics);
      if (shouldParse || reason !== undefined) assert.ok(result.ok, result.ok ? "" : result.error);
      else assert.match(result.ok ? "parsed" : result.error, /^line \d+: \S/);
    });
  }

  it("accepts on purpose only bad cases", () => {
    const good = Object.keys(cases).filter((name) => cases[name]!.shouldParse && acceptedBecause(name));
    assert.deepEqual(good, []);
  });
});
