/**
 * Shaping end to end, the built CLI against the fake CloudWatch: counters as deltas across a restart,
 * resets and rates; aggregation into Values + Counts and StatisticValues; more than 150 distinct values;
 * rollups. Every assertion is on what arrived (sums, sets), never on how many reads a second gave.
 */
import assert from "node:assert/strict";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { jsonLines, REPO_ROOT, runCli, startCli } from "../support/cli.js";
import { e2eHarness } from "../support/e2e.js";
import type { RecordedDatum } from "../support/fake-cloudwatch.js";
import { waitFor } from "../support/wait.js";

const h = e2eHarness("cwp-shaping-");

/** Replaces the file at once, so a read never sees it half written. */
function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

const of = (name: string) => (d: RecordedDatum) => d.name === name;
const sum = (numbers: readonly number[]) => numbers.reduce((a, b) => a + b, 0);

function counterConfig(name: string, file: string, outboxDir: string, extra: string): string {
  return `defaults:
  namespace: E2E/Shaping
delivery:
  outboxDir: ${outboxDir}
metrics:
  - name: ${name}
    storageResolution: 1
    timeout: 900ms
${extra}
    source: { type: file, path: ${file} }
`;
}

/** Waits until the published values of `name` sum to `total` (the last increase was read and sent). */
async function publishedSum(name: string, total: number, scale = 1): Promise<void> {
  await waitFor(
    () =>
      sum(
        h
          .fake()
          .datums.filter(of(name))
          .map((d) => d.value * scale),
      ) >=
      total - 1e-9,
    `${name}: the published values sum to ${total}`,
  );
}

describe("transform: counters", () => {
  it("delta: the published deltas sum to the counter's increase exactly, across a restart in the middle", async () => {
    const file = join(h.dir, "requests.count");
    const outbox = join(h.dir, "outbox-delta");
    writeAtomically(file, "100\n");
    const config = h.writeConfig(
      "delta.yaml",
      counterConfig("Served", file, outbox, '    schedule: "* * * * * *"\n    transform: delta'),
    );
    const first = startCli(["run", "--config", config], h.env());
    await first.waitForLine(/only sets its baseline|only sets it;/);
    writeAtomically(file, "130\n");
    await publishedSum("Served", 30);
    writeAtomically(file, "145\n");
    await publishedSum("Served", 45);
    assert.equal((await first.stop("SIGTERM")).code, 0);
    writeAtomically(file, "175\n"); // while stopped: published by the first read after the restart
    const second = startCli(["run", "--config", config], h.env());
    await publishedSum("Served", 75);
    writeAtomically(file, "190\n");
    await publishedSum("Served", 90);
    assert.equal((await second.stop("SIGTERM")).code, 0);
    const served = h.fake().datums.filter(of("Served"));
    assert.equal(sum(served.map((d) => d.value)), 90, "exactly the increase from 100 to 190");
    assert.ok(
      served.every((d) => d.value >= 0),
      "no negative delta",
    );
    assert.ok(!second.stdout().includes("only sets its baseline"), "the restart used the saved baseline");
  });

  it("delta: a reset (the counter written lower) publishes the new value", async () => {
    const file = join(h.dir, "jobs.count");
    writeAtomically(file, "50\n");
    const config = h.writeConfig(
      "reset.yaml",
      counterConfig(
        "Jobs",
        file,
        join(h.dir, "outbox-reset"),
        '    schedule: "* * * * * *"\n    transform: delta',
      ),
    );
    const cli = startCli(["run", "--config", config], h.env());
    await cli.waitForLine(/only sets/);
    writeAtomically(file, "60\n");
    await publishedSum("Jobs", 10);
    writeAtomically(file, "7\n"); // the process restarted its counter and has done 7 since
    await publishedSum("Jobs", 17);
    assert.equal((await cli.stop("SIGTERM")).code, 0);
    const values = h
      .fake()
      .datums.filter(of("Jobs"))
      .map((d) => d.value);
    assert.equal(sum(values), 17);
    assert.ok(values.includes(7), "the reset's datum is the new value itself");
  });

  it("rate: each value is the increase per second of the scheduled interval (2 s)", async () => {
    const file = join(h.dir, "bytes.count");
    writeAtomically(file, "0\n");
    const config = h.writeConfig(
      "rate.yaml",
      counterConfig(
        "BytesPerSecond",
        file,
        join(h.dir, "outbox-rate"),
        '    schedule: "*/2 * * * * *"\n    transform: rate',
      ),
    );
    const cli = startCli(["run", "--config", config], h.env());
    await cli.waitForLine(/only sets/);
    writeAtomically(file, "1000\n");
    await publishedSum("BytesPerSecond", 1000, 2);
    writeAtomically(file, "1600\n");
    await publishedSum("BytesPerSecond", 1600, 2);
    assert.equal((await cli.stop("SIGTERM")).code, 0);
    const rates = h
      .fake()
      .datums.filter(of("BytesPerSecond"))
      .map((d) => d.value);
    assert.equal(sum(rates) * 2, 1600, "rate × 2 s, summed, is the whole increase");
    assert.ok(rates.includes(500) || rates.includes(300), "a rate is an increase over 2 s");
  });
});

/** A command that prints 0, 1, 2, 3, 4, 0, … one per read, counting its reads in `counter`. */
function cyclingCommand(counter: string): string {
  writeFileSync(counter, "0");
  return `["sh", "-c", "n=$(cat ${counter}); echo $((n + 1)) > ${counter}; echo $((n % 5))"]`;
}

describe("aggregate", () => {
  for (const mode of ["values", "statistics"] as const) {
    it(`${mode}: reads every second, 10 s periods: one datum per period, every read in it`, async () => {
      const name = `Cycling_${mode}`;
      const counter = join(h.dir, `${mode}.reads`);
      const config = h.writeConfig(
        `aggregate-${mode}.yaml`,
        `metrics:
  - name: ${name}
    namespace: E2E/Shaping
    schedule: "* * * * * *"
    storageResolution: 1
    timeout: 900ms
    aggregate: { period: 10s, as: ${mode} }
    source: { type: command, command: ${cyclingCommand(counter)} }
`,
      );
      const cli = startCli(["run", "--config", config], h.env());
      // At least one whole period closed while running, then the open one published at shutdown.
      await waitFor(() => h.fake().datums.some(of(name)), `a closed period of ${name}`, 40_000);
      assert.equal((await cli.stop("SIGTERM")).code, 0);
      const reads = Number(readFileSync(counter, "utf8"));
      const datums = h.fake().datums.filter(of(name));
      const starts = datums.map((d) => d.timestamp);
      assert.ok(
        starts.every((t) => t % 10_000 === 0),
        "timestamped at period starts",
      );
      assert.equal(new Set(starts).size, starts.length, "one datum per period");
      const expected = new Map<number, number>();
      for (let i = 0; i < reads; i++) expected.set(i % 5, (expected.get(i % 5) ?? 0) + 1);
      if (mode === "values") {
        assert.ok(datums.every((d) => d.values !== undefined && d.storageResolution === 1));
        assert.equal(sum(datums.flatMap((d) => d.counts!)), reads, "sum(Counts) = the reads");
        const seen = new Map<number, number>();
        for (const d of datums) {
          assert.equal(new Set(d.values).size, d.values!.length, "Values are distinct");
          d.values!.forEach((v, i) => seen.set(v, (seen.get(v) ?? 0) + d.counts![i]!));
        }
        assert.deepEqual(new Map([...seen].sort()), new Map([...expected].sort()));
      } else {
        const stats = datums.map((d) => d.statistics!);
        assert.equal(sum(stats.map((s) => s.SampleCount)), reads, "SampleCount sums to the reads");
        assert.equal(sum(stats.map((s) => s.Sum)), sum([...expected].map(([v, n]) => v * n)));
        assert.ok(stats.every((s) => s.Minimum >= 0 && s.Maximum <= 4 && s.Minimum <= s.Maximum));
        assert.equal(Math.min(...stats.map((s) => s.Minimum)), 0);
      }
    });
  }

  it("more than 150 distinct values: several datums with one timestamp, never over 150 per series per request", async () => {
    const metrics = Array.from(
      { length: 200 },
      (_, i) =>
        `  - { name: Spread, dimensions: { Shard: "s${i}" }, source: { type: constant, value: ${i} } }`,
    ).join("\n");
    const config = h.writeConfig(
      "spread.yaml",
      `defaults:
  namespace: E2E/Spread
  schedule: "* * * * * *"
  storageResolution: 1
  aggregate: { period: 10s }
  rollups: [[]]
metrics:
${metrics}
`,
    );
    const result = await runCli(["once", "--config", config], { env: h.env() });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const fleet = h
      .fake()
      .datums.filter((d) => d.namespace === "E2E/Spread" && Object.keys(d.dimensions).length === 0);
    assert.equal(new Set(fleet.map((d) => d.timestamp)).size, 1, "one timestamp");
    assert.deepEqual(
      fleet.map((d) => d.values!.length).sort((a, b) => b - a),
      [150, 50],
    );
    const all = fleet.flatMap((d) => d.values!).sort((a, b) => a - b);
    assert.deepEqual(
      all,
      Array.from({ length: 200 }, (_, i) => i),
      "every value once",
    );
    // The fake refuses a request with more than 150 values of one series, as the API reference reads.
    assert.ok(h.fake().requests.every((r) => r.status === 200));
  });
});

describe("rollups", () => {
  it("publish the extra series with exactly the listed dimensions", async () => {
    const config = h.writeConfig(
      "rollups.yaml",
      `defaults:
  namespace: E2E/Rollups
  dimensions: { Environment: prod }
  rollups: [[Environment], []]
metrics:
  - { name: Load, dimensions: { Host: a }, source: { type: constant, value: 2 } }
  - { name: Load, dimensions: { Host: b }, source: { type: constant, value: 3 } }
`,
    );
    const result = await runCli(["once", "--config", config], { env: h.env() });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const got = h
      .fake()
      .datums.filter((d) => d.namespace === "E2E/Rollups")
      .map((d) => `${JSON.stringify(Object.entries(d.dimensions).sort())}=${d.value}`)
      .sort();
    assert.deepEqual(got, [
      '[["Environment","prod"],["Host","a"]]=2',
      '[["Environment","prod"],["Host","b"]]=3',
      '[["Environment","prod"]]=2',
      '[["Environment","prod"]]=3',
      "[]=2",
      "[]=3",
    ]);
    const last = jsonLines(result.stdout).at(-1)!;
    assert.match(String(last.message), /2 read, 6 published in 1 request/);
  });
});

describe("limits.maxSeries", () => {
  it("is checked by validate-config, naming the count and the largest contributors", async () => {
    const config = h.writeConfig(
      "limits.yaml",
      `limits: { maxSeries: 2 }
defaults: { namespace: E2E/Limits, dimensions: { Environment: prod }, rollups: [[]] }
metrics:
  - { name: A, dimensions: { Host: a }, source: { type: constant, value: 1 } }
  - { name: A, dimensions: { Host: b }, source: { type: constant, value: 1 } }
`,
    );
    const result = await runCli(["validate-config", "--config", config], { env: h.env() });
    assert.equal(result.code, 1);
    assert.match(
      result.stdout + result.stderr,
      /limits\.maxSeries: the config publishes 3 distinct series, more than limits\.maxSeries \(2\); the largest: metrics\[0\] "A" \(2\), metrics\[1\] "A" \(2\)/,
    );
  });
});

describe("cost", () => {
  it("prints the numbers worked out by hand, as text and as JSON, without network or credentials", async () => {
    const config = h.writeConfig(
      "cost.yaml",
      `defaults:
  namespace: MyApp
  dimensions: { Environment: prod }
metrics:
  - name: QueueDepth
    dimensions: { Queue: orders }
    rollups: [[]]
    source: { type: constant, value: 1 }
  - name: Latency
    schedule: "* * * * * *"
    storageResolution: 1
    source: { type: constant, value: 1 }
  - { name: Disk, namespace: Ops, schedule: "@daily", source: { type: constant, value: 1 } }
`,
    );
    // No AWS_* at all: the estimate needs neither network nor credentials.
    const json = await runCli(["cost", "--config", config, "--format", "json"], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    });
    assert.equal(json.code, 0, json.stderr);
    const estimate = JSON.parse(json.stdout) as Record<string, unknown>;
    // QueueDepth: 43,200 reads a month (every minute, 30 days) × 2 series (its own and the [] rollup)
    // = 86,400 datums in 43,200 requests; Latency: 2,592,000 reads, one request each; Disk: 30.
    // Series: 3 in MyApp at $0.30, Disk prorated by its active hours: 30 / 720 of $0.30 = $0.0125.
    assert.deepEqual(
      {
        series: estimate.series,
        datumsPerMonth: estimate.datumsPerMonth,
        requestsPerMonth: estimate.requestsPerMonth,
      },
      { series: 4, datumsPerMonth: 86_400 + 2_592_000 + 30, requestsPerMonth: 43_200 + 2_592_000 + 30 },
    );
    const usd = estimate.usdPerMonth as { metrics: number; requests: number; total: number };
    // Requests: 2,635,230 / 1,000 × $0.01 = $26.35; metrics $0.90 + $0.01 (Disk, rounded) = $0.91.
    assert.deepEqual(usd, { metrics: 0.91, requests: 26.35, total: 27.26 });
    const namespaces = (estimate.namespaces as { namespace: string; series: number }[]).map((n) => [
      n.namespace,
      n.series,
    ]);
    assert.deepEqual(namespaces, [
      ["MyApp", 3],
      ["Ops", 1],
    ]);
    const text = await runCli(["cost", "--config", config], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    });
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^total\s+4\s+2,678,430\s+2,635,230\s+\$0\.91\s+\$26\.35\s+\$27\.26$/m);
    assert.match(text.stdout, /aggregate: \{ period: 1m \} on metrics\[1\] "Latency"/);
  });

  it("prints for config/shaping.yaml what the README shows, and that example validates", async () => {
    const example = join(REPO_ROOT, "config/shaping.yaml");
    const printed = await runCli(["cost", "--config", example], { env: h.env() });
    assert.equal(printed.code, 0, printed.stderr);
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    assert.ok(
      readme.includes(printed.stdout.trimEnd()),
      "README.md's cost example is out of date: paste `cloudwatch-publisher cost --config config/shaping.yaml`",
    );
    assert.equal((await runCli(["validate-config", example], { env: h.env() })).code, 0);
  });

  it("with output: emf counts log ingestion of the documents `once` really writes, and no requests", async () => {
    const config = h.writeConfig(
      "cost-emf.yaml",
      `output: { type: emf, path: stdout }\nmetrics:\n  - { name: Up, namespace: E2E/EmfCost, schedule: "* * * * *", source: { type: constant, value: 1 } }\n`,
    );
    const json = await runCli(["cost", "--config", config, "--format", "json"], { env: h.env() });
    assert.equal(json.code, 0, json.stderr);
    const estimate = JSON.parse(json.stdout) as {
      requestsPerMonth: number;
      usdPerMonth: { metrics: number; requests: number; total: number };
      logIngestion: { documentsPerMonth: number; bytesPerMonth: number; usdPerMonth: number };
    };
    // The document `once` writes, as the log driver receives it: its bytes, a line break, and 26 bytes
    // of event overhead; once a minute for 30 days; $0.50 per GB (10^9 bytes) ingested.
    const once = await runCli(["once", "--config", config], { env: h.env() });
    const line = once.stdout.split("\n")[0]!;
    const bytesPerMonth =
      43_200 *
      (Buffer.byteLength(line.replace(/"_aws":\{"Timestamp":\d+/, '"_aws":{"Timestamp":0')) + 1 + 26);
    assert.equal(estimate.requestsPerMonth, 0);
    assert.equal(estimate.logIngestion.documentsPerMonth, 43_200);
    assert.equal(estimate.logIngestion.bytesPerMonth, bytesPerMonth);
    const logsUsd = Math.round((bytesPerMonth / 1e9) * 0.5 * 100) / 100;
    assert.equal(estimate.logIngestion.usdPerMonth, logsUsd);
    assert.deepEqual(estimate.usdPerMonth, {
      metrics: 0.3,
      requests: 0,
      total: Math.round((0.3 + logsUsd) * 100) / 100,
    });
    const text = await runCli(["cost", "--config", config], { env: h.env() });
    assert.match(text.stdout, /output: emf — no PutMetricData requests/);
  });

  it("estimates $CONFIG_YAML when no file is named, as run and validate-config read it", async () => {
    const text = `metrics:\n  - { name: Up, namespace: E2E/CostYaml, schedule: "* * * * *", source: { type: constant, value: 1 } }\n`;
    const r = await runCli(["cost", "--format", "json"], { env: h.env({ CONFIG_YAML: text }) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { datumsPerMonth: number }).datumsPerMonth, 43_200);
    const bad = await runCli(["cost"], { env: h.env({ CONFIG_YAML: "metrics: []\n" }) });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /\$CONFIG_YAML: invalid, no estimate/);
  });

  it("exits 1 on an invalid config and 2 on a missing file, as documented", async () => {
    const bad = h.writeConfig("cost-bad.yaml", "metrics: []\n");
    assert.equal((await runCli(["cost", "--config", bad], { env: h.env() })).code, 1);
    const missing = await runCli(["cost", "--config", join(h.dir, "nope.yaml")], { env: h.env() });
    assert.equal(missing.code, 2);
    assert.equal((await runCli(["cost", "--format", "xml"], { env: h.env() })).code, 2);
  });
});
