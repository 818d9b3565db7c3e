/** The health endpoint and the healthcheck command against a running publisher, and iam-policy. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cleanEnv, runCli, startCli } from "../support/cli.js";
import { FakeCloudWatch } from "../support/fake-cloudwatch.js";
import { freePort, probe } from "../support/http.js";

const dir = mkdtempSync(join(tmpdir(), "cwp-health-"));
let fake: FakeCloudWatch;
before(async () => (fake = await FakeCloudWatch.start()));
after(() => fake.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("health", () => {
  it("/healthz stays 200 through an outage while /readyz turns 503 and back; healthcheck agrees", async () => {
    const port = await freePort();
    const healthFile = join(dir, "status.json");
    const config = join(dir, "health.yaml");
    writeFileSync(
      config,
      `health: { port: ${port}, maxUndeliveredAge: 1500ms }
delivery: { retryBaseDelay: 200ms, retryMaxDelay: 500ms, requestTimeout: 500ms }
metrics:
  - { name: Tick, namespace: Health/Test, schedule: "* * * * * *", runOnStart: true, source: { type: constant, value: 1 } }
`,
    );
    const env = cleanEnv({ ...fake.env(), LOG_FORMAT: "json", HEALTH_FILE: healthFile });
    const cli = startCli(["run", "--config", config], env);
    await cli.waitForLine(/health endpoint listening/);
    await fake.waitForDatums(1);
    assert.equal((await probe(port, "/healthz")).status, 200);
    const ready = await probe(port, "/readyz");
    assert.equal(ready.status, 200);
    assert.equal(ready.body.ready, true);
    assert.equal(typeof (ready.body.counters as Record<string, unknown>).published, "number");
    assert.equal((await runCli(["healthcheck"], { env })).code, 0);

    await fake.refuseConnections();
    await sleep(3_000);
    assert.equal((await probe(port, "/healthz")).status, 200, "alive while CloudWatch is unreachable");
    const notReady = await probe(port, "/readyz");
    assert.equal(notReady.status, 503);
    assert.match(
      String((notReady.body.reasons as string[])[0]),
      /^the oldest undelivered datum is \d+ s old \(limit 2 s\)$/,
    );
    await sleep(5_500); // the status file is rewritten every 5 s
    const unhealthy = await runCli(["healthcheck"], { env });
    assert.equal(unhealthy.code, 1);
    assert.match(unhealthy.stdout, /^unhealthy: the oldest undelivered datum/);
    assert.equal((await runCli(["healthcheck", "--live"], { env })).code, 0);

    await fake.resume();
    await sleep(2_000);
    assert.equal((await probe(port, "/readyz")).status, 200, "ready again once delivery recovers");
    const { code } = await cli.stop();
    assert.equal(code, 0);
    assert.equal(
      (await probe(port, "/nope").catch(() => ({ status: 0 }))).status,
      0,
      "the endpoint closed on exit",
    );
  });

  it("healthcheck is unhealthy when nothing runs", async () => {
    const r = await runCli(["healthcheck"], { env: cleanEnv({ HEALTH_FILE: join(dir, "missing.json") }) });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^unhealthy: no status at .*missing\.json .*is cloudwatch-publisher running\?\n$/);
  });
});

describe("iam-policy", () => {
  it("limits PutMetricData to the config's namespaces", async () => {
    const config = join(dir, "iam.yaml");
    writeFileSync(
      config,
      `defaults: { namespace: Shop }\nmetrics:\n  - { name: A, source: { type: constant, value: 1 } }\n  - { name: B, namespace: Shop/Jobs, source: { type: constant, value: 1 } }\n`,
    );
    const r = await runCli(["iam-policy", "--config", config]);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "PublishCloudWatchMetrics",
          Effect: "Allow",
          Action: "cloudwatch:PutMetricData",
          Resource: "*",
          Condition: { StringEquals: { "cloudwatch:namespace": ["Shop", "Shop/Jobs"] } },
        },
      ],
    });
  });
  it("uses heartbeat mode's namespace when there is no file", async () => {
    const r = await runCli(["iam-policy"], { env: cleanEnv({ METRIC_NAMESPACE: "Fleet" }) });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /"cloudwatch:namespace": \[\s+"Fleet"\s+\]/);
  });
  it("exits 1 with the errors for an invalid config", async () => {
    const r = await runCli(["iam-policy"], { env: cleanEnv({ METRIC_UNIT: "Parsecs" }) });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^environment: METRIC_UNIT: must be one of/);
  });
});
