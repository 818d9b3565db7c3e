/**
 * What `scrape` tells of a family (family-summary.ts), the unit its entry gets (family-unit.ts) and the
 * YAML it writes (metric-entries.ts), on real exposition bodies and on hand-made edge cases.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { familySummary, type FamilySummary } from "../../../src/sources/prometheus/family-summary.js";
import { familyTable } from "../../../src/sources/prometheus/family-table.js";
import { familyUnit } from "../../../src/sources/prometheus/family-unit.js";
import { metricEntriesYaml, scalar } from "../../../src/sources/prometheus/metric-entries.js";
import { REPO_ROOT } from "../../support/cli.js";
import { parsed } from "./parsed.js";

const summaries = (file: string): FamilySummary[] =>
  parsed(readFileSync(join(REPO_ROOT, "test/sources/prometheus/fixtures", file), "utf8")).map(familySummary);
const byName = (list: readonly FamilySummary[], name: string) => list.find((s) => s.name === name)!;
const brief = (s: FamilySummary) => [s.type, s.labels.map((l) => `${l.name}:${l.values}`), s.series];

describe("familySummary", () => {
  it("counts label sets and values, le and quantile aside (client_golang)", () => {
    const golang = summaries("client_golang.txt");
    assert.deepEqual(brief(byName(golang, "http_requests_total")), [
      "counter",
      ["code:1", "handler:1", "method:1"],
      1,
    ]);
    assert.deepEqual(brief(byName(golang, "prometheus_local_storage_chunk_ops_total")), [
      "counter",
      ["type:5"],
      5,
    ]);
    // A summary's series: one per quantile of each label set (3 quantiles x 2 rule types).
    const rule = byName(golang, "prometheus_rule_evaluation_duration_milliseconds");
    assert.deepEqual(brief(rule), ["summary", ["rule_type:2"], 6]);
    assert.equal(rule.labelSets, 2);
    assert.deepEqual(rule.quantiles, ["0.5", "0.9", "0.99"]);
  });

  it("counts a histogram's series without its buckets (node_exporter's textfile histogram)", () => {
    const histogram = summaries("node_exporter-histogram.txt").find((s) => s.type === "histogram")!;
    assert.ok(!histogram.labels.some((l) => l.name === "le"), "le is not a label to keep");
    assert.equal(histogram.series, histogram.labelSets);
    assert.ok(histogram.series >= 1);
  });

  it("finds a label value CloudWatch refuses as a dimension value, but not an empty one", () => {
    const dmi = byName(summaries("node_exporter.txt"), "node_dmi_info");
    const refused = dmi.labels.filter((l) => l.refused !== undefined).map((l) => l.name);
    assert.deepEqual(refused, ["product_version"]);
    assert.match(dmi.labels.find((l) => l.name === "product_version")!.refused!, /printable ASCII/);
    assert.equal(dmi.labels.find((l) => l.name === "chassis_asset_tag")!.refused, undefined);
  });

  it("sees one label set written in two orders as one series", () => {
    const [family] = parsed('# TYPE g gauge\ng{a="1",b="2"} 1\ng{b="2",a="1"} 2\ng{a="1",b="3"} 3\n');
    assert.equal(familySummary(family!).series, 2);
  });
});

describe("familyUnit", () => {
  it("reads the unit from the UNIT line or the name's suffix; counters and _count are counts", () => {
    const cases: [string, Parameters<typeof familyUnit>[1], string | undefined][] = [
      ["process_cpu_seconds_total", { type: "counter" }, "Seconds"],
      ["http_requests_total", { type: "counter" }, "Count"],
      ["process_resident_memory_bytes", { type: "gauge" }, "Bytes"],
      ["go_goroutines", { type: "gauge" }, undefined],
      ["rpc_duration_seconds_count", { type: "summary" }, "Count"],
      ["rpc_duration_seconds_sum", { type: "summary" }, "Seconds"],
      ["cc", { type: "counter", unit: "seconds" }, "Seconds"],
      ["ratio_ratio", { type: "gauge" }, undefined],
    ];
    for (const [metric, family, unit] of cases) assert.equal(familyUnit(metric, family), unit, metric);
  });
});

describe("metricEntriesYaml", () => {
  const source = { url: "http://127.0.0.1:9100/metrics", headers: [] };

  it("is the same text for the same scrape, and skips what no entry reads with a reason", () => {
    const python = summaries("client_python.openmetrics.txt");
    const yaml = metricEntriesYaml(python, "http://127.0.0.1:9100/metrics", source);
    assert.equal(yaml, metricEntriesYaml(python, "http://127.0.0.1:9100/metrics", source));
    assert.match(yaml, /^ {2}# gh: skipped, a gaugehistogram, which this publisher does not read$/m);
    assert.match(yaml, /^ {2}# ii: skipped, an info family/m);
    // A summary without quantiles is read as its _count and _sum.
    assert.match(yaml, /^ {2}- name: ss_count\n {4}unit: Count\n/m);
    assert.match(yaml, /^ {2}- name: ss_sum\n/m);
    assert.doesNotMatch(yaml, /^ {2}- name: ss\n/m);
  });

  it("keeps no more labels than CloudWatch has dimensions, and says so", () => {
    const labels = Array.from({ length: 32 }, (_, i) => ({ name: `l${i}`, values: 1 }));
    const wide: FamilySummary = {
      name: "wide",
      type: "gauge",
      help: "",
      labels,
      labelSets: 1,
      series: 1,
      quantiles: [],
    };
    const yaml = metricEntriesYaml([wide], "x", source);
    assert.match(yaml, /only the first 30 of 32 labels kept/);
    assert.equal(/labels: \[(.*)\]/.exec(yaml)![1]!.split(", ").length, 30);
  });

  it("quotes what YAML would read as something else", () => {
    assert.equal(scalar("http_requests_total"), "http_requests_total");
    assert.equal(scalar("http://127.0.0.1:9100/metrics"), "http://127.0.0.1:9100/metrics");
    for (const text of ["true", "null", "on", "${TOKEN}", "a b", "x #y", "1abc"])
      assert.equal(scalar(text), JSON.stringify(text), text);
  });
});

describe("familyTable", () => {
  it("cuts long label lists and HELP texts, and keeps one family a line", () => {
    const table = familyTable(summaries("node_exporter.txt"), "http://127.0.0.1:9100/metrics");
    const lines = table.split("\n");
    assert.equal(lines.length, 2 + 9 + 3);
    const dmi = lines.find((l) => l.startsWith("node_dmi_info "))!;
    assert.match(dmi, /bios_date, bios_release, \.\.\. \(\+17\)/);
    assert.match(dmi, / A metric with a constant '1' value labeled by bios_date,\.\.\.$/);
    assert.match(table, /^9 families, 14 series at http:\/\/127\.0\.0\.1:9100\/metrics;/m);
  });
});
