/**
 * output: emf end to end, with the built CLI: the documents are checked by the checker written from
 * the published specification (test/support/emf-spec.ts) and compared with what the CloudWatch output
 * sends the fake for the same metrics; nothing reaches the fake, and stdout holds nothing but EMF.
 */
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { jsonLines, runCli, startCli } from "../support/cli.js";
import { e2eHarness } from "../support/e2e.js";
import { parseEmfLines } from "../support/emf-spec.js";
import { freePort, probe } from "../support/http.js";
import { sleep, waitFor } from "../support/wait.js";

const { dir, env, writeConfig, fake } = e2eHarness("cwp-emf-");

/** Series, value, unit and resolution of one datum; what both outputs must agree on. */
interface Sample {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Record<string, string>;
  readonly value: number;
  readonly unit: string | undefined;
  readonly storageResolution: number | undefined;
  readonly timestamp: number;
}

/** Decodes EMF documents the way CloudWatch extracts them: each directive's metrics, its dimension values from the root. */
function samplesOf(documents: readonly Record<string, unknown>[]): Sample[] {
  return documents.flatMap((doc) => {
    const aws = doc._aws as {
      Timestamp: number;
      CloudWatchMetrics: {
        Namespace: string;
        Dimensions: string[][];
        Metrics: { Name: string; Unit?: string; StorageResolution?: number }[];
      }[];
    };
    return aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Metrics.flatMap((metric) => {
        const dimensions = Object.fromEntries(
          directive.Dimensions[0]!.map((name) => [name, String(doc[name])]),
        );
        const target = doc[metric.Name] as number | number[];
        return (Array.isArray(target) ? target : [target]).map((value) => ({
          namespace: directive.Namespace,
          name: metric.Name,
          dimensions,
          value,
          unit: metric.Unit,
          storageResolution: metric.StorageResolution,
          timestamp: aws.Timestamp,
        }));
      }),
    );
  });
}

/** A sample without its time, as sortable text. */
const key = (sample: Sample) =>
  JSON.stringify({ ...sample, timestamp: undefined, dimensions: Object.entries(sample.dimensions).sort() });

const METRICS = (namespace: string) => `defaults: { namespace: ${namespace}, dimensions: { Service: api } }
metrics:
  - { name: QueueDepth, unit: Count, schedule: "* * * * * *", source: { type: constant, value: 42 } }
  - { name: Latency, unit: Milliseconds, storageResolution: 1, schedule: "* * * * * *", scale: 1000, source: { type: constant, value: 0.0125 } }
  - { name: Free, unit: Percent, schedule: "* * * * * *", dimensions: { Host: web-1, Mount: / }, source: { type: env, variable: FREE } }
  - { name: Bare, schedule: "* * * * * *", dimensions: {}, source: { type: constant, value: -3.5e-7 } }
  - { name: Other, namespace: ${namespace}/Second, schedule: "* * * * * *", source: { type: constant, value: 7 } }
`;

describe("output: emf to stdout", () => {
  it("writes only spec-valid EMF on stdout, equal to what PutMetricData sends for the same config; no request; logs on stderr", async () => {
    const cw = writeConfig("cw.yaml", METRICS("E2E/Emf"));
    const emf = writeConfig("emf.yaml", `output: { type: emf, path: stdout }\n${METRICS("E2E/Emf")}`);
    const runFor = (config: string) => startCli(["run", "--config", config], env({ FREE: "61.5" }));
    const viaCloudWatch = runFor(cw);
    await waitFor(() => fake().datums.length >= 15, "3 ticks of 5 metrics at the fake");
    assert.equal((await viaCloudWatch.stop()).code, 0);
    const sent: Sample[] = fake().datums.map((d) => ({ ...d, dimensions: { ...d.dimensions } }));
    const received = fake().received;

    const viaEmf = runFor(emf);
    await waitFor(() => parseEmfLines(viaEmf.stdout()).length >= 6, "3 ticks of EMF documents");
    assert.equal((await viaEmf.stop()).code, 0);
    assert.equal(fake().received, received, "no request reached CloudWatch in EMF mode");

    const documents = parseEmfLines(viaEmf.stdout()); // throws on any line that breaks the specification
    const written = samplesOf(documents);
    assert.deepEqual([...new Set(written.map(key))].sort(), [...new Set(sent.map(key))].sort());
    for (const sample of [...written, ...sent])
      assert.equal(sample.timestamp % 1000, 0, "the scheduled instant");
    // One document per namespace, dimension set and instant: 3 a tick here (Bare keeps the default Service).
    const perTick = new Map<number, number>();
    for (const doc of documents) {
      const t = (doc._aws as { Timestamp: number }).Timestamp;
      perTick.set(t, (perTick.get(t) ?? 0) + 1);
    }
    assert.ok(
      [...perTick.values()].every((n) => n === 3),
      JSON.stringify([...perTick]),
    );

    const logs = jsonLines(viaEmf.stderr());
    assert.ok(logs.length >= 3, "the logs are on stderr");
    assert.ok(logs.every((l) => typeof l.level === "string" && typeof l.message === "string"));
    const started = logs.find((l) => l.message === "cloudwatch-publisher run started")!;
    assert.equal(started.output, "emf stdout");
    const stopped = logs.find((l) => l.message === "stopped")!;
    assert.equal(stopped.published, stopped.collected, "every datum collected was written");
    assert.equal(stopped.published, written.length);
  });

  it("needs no AWS credentials or region at all", async () => {
    const config = writeConfig(
      "emf-alone.yaml",
      `output: { type: emf, path: stdout }\n${METRICS("E2E/Alone")}`,
    );
    const r = await runCli(["once", "--config", config], { env: { PATH: process.env.PATH!, FREE: "1" } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(samplesOf(parseEmfLines(r.stdout)).length, 5);
  });
});

describe("output: emf to a file", () => {
  it("appends to the file, one document a line, after what it held", async () => {
    const file = join(dir, "metrics.emf");
    writeFileSync(file, '{"earlier":"line"}\n');
    const config = writeConfig(
      "emf-file.yaml",
      `output: { type: emf, path: ${file} }\n${METRICS("E2E/File")}`,
    );
    const r = await runCli(["once", "--config", config], { env: env({ FREE: "2" }) });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      jsonLines(r.stdout).some((l) => l.message === "cloudwatch-publisher once started"),
      "logs stay on stdout",
    );
    const [first, ...rest] = readFileSync(file, "utf8").split("\n");
    assert.equal(first, '{"earlier":"line"}');
    assert.equal(samplesOf(parseEmfLines(rest.join("\n"))).length, 5);
    appendFileSync(file, ""); // the file stays ours to append to
  });

  it("a write that fails (/dev/full) keeps the datums, logs why, turns /readyz not ready, and once exits 3", async () => {
    const config = writeConfig(
      "emf-full.yaml",
      `output: { type: emf, path: /dev/full }\n${METRICS("E2E/Full")}`,
    );
    const once = await runCli(["once", "--config", config], { env: env({ FREE: "3" }) });
    assert.equal(once.code, 3, once.stdout);
    assert.match(once.stdout, /writing EMF to \/dev\/full failed \(ENOSPC/);
    assert.match(once.stdout, /"EMF write for namespace \\"E2E\/Full\\" failed \(/, "named as what it is");
    assert.doesNotMatch(
      once.stdout,
      /PutMetricData|CloudWatch rejected/,
      "no request to CloudWatch was made",
    );

    const port = await freePort();
    const daemon = writeConfig(
      "emf-full-run.yaml",
      `output: { type: emf, path: /dev/full }
health: { port: ${port}, maxUndeliveredAge: 1s }
delivery: { retryBaseDelay: 200ms, retryMaxDelay: 500ms }
metrics:
  - { name: Tick, namespace: E2E/Full, schedule: "* * * * * *", runOnStart: true, source: { type: constant, value: 1 } }
`,
    );
    const cli = startCli(["run", "--config", daemon], env());
    await cli.waitForLine(/health endpoint listening/);
    await cli.waitForLine(/writing EMF to \/dev\/full failed \(ENOSPC/);
    await sleep(2_500);
    assert.equal((await probe(port, "/healthz")).status, 200, "alive");
    const ready = await probe(port, "/readyz");
    assert.equal(ready.status, 503);
    assert.match(String((ready.body.reasons as string[])[0]), /^the oldest undelivered datum is \d+ s old/);
    assert.equal((await cli.stop()).code, 0);
    const stopped = jsonLines(cli.stdout()).find((l) => l.message === "stopped")!;
    assert.equal(stopped.published, 0);
    assert.equal(
      (stopped.dropped as Record<string, number>).shutdown,
      stopped.collected,
      "counted as lost, not dropped silently",
    );
  });
});

describe("output: emf in validate-config and iam-policy", () => {
  it("validate-config refuses, located, the names EMF cannot carry", async () => {
    const config = writeConfig(
      "emf-names.yaml",
      `output: { type: emf, path: stdout }
defaults: { namespace: E2E/Names }
metrics:
  - { name: _aws, source: { type: constant, value: 1 } }
  - { name: Host, dimensions: { Host: a }, source: { type: constant, value: 1 } }
  - { name: Fine, dimensions: { Host: a }, source: { type: constant, value: 1 } }
`,
    );
    const r = await runCli(["validate-config", config]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      `${config}:4:13: metrics[0].name: is named "_aws", the key EMF keeps for its metadata; it cannot be written with output: emf
${config}:5:13: metrics[1].name: has a dimension of its own name ("Host"); in EMF both would be the same member of the document; it cannot be written with output: emf
${config}: invalid (2 errors)
`,
    );
    const path = writeConfig("emf-path.yaml", `output: { type: emf, path: relative.log }\nmetrics: []\n`);
    const bad = await runCli(["validate-config", path]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /output/);
  });

  it("validate-config refuses, located, an aggregate as statistics, which EMF cannot carry", async () => {
    const config = writeConfig(
      "emf-statistics.yaml",
      `output: { type: emf, path: stdout }
defaults: { namespace: E2E/Stats, schedule: "* * * * * *", storageResolution: 1 }
metrics:
  - { name: Sets, aggregate: { period: 10s, as: statistics }, source: { type: constant, value: 1 } }
  - { name: Values, aggregate: { period: 10s, as: values }, source: { type: constant, value: 1 } }
`,
    );
    const r = await runCli(["validate-config", config]);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /:4:\d+: metrics\[0\]\.aggregate\.as: aggregate as "statistics" cannot be written with output: emf/,
    );
    assert.doesNotMatch(r.stdout, /metrics\[1\]/);
    assert.match(r.stdout, /invalid \(1 error\)/);
  });

  it("a file target in a folder that does not exist stops the start with one line, exit 2", async () => {
    const config = writeConfig(
      "emf-nofolder.yaml",
      `output: { type: emf, path: /nonexistent-cwp-folder/metrics.emf }\n${METRICS("E2E/NoFolder")}`,
    );
    const r = await runCli(["once", "--config", config]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /output\.path: the folder \/nonexistent-cwp-folder does not exist/);
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, "no stack trace");
  });

  it("iam-policy says no CloudWatch permission is needed, and prints no policy", async () => {
    const config = writeConfig("emf-iam.yaml", `output: { type: emf, path: stdout }\n${METRICS("E2E/Iam")}`);
    const r = await runCli(["iam-policy", "--config", config]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /no CloudWatch permission is needed/);
    assert.match(r.stderr, /logs:PutLogEvents/);
  });
});
