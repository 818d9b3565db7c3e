/** The built CLI end to end, against the fake CloudWatch through AWS_ENDPOINT_URL, as a user runs it. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cleanEnv, jsonLines, runCli, startCli } from "../support/cli.js";
import { FakeCloudWatch } from "../support/fake-cloudwatch.js";
import { sleepMarker } from "../support/sleep-marker.js";

const dir = mkdtempSync(join(tmpdir(), "cwp-e2e-"));
let fake: FakeCloudWatch;

function env(extra: Record<string, string> = {}): Record<string, string> {
  return cleanEnv({ ...fake.env(), LOG_FORMAT: "json", ...extra });
}

function writeConfig(name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

before(async () => {
  fake = await FakeCloudWatch.start();
});
after(async () => {
  await fake.close();
});

describe("heartbeat mode", () => {
  it("delivers the first heartbeat right after start and exits 0 on SIGTERM", async () => {
    const before = fake.datums.length;
    const started = Date.now();
    const cli = startCli(
      ["run"],
      env({ METRIC_NAMESPACE: "E2E/Heartbeat", METRIC_DIMENSIONS: "Service=api, Stage=test" }),
    );
    await fake.waitForDatums(before + 1, 5_000);
    const datum = fake.datums[before]!;
    assert.deepEqual(
      { ...datum, timestamp: undefined },
      {
        namespace: "E2E/Heartbeat",
        name: "Heartbeat",
        dimensions: { Service: "api", Stage: "test" },
        value: 1,
        timestamp: undefined,
        unit: "Count",
        storageResolution: 60,
      },
    );
    assert.ok(Math.abs(datum.timestamp - started) < 5_000, "timestamped at start");
    const { code } = await cli.stop("SIGTERM");
    assert.equal(code, 0);
    const logs = jsonLines(cli.stdout());
    const startLine = logs.find((l) => l.message === "cloudwatch-publisher run started")!;
    assert.equal(startLine.mode, "heartbeat (environment only)");
    assert.equal(startLine.region, "us-east-1");
    assert.equal(startLine.endpoint, fake.url);
    assert.equal(logs.at(-1)!.message, "stopped");
    assert.equal(logs.at(-1)!.published, 1);
    assert.deepEqual(fake.protocolErrors, []);
    assert.doesNotMatch(
      cli.stdout() + cli.stderr(),
      /AKID|fake-secret|Signature=/,
      "no credentials in the logs",
    );
  });

  it("falls back to ap-southeast-2 with a log line when no region is configured", async () => {
    const noRegion = cleanEnv({
      LOG_FORMAT: "json",
      HOME: dir, // no ~/.aws/config to find a region in
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_ENDPOINT_URL: fake.url,
      AWS_ACCESS_KEY_ID: "x",
      AWS_SECRET_ACCESS_KEY: "y",
    });
    const r = await runCli(["once"], { env: noRegion });
    const logs = jsonLines(r.stdout);
    assert.ok(
      logs.some(
        (l) =>
          l.message ===
          "no AWS region configured (AWS_REGION, AWS_DEFAULT_REGION or a profile) nor found in instance or task metadata; using ap-southeast-2",
      ),
      r.stdout,
    );
    const start = logs.find((l) => l.message === "cloudwatch-publisher once started")!;
    assert.equal(start.region, "ap-southeast-2");
    assert.equal(start.regionSource, "fallback");
  });

  it("names the variable when the environment is invalid, and exits 1", async () => {
    const r = await runCli(["run"], { env: env({ METRIC_UNIT: "count", METRIC_DIMENSIONS: "novalue" }) });
    assert.equal(r.code, 1);
    const messages = jsonLines(r.stdout).map((l) => l.message);
    assert.ok(
      messages.includes(
        'invalid config: environment: METRIC_DIMENSIONS: entry "novalue" is not Key=Value; write Key=Value,Key2=Value2',
      ),
      messages.join("\n"),
    );
    assert.ok(
      messages.includes(
        'invalid config: environment: METRIC_UNIT: must be one of 27 allowed values (got "count"); did you mean "Count"?',
      ),
    );
  });
});

describe("dry run", () => {
  it("prints the PutMetricData requests as JSON on stdout, sends nothing, needs no credentials", async () => {
    const r = await runCli(["once", "--dry-run"], {
      env: cleanEnv({ METRIC_NAME: "Dry", LOG_FORMAT: "json" }),
    });
    assert.equal(r.code, 0);
    const [request, ...rest] = r.stdout.trim().split("\n");
    assert.equal(rest.length, 0, "stdout carries only the request");
    const input = JSON.parse(request!) as {
      Namespace: string;
      MetricData: { MetricName: string; Value: number }[];
    };
    assert.equal(input.Namespace, "CloudWatchPublisher");
    assert.equal(input.MetricData[0]!.MetricName, "Dry");
    assert.equal(input.MetricData[0]!.Value, 1);
    assert.match(r.stderr, /"message":"once: 1 metric, 1 read, 1 published/);
  });
  it("is also switched on by DRY_RUN=true", async () => {
    const r = await runCli(["once"], { env: cleanEnv({ DRY_RUN: "true" }) });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\{"Namespace":"CloudWatchPublisher"/);
  });
});

describe("config files", () => {
  let app: Server;
  let appUrl: string;
  before(async () => {
    app = createServer((req, res) => {
      if (req.headers.authorization !== "Bearer t0ken") res.writeHead(401).end("no");
      else if (req.url === "/stats")
        res.writeHead(200, { "content-type": "application/json" }).end('{"queue":{"depth":42}}');
      else res.writeHead(200).end(" 7.5\n");
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => app.close(() => resolve())));

  it("reads every source type and delivers the right values (once)", async () => {
    const valueFile = join(dir, "temp");
    writeFileSync(valueFile, "41500\n");
    const config = writeConfig(
      "all.yaml",
      `defaults:
  namespace: E2E/Sources
  dimensions: { Suite: e2e }
metrics:
  - { name: Constant, source: { type: constant, value: 3 } }
  - { name: Env, source: { type: env, variable: QUEUE_DEPTH } }
  - { name: Command, source: { type: command, command: ["sh", "-c", "echo 'found 12 files'"] } }
  - { name: File, scale: 0.001, unit: None, source: { type: file, path: "${valueFile}" } }
  - name: HttpJson
    source: { type: http, url: "${appUrl}/stats", jsonPath: "$.queue.depth", headers: { Authorization: "Bearer \${TOKEN}" } }
  - name: HttpPlain
    source: { type: http, url: "${appUrl}/plain", headers: { Authorization: "Bearer \${TOKEN}" } }
`,
    );
    const r = await runCli(["once", "--config", config], { env: env({ QUEUE_DEPTH: "9", TOKEN: "t0ken" }) });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const values = Object.fromEntries(
      fake.datums.filter((d) => d.namespace === "E2E/Sources").map((d) => [d.name, d.value]),
    );
    assert.deepEqual(values, { Constant: 3, Env: 9, Command: 12, File: 41.5, HttpJson: 42, HttpPlain: 7.5 });
    assert.ok(
      fake.datums.filter((d) => d.namespace === "E2E/Sources").every((d) => d.dimensions.Suite === "e2e"),
    );
  });

  it("sends 2,500 metrics of one namespace and 10 of another in 4 requests", async () => {
    const many = Array.from(
      { length: 2500 },
      (_, i) => `  - { name: M${i}, source: { type: constant, value: ${i} } }`,
    );
    const few = Array.from(
      { length: 10 },
      (_, i) => `  - { name: F${i}, namespace: E2E/Few, source: { type: constant, value: ${i} } }`,
    );
    const config = writeConfig(
      "many.yaml",
      `defaults:\n  namespace: E2E/Many\nmetrics:\n${[...many, ...few].join("\n")}\n`,
    );
    const requestsBefore = fake.requests.length;
    const r = await runCli(["once", "--config", config], { env: env() });
    assert.equal(r.code, 0, r.stdout);
    const requests = fake.requests.slice(requestsBefore);
    assert.deepEqual(requests.map((q) => `${q.namespace}:${q.datumCount}`).sort(), [
      "E2E/Few:10",
      "E2E/Many:1000",
      "E2E/Many:1000",
      "E2E/Many:500",
    ]);
    assert.ok(
      requests.some((q) => q.gzip),
      "large bodies go gzip-compressed",
    );
    const names = new Set(fake.datums.filter((d) => d.namespace === "E2E/Many").map((d) => d.name));
    assert.equal(names.size, 2500);
  });

  it("kills a hanging command at its timeout while other metrics keep their schedule", async () => {
    const marker = sleepMarker(31);
    const config = writeConfig(
      "hang.yaml",
      `defaults:
  namespace: E2E/Hang
  schedule: "* * * * * *"
metrics:
  - { name: Hangs, timeout: 1500ms, source: { type: command, command: ["sh", "-c", "sleep ${marker}; echo 1"] } }
  - { name: Ticks, source: { type: constant, value: 1 } }
`,
    );
    const cli = startCli(["run", "--config", config], env());
    await cli.waitForLine(/timed out after/, 8_000);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const { code } = await cli.stop();
    assert.equal(code, 0);
    const ticks = fake.datums
      .filter((d) => d.namespace === "E2E/Hang" && d.name === "Ticks")
      .map((d) => d.timestamp)
      .sort();
    assert.ok(ticks.length >= 3, `only ${ticks.length} ticks`);
    for (let i = 1; i < ticks.length; i++)
      assert.equal(ticks[i]! - ticks[i - 1]!, 1000, "a tick every second, none missed");
    assert.equal(fake.datums.filter((d) => d.namespace === "E2E/Hang" && d.name === "Hangs").length, 0);
    const logs = jsonLines(cli.stdout()).map((l) => String(l.message));
    assert.ok(
      logs.some((m) =>
        /^metric "Hangs": command sh timed out after 1[5-9]\d\d ms; killed its process group$/.test(m),
      ),
      logs.join("\n"),
    );
    assert.ok(
      logs.some((m) => m.startsWith('metric "Hangs": previous read still running; skipped the run due at')),
    );
    const leftover = (() => {
      try {
        return execFileSync("pgrep", ["-f", `sleep ${marker}`], { encoding: "utf8" });
      } catch {
        return "";
      }
    })();
    assert.equal(leftover, "", "the command's process tree was killed");
  });

  it("drops a bad value alone, with a logged reason, and delivers the rest of its batch", async () => {
    const config = writeConfig(
      "bad-value.yaml",
      `defaults:
  namespace: E2E/BadValue
metrics:
  - { name: Huge, source: { type: command, command: ["echo", "1e400"] } }
  - { name: Fine1, source: { type: constant, value: 1 } }
  - { name: Fine2, source: { type: command, command: ["echo", "2"] } }
`,
    );
    const requestsBefore = fake.requests.length;
    const r = await runCli(["once", "--config", config], { env: env() });
    assert.equal(r.code, 3, "once reports the drop");
    const names = fake.datums
      .filter((d) => d.namespace === "E2E/BadValue")
      .map((d) => d.name)
      .sort();
    assert.deepEqual(names, ["Fine1", "Fine2"]);
    const logs = jsonLines(r.stdout);
    assert.ok(
      logs.some(
        (l) =>
          l.message === 'metric "Huge": dropped datum: value Infinity is not a finite number' &&
          l.reason === "invalid",
      ),
    );
    // Whether the two reads share a request depends on whether `echo 2` is spawned and answers
    // within the batcher's 20 ms linger: the outcome is asserted, and the count the summary gives
    // is checked against the requests the fake received, whatever that count is.
    const requests = fake.requests.slice(requestsBefore);
    assert.deepEqual(
      requests.map((q) => [q.namespace, q.status]).sort(),
      requests.map(() => ["E2E/BadValue", 200]),
    );
    assert.equal(
      requests.reduce((sum, q) => sum + q.datumCount, 0),
      2,
    );
    const summary = logs.at(-1)!;
    const n = requests.length;
    assert.equal(
      summary.message,
      `once: 3 metrics, 3 read, 2 published in ${n} ${n === 1 ? "request" : "requests"}, 0 read failures, 1 dropped`,
    );
    assert.equal(summary.requests, n);
    assert.equal(summary.published, 2);
    const dropped = Object.entries(summary.dropped as Record<string, number>).filter(([, n]) => n > 0);
    assert.deepEqual(dropped, [["invalid", 1]]);
  });

  it("exits 3 from once when a read fails, naming the metric", async () => {
    const config = writeConfig(
      "fail.yaml",
      "metrics:\n  - { name: Missing, namespace: E2E/Fail, source: { type: file, path: /nonexistent/value } }\n",
    );
    const r = await runCli(["once", "--config", config], { env: env() });
    assert.equal(r.code, 3);
    assert.ok(
      jsonLines(r.stdout).some(
        (l) => l.message === 'metric "Missing": file /nonexistent/value does not exist',
      ),
    );
  });

  it("refuses an explicit config path that does not exist (exit 2), never falling back to heartbeat", async () => {
    const r = await runCli(["run", "--config", join(dir, "typo.yaml")], { env: env() });
    assert.equal(r.code, 2);
    assert.match(r.stdout, /config file .*typo\.yaml: does not exist/);
    const viaEnv = await runCli(["run"], { env: env({ CONFIG_FILE: join(dir, "typo.yaml") }) });
    assert.equal(viaEnv.code, 2);
  });

  it("exits 1 on an invalid config with each error logged", async () => {
    const config = writeConfig(
      "invalid.yaml",
      "metrics:\n  - { name: X, source: { type: constant, value: 1 } }\n",
    );
    const r = await runCli(["run", "--config", config], { env: env() });
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /invalid config: .*invalid\.yaml:2:5: metrics\[0\]: metric \\"X\\" has no namespace/,
    );
  });

  it("flushes batched datums on SIGTERM and exits 0 quickly", async () => {
    const config = writeConfig(
      "flush.yaml",
      `metrics:\n  - { name: Slowish, namespace: E2E/Flush, runOnStart: true, schedule: "@hourly", source: { type: command, command: ["sh", "-c", "sleep 0.5; echo 5"] } }\n`,
    );
    const cli = startCli(["run", "--config", config], env());
    await cli.waitForLine(/run started/);
    const { code, ms } = await cli.stop("SIGTERM");
    assert.equal(code, 0);
    assert.ok(ms < 8_000, `took ${ms} ms`);
    assert.deepEqual(
      fake.datums.filter((d) => d.namespace === "E2E/Flush").map((d) => d.value),
      [5],
      "the read in flight was awaited and flushed",
    );
  });
});
