/**
 * The prometheus source end to end: the built CLI scraping a local exporter whose text changes
 * between scrapes, publishing to the fake CloudWatch. Assertions are on what arrived — sums, sets,
 * values that must be equal — never on how many scrapes a second gave.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { jsonLines, REPO_ROOT, runCli, startCli } from "../support/cli.js";
import { e2eHarness } from "../support/e2e.js";
import { Exporter } from "../support/exporter.js";
import type { RecordedDatum } from "../support/fake-cloudwatch.js";
import { waitFor } from "../support/wait.js";

const h = e2eHarness("cwp-prometheus-");
let exporter: Exporter;
before(async () => {
  exporter = await Exporter.start();
});
after(() => exporter.close());

const sum = (numbers: readonly number[]) => numbers.reduce((a, b) => a + b, 0);
const named = (name: string) => h.fake().datums.filter((d: RecordedDatum) => d.name === name);
const where = (name: string, dimensions: Record<string, string>) =>
  named(name).filter((d) => JSON.stringify(d.dimensions) === JSON.stringify(dimensions));

function config(metrics: string, outboxDir?: string): string {
  return `defaults:
  namespace: E2E/Prometheus
  schedule: "* * * * * *"
  storageResolution: 1
  timeout: 900ms
${outboxDir === undefined ? "" : `delivery:\n  outboxDir: ${outboxDir}\n`}metrics:
${metrics}`;
}

/** Serves `text` from now on and waits until a scrape has seen it. */
async function serveAndScrape(text: string): Promise<void> {
  exporter.serve(text);
  await waitFor(() => exporter.answered.at(-1) === text, "a scrape of the new text");
}

async function sumReaches(select: () => RecordedDatum[], total: number, what: string): Promise<void> {
  await waitFor(() => sum(select().map((d) => d.value)) >= total, what);
}

describe("prometheus source", () => {
  it("publishes a gauge exactly, and entries of one endpoint share each scrape", async () => {
    // Each scrape serves its own number in three gauges: entries that shared a scrape publish one number.
    exporter.serve(
      (n) => `# TYPE room_temperature gauge
room_temperature{room="lab"} 21.5
# TYPE scrape_a gauge
scrape_a ${n}
# TYPE scrape_b gauge
scrape_b ${n}
# TYPE scrape_c gauge
scrape_c ${n}
`,
    );
    const source = (metric: string) => `{ type: prometheus, url: "${exporter.url}", metric: ${metric} }`;
    const file = h.writeConfig(
      "shared.yaml",
      config(`  - { name: Temperature, source: ${source("room_temperature")} }
  - { name: A, source: ${source("scrape_a")} }
  - { name: B, source: ${source("scrape_b")} }
  - { name: C, source: ${source("scrape_c")} }
`),
    );
    const cli = startCli(["run", "--config", file], h.env());
    await waitFor(() => new Set(named("C").map((d) => d.timestamp)).size >= 3, "three ticks of C");
    assert.equal((await cli.stop()).code, 0);
    assert.deepEqual(new Set(named("Temperature").map((d) => d.value)), new Set([21.5]));
    for (const a of named("A")) {
      const at = (name: string) => named(name).find((d) => d.timestamp === a.timestamp)?.value;
      assert.equal(at("B"), a.value, `B read the same scrape as A at ${a.timestamp}`);
      assert.equal(at("C"), a.value, `C read the same scrape as A at ${a.timestamp}`);
    }
    const scrapes = new Set(named("A").map((d) => d.value));
    assert.equal(scrapes.size, named("A").length, "each tick a scrape of its own");
  });

  it("counters: deltas per kept label sum to the increase, across a reset of one series and a new series", async () => {
    const body = (a: number, b: number, post500?: number) => `# TYPE http_requests_total counter
http_requests_total{method="GET",code="200",pod="a"} ${a}
http_requests_total{method="GET",code="200",pod="b"} ${b}
${post500 === undefined ? "" : `http_requests_total{method="POST",code="500",pod="a"} ${post500}\n`}`;
    exporter.serve(body(100, 1000));
    const file = h.writeConfig(
      "counters.yaml",
      config(`  - name: Requests
    source:
      type: prometheus
      url: "${exporter.url}"
      metric: http_requests_total
      labels: { code: StatusCode }
  - name: RequestsByMethod
    source: { type: prometheus, url: "${exporter.url}", metric: http_requests_total, labels: [method] }
`),
    );
    const cli = startCli(["run", "--config", file], h.env());
    const started = exporter.answered.length;
    await waitFor(() => exporter.answered.length > started, "the first scrape (baselines)");
    await serveAndScrape(body(110, 1020)); // +30
    await sumReaches(() => where("Requests", { StatusCode: "200" }), 30, "the first increase");
    await serveAndScrape(body(115, 5)); // pod b restarted: +5 and +5
    await sumReaches(() => where("Requests", { StatusCode: "200" }), 40, "the increase across the reset");
    await serveAndScrape(body(120, 10, 3)); // +5 +5, and a new series: its 3 are new
    await sumReaches(() => where("Requests", { StatusCode: "500" }), 3, "the new series");
    await sumReaches(() => where("Requests", { StatusCode: "200" }), 50, "the last increase");
    assert.equal((await cli.stop()).code, 0);
    const ok = where("Requests", { StatusCode: "200" }).map((d) => d.value);
    assert.equal(sum(ok), 50, "exactly 30 + 10 + 10");
    assert.ok(
      ok.every((v) => v >= 0),
      `no negative delta: ${ok.join(", ")}`,
    );
    assert.equal(sum(where("Requests", { StatusCode: "500" }).map((d) => d.value)), 3);
    assert.equal(sum(where("RequestsByMethod", { method: "GET" }).map((d) => d.value)), 50);
    assert.equal(sum(where("RequestsByMethod", { method: "POST" }).map((d) => d.value)), 3);
    const dimensionSets = new Set(named("Requests").map((d) => Object.keys(d.dimensions).join()));
    assert.deepEqual(dimensionSets, new Set(["StatusCode"]), "the pod and method labels were combined away");
  });

  it("histograms: Values are bucket bounds and sum(Counts) is the increase of _count", async () => {
    const body = (b1: number, b2: number, inf: number) => `# TYPE request_seconds histogram
request_seconds_bucket{le="0.1"} ${b1}
request_seconds_bucket{le="0.5"} ${b2}
request_seconds_bucket{le="+Inf"} ${inf}
request_seconds_sum ${inf * 0.2}
request_seconds_count ${inf}
`;
    exporter.serve(body(10, 20, 25));
    const file = h.writeConfig(
      "histogram.yaml",
      config(`  - name: Latency
    unit: Seconds
    source: { type: prometheus, url: "${exporter.url}", metric: request_seconds }
  - name: LatencyCount
    source: { type: prometheus, url: "${exporter.url}", metric: request_seconds_count }
`),
    );
    const cli = startCli(["run", "--config", file], h.env());
    const started = exporter.answered.length;
    await waitFor(() => exporter.answered.length > started, "the first scrape (baselines)");
    await serveAndScrape(body(14, 30, 40)); // +4 ≤0.1, +6 ≤0.5, +5 above: 15 observations
    await serveAndScrape(body(15, 31, 43)); // +1, 0, +2: 3 more
    const counted = () => sum(named("Latency").flatMap((d) => d.counts ?? []));
    await waitFor(() => counted() >= 18, "18 observations published");
    await sumReaches(() => named("LatencyCount"), 18, "the count's increase");
    assert.equal((await cli.stop()).code, 0);
    assert.equal(counted(), 18, "sum(Counts) is the increase of request_seconds_count");
    assert.equal(sum(named("LatencyCount").map((d) => d.value)), 18);
    const byValue = new Map<number, number>();
    for (const d of named("Latency"))
      d.values!.forEach((v, i) => byValue.set(v, (byValue.get(v) ?? 0) + d.counts![i]!));
    assert.deepEqual(
      [...byValue].sort(([a], [b]) => a - b),
      [
        [0.1, 5],
        [0.5, 13], // 6 in (0.1, 0.5] and the 7 above 0.5, at the largest finite bound
      ],
    );
  });

  it("a restart keeps the counter baselines (with an outbox directory): no increase lost or repeated", async () => {
    const body = (v: number) => `# TYPE jobs_total counter\njobs_total{queue="q1"} ${v}\n`;
    exporter.serve(body(500));
    const file = h.writeConfig(
      "restart.yaml",
      config(
        `  - { name: Jobs, source: { type: prometheus, url: "${exporter.url}", metric: jobs_total } }\n`,
        join(h.dir, "outbox-restart"),
      ),
    );
    const first = startCli(["run", "--config", file], h.env());
    const started = exporter.answered.length;
    await waitFor(() => exporter.answered.length > started, "the first scrape (baselines)");
    await serveAndScrape(body(520));
    await sumReaches(() => named("Jobs"), 20, "the first increase");
    assert.equal((await first.stop()).code, 0);
    exporter.serve(body(560)); // while stopped
    const second = startCli(["run", "--config", file], h.env());
    await sumReaches(() => named("Jobs"), 60, "the increase while stopped, after the restart");
    await serveAndScrape(body(565));
    await sumReaches(() => named("Jobs"), 65, "the last increase");
    assert.equal((await second.stop()).code, 0);
    assert.equal(sum(named("Jobs").map((d) => d.value)), 65);
  });

  it("an endpoint that fails: each entry's read fails, one log line per scrape, other metrics unaffected", async () => {
    exporter.serve("<html><body>Bad gateway</body></html>", 502);
    const source = (metric: string) => `{ type: prometheus, url: "${exporter.url}", metric: ${metric} }`;
    const file = h.writeConfig(
      "failing.yaml",
      config(`  - { name: Up1, source: ${source("up")} }
  - { name: Up2, source: ${source("up")} }
  - { name: Steady, source: { type: constant, value: 7 } }
`),
    );
    const cli = startCli(["run", "--config", file], h.env());
    await waitFor(() => named("Steady").length >= 3, "three ticks of the constant");
    assert.equal((await cli.stop()).code, 0);
    const lines = jsonLines(cli.stdout());
    const failures = lines.filter((l) => String(l.message).includes("answered HTTP 502"));
    assert.ok(failures.length >= 2, "the failure is logged");
    assert.ok(
      failures.every((l) =>
        String(l.message).includes('one scrape shared by 2 metrics: "Up1", "Up2"; each counts a failed read'),
      ),
      String(failures[0]?.message),
    );
    const seconds = new Set(failures.map((l) => String(l.timestamp).slice(0, 19)));
    assert.equal(seconds.size, failures.length, "one line per scrape, not one per entry");
    const stopped = lines.find((l) => l.message === "stopped")!;
    assert.ok((stopped.readFailures as number) >= 2 * failures.length, "each entry counts its failed read");
    assert.equal(named("Up1").length + named("Up2").length, 0);
  });

  it("config/prometheus.yaml as the README tries it: against the Go client's sample, once", async () => {
    exporter.serve(
      readFileSync(join(REPO_ROOT, "test/sources/prometheus/fixtures/client_golang.txt"), "utf8"),
    );
    const result = await runCli(["once", "--config", join(REPO_ROOT, "config/prometheus.yaml")], {
      env: h.env({ METRICS_URL: exporter.url, OUTBOX_DIR: join(h.dir, "outbox-example") }),
    });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(
      named("RuleEvaluationMilliseconds")
        .map((d) => `${d.dimensions.RuleType} ${d.dimensions.Quantile} ${d.value}`)
        .sort(),
      ["alerting 0.99 2", "recording 0.99 3"],
    );
    assert.deepEqual(
      named("ResidentMemory").map((d) => d.value),
      [53870592],
    );
    const summary = jsonLines(result.stdout).find((l) => String(l.message).startsWith("once:"))!;
    assert.equal(summary.baselines, 4, "Requests (1 series), ChunkOpsPerSecond (2), RuleEvaluations (1)");
    assert.match(
      result.stdout,
      /"metric \\"Requests\\" \(prometheus\): the first read of a counter with no saved baseline only sets it/,
    );
  });

  it("cost names the metrics whose series are found as they read (one series each in its estimate)", async () => {
    const config = join(REPO_ROOT, "config/prometheus.yaml");
    const env = h.env({ METRICS_URL: "http://127.0.0.1:1/metrics" });
    const text = await runCli(["cost", "--config", config], { env });
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /These 5 metrics find their series as they read, and count as one series each above:\nmetrics\[0\] "Requests" \(prometheus\), /,
    );
    const json = await runCli(["cost", "--config", config, "--format", "json"], { env });
    const estimate = JSON.parse(json.stdout) as { series: number; seriesFoundAsRead: string[] };
    assert.equal(estimate.series, 5);
    assert.equal(estimate.seriesFoundAsRead.length, 5);
    assert.equal(estimate.seriesFoundAsRead[4], 'metrics[4] "RuleEvaluations" (prometheus)');
    const system = await runCli(
      ["cost", "--config", join(REPO_ROOT, "config/system.yaml"), "--format", "json"],
      { env: h.env({ INSTANCE_ID: "i-0123456789abcdef0" }) },
    );
    const found = (JSON.parse(system.stdout) as { seriesFoundAsRead: string[] }).seriesFoundAsRead;
    assert.ok(found.length > 0 && found.every((m) => /"DiskSpace\w+" \(system\)$/.test(m)), found.join("; "));
  });
});
