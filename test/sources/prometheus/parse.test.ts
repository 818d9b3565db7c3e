/** parseExposition, case by case: what each format allows, and a located error for what neither does. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseExpositionNumber } from "../../../src/sources/prometheus/exposition-number.js";
import { familyNamed } from "../../../src/sources/prometheus/family-named.js";
import { MAX_LINE_CHARS } from "../../../src/sources/prometheus/limits.js";
import type { MetricFamily } from "../../../src/sources/prometheus/metric-family.js";
import { family, parsed, parseError } from "./parsed.js";

describe("numbers", () => {
  const cases: [string, number | undefined][] = [
    ["12", 12],
    ["-0.5", -0.5],
    ["+3", 3],
    [".5", 0.5],
    ["5.", 5],
    ["0042", 42],
    ["1.5e+06", 1.5e6],
    ["4.98597888E8", 4.98597888e8],
    ["1e-05", 1e-5],
    ["9223372036854775808", 9223372036854775808],
    ["NaN", Number.NaN],
    ["nan", Number.NaN],
    ["+Inf", Infinity],
    ["-Inf", -Infinity],
    ["Inf", Infinity],
    ["+INF", Infinity],
    ["-Infinity", -Infinity],
    ["", undefined],
    ["1e400", undefined],
    ["0x1", undefined],
    ["0b1", undefined],
    ["1_000", undefined],
    ["1.2.3", undefined],
    ["e5", undefined],
    ["-", undefined],
    ["Infinite", undefined],
    ["+NaN", undefined],
  ];
  for (const [token, value] of cases)
    it(JSON.stringify(token), () => assert.equal(parseExpositionNumber(token), value));
});

/** The one family a one-family body parses to. */
function only(text: string): MetricFamily {
  const families = parsed(text);
  assert.equal(families.length, 1, `expected one family, got ${families.map((f) => f.name).join(", ")}`);
  return families[0]!;
}

describe("values, timestamps and exemplars", () => {
  it("reads NaN, +Inf, -Inf and exponent forms", () =>
    assert.deepEqual(
      only('# TYPE g gauge\ng{a="1"} NaN\ng{a="2"} +Inf\ng{a="3"} -Inf\ng{a="4"} -1.5e-3\n').samples.map(
        (s) => s.value,
      ),
      [Number.NaN, Infinity, -Infinity, -0.0015],
    ));
  it("ignores a timestamp: 0.0.4 milliseconds, negative, or OpenMetrics seconds", () =>
    assert.deepEqual(
      only("m 1 1441205977284\nm 2 -123456\nm 3 1520879607.789\n").samples.map((s) => s.value),
      [1, 2, 3],
    ));
  it("ignores an exemplar, with or without its timestamp, and a # inside label values", () =>
    assert.deepEqual(
      parsed(
        '# TYPE h histogram\nh_bucket{le="1",x="a # b"} 3 # {trace_id="x # {y}"} 0.5\n' +
          'h_bucket{le="+Inf",x="a # b"} 4 1520879607.789 # {} 7 1520879607.789\n# EOF\n',
      ),
      [
        family("h", "histogram", "", [
          ["h_bucket", { le: "1", x: "a # b" }, 3],
          ["h_bucket", { le: "+Inf", x: "a # b" }, 4],
        ]),
      ],
    ));
});

describe("escapes", () => {
  it('resolves \\\\, \\" and \\n in label values and keeps any other backslash as written', () =>
    assert.deepEqual(
      only('m{a="x\\\\y",b="say \\"hi\\"",c="one\\ntwo",d="C:\\dir\\\\"} 1\n').samples[0]!.labels,
      {
        a: "x\\y",
        b: 'say "hi"',
        c: "one\ntwo",
        d: "C:\\dir\\",
      },
    ));
  it('resolves \\\\ and \\n (and \\") in HELP text', () =>
    assert.equal(
      only('# HELP m Line one\\nline \\\\two\\\\ \\"3\\" \\t\n').help,
      'Line one\nline \\two\\ "3" \\t',
    ));
  it("reads braces, commas and equals signs inside label values as text", () =>
    assert.deepEqual(only('m{a="}{,=",b=""} 1\n').samples[0]!.labels, { a: "}{,=", b: "" }));
});

describe("lines and layout", () => {
  it("reads CRLF line endings, blank and whitespace-only lines, and a byte order mark", () =>
    assert.deepEqual(parsed("\uFEFF# HELP m The m.\r\n\r\n   \r\n# TYPE m gauge\r\nm 1\r\n\t\r\n"), [
      family("m", "gauge", "The m.", [["m", {}, 1]]),
    ]));
  it("skips comments that are not HELP, TYPE, UNIT or EOF", () =>
    assert.deepEqual(parsed("# a comment\n#nospace\n# help lowercase is a comment\n# EOFX\nm 1\n"), [
      family("m", "untyped", "", [["m", {}, 1]]),
    ]));
  it("allows the blanks 0.0.4 allows: around labels, between tokens, a trailing comma, {}", () =>
    assert.deepEqual(only('  m  { a = "1" ,\tb="2", }   7 \t\nm{} 8\n').samples, [
      { name: "m", labels: { a: "1", b: "2" }, value: 7 },
      { name: "m", labels: {}, value: 8 },
    ]));
  it("stops at # EOF, with or without a newline after it, and allows blank lines after it", () => {
    assert.deepEqual(parsed("m 1\n# EOF"), [family("m", "untyped", "", [["m", {}, 1]])]);
    assert.deepEqual(parsed("m 1\n# EOF\n\n"), [family("m", "untyped", "", [["m", {}, 1]])]);
  });
  it("parses an empty body to no families", () => assert.deepEqual(parsed(""), []));
  it("keeps a label named __proto__ as a label", () => {
    const labels = only('m{__proto__="x",constructor="y"} 1\n').samples[0]!.labels;
    assert.deepEqual(Object.entries(labels), [
      ["__proto__", "x"],
      ["constructor", "y"],
    ]);
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
  });
  it("reads a sample with many labels, and finds a repeated one among them", () => {
    const names = Array.from({ length: 40 }, (_, i) => `l${i}`);
    const line = `m{${names.map((n) => `${n}="v"`).join(",")}} 1\n`;
    assert.equal(Object.keys(only(line).samples[0]!.labels).length, 40);
    assert.match(parseError(line.replace("l39=", "l2=")), /^line 1: the label l2 appears twice \(column/);
  });
  it("accepts a line of the longest length allowed", () => {
    const line = `m{a="${"x".repeat(MAX_LINE_CHARS - 9)}"} 1`;
    assert.equal(line.length, MAX_LINE_CHARS);
    assert.equal(only(line).samples.length, 1);
  });
});

describe("families", () => {
  it("groups an OpenMetrics counter's foo_total and foo_created under foo, with its UNIT", () =>
    assert.deepEqual(
      parsed(
        "# TYPE foo_seconds counter\n# UNIT foo_seconds seconds\nfoo_seconds_total 3\nfoo_seconds_created 1.5e9\n# EOF\n",
      ),
      [
        family(
          "foo_seconds",
          "counter",
          "",
          [
            ["foo_seconds_total", {}, 3],
            ["foo_seconds_created", {}, 1.5e9],
          ],
          "seconds",
        ),
      ],
    ));
  it("keeps a 0.0.4 counter declared with its _total name as that family", () =>
    assert.deepEqual(parsed("# TYPE foo_total counter\nfoo_total 3\n"), [
      family("foo_total", "counter", "", [["foo_total", {}, 3]]),
    ]));
  it("groups a histogram's _bucket, _count, _sum and _created, and a summary's quantiles, _count and _sum", () =>
    assert.deepEqual(
      parsed(
        '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_count 2\nh_sum 0.5\nh_created 9\n' +
          '# TYPE s summary\ns{quantile="0.5"} 4\ns_sum 8\ns_count 2\n',
      ).map((f) => [f.name, f.samples.map((s) => s.name)]),
      [
        ["h", ["h_bucket", "h_bucket", "h_count", "h_sum", "h_created"]],
        ["s", ["s", "s_sum", "s_count"]],
      ],
    ));
  it("groups a gaugehistogram's _gcount and _gsum, and an info's _info", () =>
    assert.deepEqual(
      parsed(
        '# TYPE g gaugehistogram\ng_bucket{le="+Inf"} 2\ng_gcount 2\ng_gsum 3\n# TYPE i info\ni_info{v="1"} 1\n',
      ).map((f) => [f.name, f.type, f.samples.map((s) => s.name)]),
      [
        ["g", "gaugehistogram", ["g_bucket", "g_gcount", "g_gsum"]],
        ["i", "info", ["i_info"]],
      ],
    ));
  it("gives a family declared under a sample's own name that sample, as 0.0.4 Python writes h_created", () =>
    assert.deepEqual(
      parsed('# TYPE h histogram\nh_bucket{le="+Inf"} 1\n# TYPE h_created gauge\nh_created 5\n').map((f) => [
        f.name,
        f.samples.map((s) => s.name),
      ]),
      [
        ["h", ["h_bucket"]],
        ["h_created", ["h_created"]],
      ],
    ));
  it("makes samples without a TYPE line untyped families of their full names", () =>
    assert.deepEqual(
      parsed('# HELP x An x.\nx 1\nx_bucket{le="1"} 2\nx_total 3\n').map((f) => [f.name, f.type, f.help]),
      [
        ["x", "untyped", "An x."],
        ["x_bucket", "untyped", ""],
        ["x_total", "untyped", ""],
      ],
    ));
  it("reads the TYPE word in any case, and both unknown and untyped", () =>
    assert.deepEqual(
      parsed("# TYPE a COUNTER\n# TYPE b Gauge\n# TYPE c unknown\n# TYPE d untyped\n").map((f) => f.type),
      ["counter", "gauge", "unknown", "untyped"],
    ));
  it("keeps families declared without samples, and an empty UNIT as no unit", () =>
    assert.deepEqual(parsed("# HELP a Nothing yet.\n# TYPE a gauge\n# UNIT a \n"), [
      family("a", "gauge", "Nothing yet.", []),
    ]));
  it("joins samples of a family that come back later, and keeps repeated series as written", () =>
    assert.deepEqual(
      only("# TYPE c counter\nc_total 1\nc_created 2\nc_total 3\n").samples.map((s) => s.value),
      [1, 2, 3],
    ));
});

describe("familyNamed", () => {
  const families = parsed(
    "# TYPE om counter\nom_total 1\n# TYPE old_total counter\nold_total 2\n# TYPE i info\ni_info 1\n" +
      "# TYPE g gauge\ng 3\n# TYPE g_total gauge\ng_total 4\n",
  );
  const cases: [string, string | undefined][] = [
    ["om_total", "om"],
    ["om", "om"],
    ["old_total", "old_total"],
    ["old", "old_total"],
    ["i_info", "i"],
    ["g", "g"],
    ["g_total", "g_total"],
    ["i", "i"],
    ["missing", undefined],
    ["i_total", undefined],
  ];
  for (const [name, found] of cases)
    it(`${name} finds ${found ?? "nothing"}`, () => assert.equal(familyNamed(families, name)?.name, found));
});

describe("malformed input: a located error", () => {
  const html = "<!DOCTYPE html>\n<html><body>Not here</body></html>\n".repeat(20_000);
  const cases: [string, string, string][] = [
    [
      "an HTML page",
      html,
      'line 1: the body is HTML or XML, not Prometheus or OpenMetrics text: "<!DOCTYPE html>"',
    ],
    [
      "a JSON document",
      '\n{"status": "success", "data": []}',
      'line 2: the body is JSON, not Prometheus or OpenMetrics text: "{\\"status\\": \\"success\\", \\"data\\": []}"',
    ],
    ["a JSON array", "[1, 2]", 'line 1: the body is JSON, not Prometheus or OpenMetrics text: "[1, 2]"'],
    [
      "plain text",
      "Not Found\n",
      'line 1: the value of Not, "Found", is not a number (column 5 of "Not Found")',
    ],
    ["a missing value", "a 1\nb\n", 'line 2: the value of b is missing (column 2 of "b")'],
    [
      "a hexadecimal value",
      "a 0x1F\n",
      'line 1: the value of a, "0x1F", is not a number (column 3 of "a 0x1F")',
    ],
    [
      "a value too large for a double",
      "a 1e999",
      'line 1: the value of a, "1e999", is not a number (column 3 of "a 1e999")',
    ],
    [
      "a NaN timestamp",
      "a 1 NaN",
      'line 1: the timestamp, "NaN", is not a finite number (column 5 of "a 1 NaN")',
    ],
    [
      "text after the timestamp",
      "a 1 2 3",
      'line 1: unexpected "3" after the timestamp (column 7 of "a 1 2 3")',
    ],
    [
      "a dot in a metric name",
      "a.b 1",
      'line 1: expected a blank or "{" after the metric name a, found "." (column 2 of "a.b 1")',
    ],
    ["a digit first", "1a 1", 'line 1: expected a metric name, found "1" (column 1 of "1a 1")'],
    [
      "a quoted metric name",
      '{"a.b"} 1',
      'line 1: the body is JSON, not Prometheus or OpenMetrics text: "{\\"a.b\\"} 1"',
    ],
    [
      "a label value not closed",
      'a{b="1} 1',
      'line 1: the value of the label b is not closed with \'"\' (column 10 of "a{b=\\"1} 1")',
    ],
    [
      "labels not closed",
      'a{b="1",',
      'line 1: the labels are not closed with "}" (column 9 of "a{b=\\"1\\",")',
    ],
    [
      "no = after a label name",
      'a{b "1"} 1',
      'line 1: expected "=" after the label name b, found "\\"" (column 5 of "a{b \\"1\\"} 1")',
    ],
    [
      "an unquoted label value",
      "a{b=1} 1",
      'line 1: expected \'"\' to open the value of the label b, found "1" (column 5 of "a{b=1} 1")',
    ],
    [
      "no comma between labels",
      'a{b="1"c="2"} 1',
      'line 1: expected "," or "}" after the value of the label b, found "c" (column 8 of "a{b=\\"1\\"c=\\"2\\"} 1")',
    ],
    [
      "two commas",
      'a{b="1",,c="2"} 1',
      'line 1: expected a label name, found "," (column 9 of "a{b=\\"1\\",,c=\\"2\\"} 1")',
    ],
    [
      "a label repeated",
      'a{b="1",b="2"} 1',
      'line 1: the label b appears twice (column 9 of "a{b=\\"1\\",b=\\"2\\"} 1")',
    ],
    [
      "the reserved label __name__",
      'a{__name__="x"} 1',
      'line 1: the label name __name__ is reserved (column 3 of "a{__name__=\\"x\\"} 1")',
    ],
    [
      "no blank before the value",
      'a{b="1"}1',
      'line 1: expected a blank before the value of a, found "1" (column 9 of "a{b=\\"1\\"}1")',
    ],
    [
      "an exemplar without labels",
      "a_total 1 # 0.5",
      'line 1: expected an exemplar (" # {labels} value") after "#", found "0" (column 13 of "a_total 1 # 0.5")',
    ],
    [
      "an exemplar without a value",
      'a_total 1 # {t="x"}',
      'line 1: the exemplar\'s value is missing (column 20 of "a_total 1 # {t=\\"x\\"}")',
    ],
    [
      "a HELP line without a name",
      "# HELP\n",
      'line 1: expected a metric name after # HELP, found the end of the line (column 7 of "# HELP")',
    ],
    [
      "a TYPE line without a type",
      "# TYPE a\n",
      'line 1: the TYPE line for a names no type (column 9 of "# TYPE a")',
    ],
    [
      "an unknown type",
      "# TYPE a timer\n",
      'line 1: unknown type "timer" for a (expected one of counter, gauge, histogram, summary, untyped, unknown, info, stateset, gaugehistogram) (column 15 of "# TYPE a timer")',
    ],
    [
      "text after the type",
      "# TYPE a gauge x\n",
      'line 1: unexpected "x" after the type of a (column 16 of "# TYPE a gauge x")',
    ],
    [
      "a second TYPE line",
      "# TYPE a gauge\na 1\n\n# TYPE a gauge\n",
      "line 4: a second TYPE line for a (the first is line 1)",
    ],
    [
      "a second HELP line",
      "# HELP a x\r\n# HELP a y\r\n",
      "line 2: a second HELP line for a (the first is line 1)",
    ],
    [
      "a second UNIT line",
      "# UNIT a_s s\n# UNIT a_s s\n",
      "line 2: a second UNIT line for a_s (the first is line 1)",
    ],
    [
      "a TYPE line after its samples",
      "a 1\n# TYPE a gauge\n",
      "line 2: the TYPE line for a comes after its samples",
    ],
    [
      "a histogram sample under the family name",
      "# TYPE h histogram\nh 1\n",
      "line 2: a sample named h does not belong in the histogram h, whose samples are h_bucket, h_count, h_sum, h_created",
    ],
    [
      "an info sample under the family name",
      "# TYPE i info\ni 1\n",
      "line 2: a sample named i does not belong in the info i, whose samples are i_info",
    ],
    ["a bucket without le", "# TYPE h histogram\nh_bucket 1\n", "line 2: h_bucket has no le label"],
    [
      "a bucket whose le is no number",
      '# TYPE h histogram\nh_bucket{le="big"} 1\n',
      'line 2: the le label of h_bucket, "big", is not a number',
    ],
    ["a summary quantile without quantile", "# TYPE s summary\ns 1\n", "line 2: s has no quantile label"],
    [
      "a quantile over 1",
      '# TYPE s summary\ns{quantile="1.5"} 1\n',
      'line 2: the quantile label of s, "1.5", is not a number from 0 to 1',
    ],
    ["text after # EOF", "a 1\n# EOF\n\nb 2\n", "line 4: text after the # EOF of line 2"],
    [
      "a line over the limit",
      `a 1\r\nb{c="${"x".repeat(MAX_LINE_CHARS)}"} 1\n`,
      `line 2: the line is longer than ${MAX_LINE_CHARS} characters`,
    ],
  ];
  for (const [title, body, error] of cases) it(title, () => assert.equal(parseError(body), error));

  it("quotes the part of a long line where the problem is", () =>
    assert.equal(
      parseError(`m{a="${"x".repeat(200)}",b=1} 1`),
      `line 1: expected '"' to open the value of the label b, found "1" (column 210 of "...${"x".repeat(36)}\\",b=1} 1")`,
    ));
});
