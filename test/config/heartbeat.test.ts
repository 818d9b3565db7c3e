import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { heartbeatConfig } from "../../src/config/heartbeat.js";
import { formatConfigError } from "../../src/config/issue.js";
import { loadConfigText } from "../../src/config/load.js";

describe("heartbeat config from the environment", () => {
  it("has the documented defaults and runs on start", () => {
    const result = heartbeatConfig({});
    assert.ok(result.ok);
    const metric = result.config.metrics[0]!;
    assert.equal(result.config.origin, "environment");
    assert.deepEqual(
      { ...metric },
      {
        index: 0,
        name: "Heartbeat",
        namespace: "CloudWatchPublisher",
        schedule: "* * * * *",
        timezone: "UTC",
        unit: "Count",
        storageResolution: 60,
        timeoutMs: 10_000,
        dimensions: {},
        scale: 1,
        transform: "none",
        aggregate: undefined,
        rollups: [],
        runOnStart: true,
        source: { type: "constant", value: 1 },
      },
    );
  });

  it("takes every variable", () => {
    const result = heartbeatConfig({
      METRIC_NAMESPACE: "Shop",
      METRIC_NAME: "Alive",
      METRIC_VALUE: "2.5",
      METRIC_UNIT: "None",
      METRIC_DIMENSIONS: "Service=api, Env=prod,",
      SCHEDULE: "*/5 * * * *",
    });
    assert.ok(result.ok);
    const m = result.config.metrics[0]!;
    assert.deepEqual([m.namespace, m.name, m.unit, m.schedule], ["Shop", "Alive", "None", "*/5 * * * *"]);
    assert.deepEqual(m.dimensions, { Service: "api", Env: "prod" });
    assert.deepEqual(m.source, { type: "constant", value: 2.5 });
  });

  it("treats an empty variable as unset", () => {
    const result = heartbeatConfig({ METRIC_NAME: "", METRIC_UNIT: "" });
    assert.ok(result.ok);
    assert.equal(result.config.metrics[0]!.name, "Heartbeat");
  });

  it("names the variable in every error", () => {
    const result = heartbeatConfig({
      METRIC_NAMESPACE: "AWS/EC2",
      METRIC_VALUE: "one",
      METRIC_UNIT: "Second",
      SCHEDULE: "every minute",
      METRIC_DIMENSIONS: "Host",
    });
    assert.ok(!result.ok);
    assert.deepEqual(result.errors.map(formatConfigError).sort(), [
      'environment: METRIC_DIMENSIONS: entry "Host" is not Key=Value; write Key=Value,Key2=Value2',
      'environment: METRIC_NAMESPACE: must not start with "AWS/" (reserved for AWS services) or ":"; use your own namespace such as "MyApp" (got "AWS/EC2")',
      'environment: METRIC_UNIT: must be one of 27 allowed values (got "Second"); did you mean "Seconds"?',
      'environment: METRIC_VALUE: must be a finite number (got "one")',
      "environment: SCHEDULE: has 2 fields; a cron expression has 5 (minute hour day-of-month month day-of-week) or 6 (second first)",
    ]);
  });
});

describe("OUTBOX_DIR and HEALTH_PORT in both modes", () => {
  const file = `metrics:\n  - { name: A, namespace: N, source: { type: constant, value: 1 } }\n`;
  const env = { OUTBOX_DIR: "/var/lib/cwp", HEALTH_PORT: "8080" };

  it("apply to a config file that does not set delivery.outboxDir or health.port", () => {
    const result = loadConfigText(file, "c.yaml", env);
    assert.ok(result.ok);
    assert.equal(result.config.delivery.outboxDir, "/var/lib/cwp");
    assert.equal(result.config.health.port, 8080);
  });

  it("apply alongside a file's other delivery and health settings", () => {
    const result = loadConfigText(
      `delivery: { fsync: false }\nhealth: { maxUndeliveredAge: 2m }\n${file}`,
      "c.yaml",
      env,
    );
    assert.ok(result.ok);
    assert.equal(result.config.delivery.outboxDir, "/var/lib/cwp");
    assert.equal(result.config.delivery.fsync, false);
    assert.equal(result.config.health.port, 8080);
    assert.equal(result.config.health.maxUndeliveredAgeMs, 120_000);
  });

  it("give way to the file when it sets them", () => {
    const result = loadConfigText(
      `delivery: { outboxDir: /data/outbox }\nhealth: { port: 9090 }\n${file}`,
      "c.yaml",
      env,
    );
    assert.ok(result.ok);
    assert.equal(result.config.delivery.outboxDir, "/data/outbox");
    assert.equal(result.config.health.port, 9090);
  });

  it("count as unset when empty", () => {
    const result = loadConfigText(file, "c.yaml", { OUTBOX_DIR: "", HEALTH_PORT: "" });
    assert.ok(result.ok);
    assert.equal(result.config.delivery.outboxDir, undefined);
    assert.equal(result.config.health.port, undefined);
  });

  it("apply in heartbeat mode too", () => {
    const result = heartbeatConfig(env);
    assert.ok(result.ok);
    assert.equal(result.config.delivery.outboxDir, "/var/lib/cwp");
    assert.equal(result.config.health.port, 8080);
  });

  it("name the variable when its value is wrong, in either mode, beside the file's own errors", () => {
    const bad = { HEALTH_PORT: "http" };
    const fromFile = loadConfigText(
      `metrics:\n  - { name: A, namespace: N, unit: count, source: { type: constant, value: 1 } }\n`,
      "c.yaml",
      bad,
    );
    assert.ok(!fromFile.ok);
    assert.deepEqual(fromFile.errors.map(formatConfigError), [
      'c.yaml:2:36: metrics[0].unit: must be one of 27 allowed values (got "count"); did you mean "Count"?',
      'environment: HEALTH_PORT: must be a whole number (got "http")',
    ]);
    const heartbeat = heartbeatConfig({ HEALTH_PORT: "99999" });
    assert.ok(!heartbeat.ok);
    assert.deepEqual(heartbeat.errors.map(formatConfigError), [
      "environment: HEALTH_PORT: must be <= 65535 (got number 99999)",
    ]);
  });
});
