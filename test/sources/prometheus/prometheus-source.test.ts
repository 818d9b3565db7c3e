/**
 * The prometheus source over real client libraries' bodies (fixtures/), served by a local exporter
 * that answers the second scrape with bumped values: histograms as Values + Counts, summaries'
 * quantiles, counters' increases per series, gauges as read, one request per endpoint per tick.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import type { PrometheusOptions } from "../../../src/config/prometheus-options.js";
import { prometheusSource } from "../../../src/sources/prometheus/prometheus-source.js";
import { SharedScrapes } from "../../../src/sources/prometheus/shared-scrapes.js";
import {
  memoryBaselines,
  type Reading,
  type SeriesReading,
  type ValueSource,
} from "../../../src/sources/types.js";
import { REPO_ROOT } from "../../support/cli.js";
import { prometheusOptions, startExporter, type Exporter } from "./exporter.js";

const FIXTURES = join(REPO_ROOT, "test/sources/prometheus/fixtures");
const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

function fixture(file: string): string {
  return readFileSync(join(FIXTURES, file), "utf8");
}

/** The body with each `[from, to]` replaced; each `from` must occur exactly once. */
function bumped(body: string, replacements: readonly (readonly [string, string])[]): string {
  let out = body;
  for (const [from, to] of replacements) {
    assert.equal(out.split(from).length, 2, `"${from}" occurs once in the fixture`);
    out = out.replace(from, to);
  }
  return out;
}

let exporter: Exporter | undefined;
afterEach(async () => {
  await exporter?.close();
  exporter = undefined;
});

/** An exporter answering the n-th scrape with the n-th body (the last one from then on). */
async function serving(...bodies: string[]): Promise<Exporter> {
  exporter = await startExporter((_, index) => ({
    kind: "body",
    body: bodies[Math.min(index, bodies.length - 1)]!,
  }));
  return exporter;
}

/** Metrics reading one endpoint, as the pipeline makes them: one shared scrape per tick, their own baselines. */
function metrics(url: string, entries: Record<string, Partial<PrometheusOptions> & { metric: string }>) {
  const scrapes = new SharedScrapes();
  return Object.fromEntries(
    Object.entries(entries).map(([name, { metric, ...more }]) => [
      name,
      prometheusSource(prometheusOptions(url, metric, more), undefined, {
        scrapes,
        baselines: memoryBaselines(),
      }),
    ]),
  );
}

/** Every metric read at one scheduled instant; each reading's samples as a set, sorted. */
async function tick(sources: Record<string, ValueSource>, scheduledAt: number) {
  const names = Object.keys(sources);
  const readings = await Promise.all(
    names.map((name) => sources[name]!.read(new AbortController().signal, scheduledAt)),
  );
  return Object.fromEntries(names.map((name, i) => [name, sorted(readings[i]!)]));
}

function sorted(reading: Reading): [Record<string, string>, unknown][] {
  assert.equal(typeof reading, "object");
  const { samples, skipped } = reading as SeriesReading;
  assert.deepEqual(skipped, []);
  return samples
    .map((s): [Record<string, string>, unknown] => [{ ...s.dimensions }, s.value])
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

describe("prometheus source on client libraries' bodies", () => {
  it("client_golang: counters by label, a summary's quantiles and _count, a gauge; one request per tick", async () => {
    const first = fixture("client_golang.txt");
    const second = bumped(first, [
      ['chunk_ops_total{type="create"} 598', 'chunk_ops_total{type="create"} 610'],
      ['chunk_ops_total{type="pin"} 920', 'chunk_ops_total{type="pin"} 925'],
      [
        'prometheus_rule_evaluation_duration_milliseconds{rule_type="alerting",quantile="0.99"} 2',
        'prometheus_rule_evaluation_duration_milliseconds{rule_type="alerting",quantile="0.99"} 4.5',
      ],
      [
        "prometheus_evaluator_duration_milliseconds_count 23",
        "prometheus_evaluator_duration_milliseconds_count 30",
      ],
      ["go_goroutines 70", "go_goroutines 72"],
    ]);
    const server = await serving(first, second);
    const url = `${server.origin}/metrics`;
    const sources = metrics(url, {
      ops: { metric: "prometheus_local_storage_chunk_ops_total", labels: { type: "Op" } },
      rules: {
        metric: "prometheus_rule_evaluation_duration_milliseconds",
        labels: { rule_type: "RuleType" },
      },
      evaluations: { metric: "prometheus_evaluator_duration_milliseconds_count" },
      goroutines: { metric: "go_goroutines" },
    });
    const rules = (alerting99: number): [Record<string, string>, unknown][] => [
      [{ RuleType: "alerting", Quantile: "0.5" }, 0],
      [{ RuleType: "alerting", Quantile: "0.9" }, 0],
      [{ RuleType: "alerting", Quantile: "0.99" }, alerting99],
      [{ RuleType: "recording", Quantile: "0.5" }, 0],
      [{ RuleType: "recording", Quantile: "0.9" }, 0],
      [{ RuleType: "recording", Quantile: "0.99" }, 3],
    ];
    const sortedRules = (alerting99: number) =>
      rules(alerting99).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

    assert.deepEqual(await tick(sources, T0), {
      ops: [],
      rules: sortedRules(2),
      evaluations: [],
      goroutines: [[{}, 70]],
    });
    assert.deepEqual(await tick(sources, T0 + MINUTE), {
      ops: [
        [{ Op: "create" }, 12],
        [{ Op: "persist" }, 0],
        [{ Op: "pin" }, 5],
        [{ Op: "transcode" }, 0],
        [{ Op: "unpin" }, 0],
      ],
      rules: sortedRules(4.5),
      evaluations: [[{}, 7]],
      goroutines: [[{}, 72]],
    });
    assert.equal(server.requests.length, 2, "one request per tick for four metrics");
    assert.match(
      String(server.requests[0]!.headers.accept),
      /^application\/openmetrics-text;version=1\.0\.0/,
    );
  });

  it("node_exporter: a histogram as Values + Counts, sum(Counts) the increase of _count", async () => {
    const first = fixture("node_exporter-histogram.txt");
    const second = bumped(first, [
      ['{le="25600"} 7', '{le="25600"} 9'],
      ['{le="102400"} 7', '{le="102400"} 9'],
      ['{le="409600"} 1.412839e+06', '{le="409600"} 1.412841e+06'],
      ['{le="1.6384e+06"} 1.69185e+06', '{le="1.6384e+06"} 1.691853e+06'],
      ['{le="6.5536e+06"} 1.691853e+06', '{le="6.5536e+06"} 1.691857e+06'],
      ['{le="2.62144e+07"} 1.691853e+06', '{le="2.62144e+07"} 1.691857e+06'],
      ['{le="+Inf"} 1.691853e+06', '{le="+Inf"} 1.691857e+06'],
      ["chunk_range_count 1.691853e+06", "chunk_range_count 1.691857e+06"],
    ]);
    const server = await serving(first, second);
    const sources = metrics(`${server.origin}/metrics`, {
      chunks: { metric: "prometheus_tsdb_compaction_chunk_range" },
      middles: { metric: "prometheus_tsdb_compaction_chunk_range", histogram: "midpoint" },
      count: { metric: "prometheus_tsdb_compaction_chunk_range_count" },
      errors: { metric: "node_textfile_scrape_error" },
    });
    assert.deepEqual(await tick(sources, T0), { chunks: [], middles: [], count: [], errors: [[{}, 0]] });
    const after = await tick(sources, T0 + MINUTE);
    assert.deepEqual(after, {
      chunks: [[{}, { values: [25600, 1638400, 6553600], counts: [2, 1, 1] }]],
      middles: [[{}, { values: [16000, 1024000, 4096000], counts: [2, 1, 1] }]],
      count: [[{}, 4]],
      errors: [[{}, 0]],
    });
    assert.equal(server.requests.length, 2);
  });

  it("client_python (OpenMetrics): a histogram with exemplars, a summary's _count, a counter by its _total name", async () => {
    const first = fixture("client_python.openmetrics.txt");
    const second = bumped(first, [
      ['hh_bucket{le="1.0"} 1.0', 'hh_bucket{le="1.0"} 2.0'],
      ['hh_bucket{le="2.0"} 2.0', 'hh_bucket{le="2.0"} 4.0'],
      ['hh_bucket{le="3.0"} 3.0', 'hh_bucket{le="3.0"} 5.0'],
      ['hh_bucket{le="4.0"} 4.0', 'hh_bucket{le="4.0"} 7.0'],
      ['hh_bucket{le="+Inf"} 4.0', 'hh_bucket{le="+Inf"} 9.0'],
      ["hh_count 4.0", "hh_count 9.0"],
      ['ss_count{a="c",b="d"} 1.0', 'ss_count{a="c",b="d"} 4.0'],
      ["cc_seconds_total 1.0", "cc_seconds_total 1.5"],
    ]);
    const server = await serving(first, second);
    const sources = metrics(`${server.origin}/metrics`, {
      hh: { metric: "hh" },
      ss: { metric: "ss_count", labels: { a: "a" } },
      cc: { metric: "cc_seconds_total" },
    });
    assert.deepEqual(await tick(sources, T0), { hh: [], ss: [], cc: [] });
    assert.deepEqual(await tick(sources, T0 + MINUTE), {
      // increases 1, 2, 2, 3, 5: one each at 1 and 2, one at 4 and the two above it there too
      hh: [[{}, { values: [1, 2, 4], counts: [1, 1, 3] }]],
      ss: [[{ a: "c" }, 3]],
      cc: [[{}, 0.5]],
    });
  });

  it("client_java (OpenMetrics): a labelled histogram, and gauges exactly", async () => {
    const first = fixture("client_java.openmetrics.txt");
    const second = bumped(first, [
      ['le="0.5"} 10969', 'le="0.5"} 10972'],
      ['le="1.0"} 11180', 'le="1.0"} 11183'],
      ['le="2.5"} 11209', 'le="2.5"} 11212'],
      ['le="5.0"} 11236', 'le="5.0"} 11239'],
      ['le="10.0"} 11243', 'le="10.0"} 11246'],
      ['le="+Inf"} 11243', 'le="+Inf"} 11248'],
      ['temperature_celsius{location="outside"} 27.0', 'temperature_celsius{location="outside"} 26.5'],
    ]);
    const server = await serving(first, second);
    const sources = metrics(`${server.origin}/metrics`, {
      durations: { metric: "request_duration_seconds", labels: { http_status: "Status" } },
      temperature: { metric: "temperature_celsius", labels: { location: "location" } },
      hottest: { metric: "temperature_celsius", combine: "max" },
    });
    assert.deepEqual(await tick(sources, T0), {
      durations: [],
      temperature: [
        [{ location: "inside" }, 23],
        [{ location: "outside" }, 27],
      ],
      hottest: [[{}, 27]],
    });
    assert.deepEqual(await tick(sources, T0 + MINUTE), {
      durations: [[{ Status: "200" }, { values: [0.5, 10], counts: [3, 2] }]],
      temperature: [
        [{ location: "inside" }, 23],
        [{ location: "outside" }, 26.5],
      ],
      hottest: [[{}, 26.5]],
    });
  });

  it("client_java (text): a summary's _count by label, where one series starts counting", async () => {
    const first = fixture("client_java.txt");
    const second = bumped(first, [
      [
        'jvm_gc_collection_seconds_count{gc="PS Scavenge"} 0',
        'jvm_gc_collection_seconds_count{gc="PS Scavenge"} 3',
      ],
    ]);
    const server = await serving(first, second);
    const sources = metrics(`${server.origin}/metrics`, {
      gc: { metric: "jvm_gc_collection_seconds_count", labels: { gc: "Collector" }, transform: "rate" },
    });
    assert.deepEqual(await tick(sources, T0), { gc: [] });
    assert.deepEqual(await tick(sources, T0 + MINUTE), {
      gc: [
        [{ Collector: "PS MarkSweep" }, 0],
        [{ Collector: "PS Scavenge" }, 0.05],
      ],
    });
  });
});
