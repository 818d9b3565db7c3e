import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { heartbeatConfig } from "../../src/config/env.js";
import { formatConfigError } from "../../src/config/issue.js";

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
