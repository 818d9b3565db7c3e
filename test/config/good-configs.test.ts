/** Every example in config/ must stay valid, and loading must apply every documented default. */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { formatConfigError } from "../../src/config/issue.js";
import { loadConfigFile, loadConfigText } from "../../src/config/load.js";
import { REPO_ROOT } from "../support/cli.js";

const CONFIG_DIR = join(REPO_ROOT, "config");

describe("the examples in config/", () => {
  const files = readdirSync(CONFIG_DIR).filter((f) => /\.ya?ml$/.test(f));
  it("include example.yaml and a minimal file", () => {
    assert.ok(files.includes("example.yaml"));
    assert.ok(files.includes("minimal.yaml"));
  });
  /** What a file's header says must be set; every other file loads with an empty environment. */
  const NEEDS: Record<string, Record<string, string>> = {
    "system.yaml": { INSTANCE_ID: "i-0123456789abcdef0" },
    "prometheus.yaml": { METRICS_URL: "http://127.0.0.1:9090/metrics" },
  };
  for (const file of files) {
    it(`${file} is valid with ${NEEDS[file] ? Object.keys(NEEDS[file]).join(", ") + " set" : "an empty environment"}`, async () => {
      const result = await loadConfigFile(join(CONFIG_DIR, file), NEEDS[file] ?? {});
      assert.ok(result.ok, result.ok ? "" : result.errors.map(formatConfigError).join("\n"));
    });
  }
  it("system.yaml fails loudly without INSTANCE_ID, naming it", async () => {
    const result = await loadConfigFile(join(CONFIG_DIR, "system.yaml"), {});
    assert.ok(!result.ok);
    assert.match(
      result.errors.map(formatConfigError).join("\n"),
      /environment variable INSTANCE_ID is not set/,
    );
  });
  it("prometheus.yaml fails loudly without METRICS_URL, naming it", async () => {
    const result = await loadConfigFile(join(CONFIG_DIR, "prometheus.yaml"), {});
    assert.ok(!result.ok);
    assert.match(
      result.errors.map(formatConfigError).join("\n"),
      /environment variable METRICS_URL is not set/,
    );
  });
  it("example.yaml uses every source type", async () => {
    const result = await loadConfigFile(join(CONFIG_DIR, "example.yaml"), {});
    assert.ok(result.ok);
    const types = new Set(result.config.metrics.map((m) => m.source.type));
    assert.deepEqual([...types].sort(), [
      "command",
      "constant",
      "env",
      "file",
      "http",
      "prometheus",
      "system",
    ]);
  });
});

describe("loading a valid config", () => {
  it("applies the documented defaults", () => {
    const result = loadConfigText(
      "metrics:\n  - name: A\n    namespace: N\n    source: { type: constant, value: 1 }\n",
      "c.yaml",
      {},
    );
    assert.ok(result.ok);
    assert.deepEqual(result.config.metrics[0], {
      index: 0,
      name: "A",
      namespace: "N",
      schedule: "* * * * *",
      timezone: "UTC",
      unit: "None",
      storageResolution: 60,
      timeoutMs: 10_000,
      dimensions: {},
      scale: 1,
      transform: "none",
      aggregate: undefined,
      rollups: [],
      runOnStart: false,
      source: { type: "constant", value: 1 },
    });
  });

  it("lets a metric override defaults and merges dimensions, the metric's winning", () => {
    const yaml = `defaults:
  namespace: D
  schedule: "*/5 * * * *"
  timezone: Europe/Berlin
  unit: Count
  storageResolution: 1
  timeout: 500ms
  dimensions: { Env: prod, Host: a }
metrics:
  - name: A
    namespace: M
    unit: Seconds
    timeout: 2m
    dimensions: { Host: b, Role: web }
    scale: 0.001
    source: { type: http, url: "http://x/y", jsonPath: $.a }
  - name: B
    source: { type: command, command: [echo, "1"] }
`;
    const result = loadConfigText(yaml, "c.yaml", {});
    assert.ok(result.ok, result.ok ? "" : result.errors.map(formatConfigError).join("\n"));
    const [a, b] = result.config.metrics;
    assert.equal(a!.namespace, "M");
    assert.equal(a!.unit, "Seconds");
    assert.equal(a!.timeoutMs, 120_000);
    assert.equal(a!.schedule, "*/5 * * * *");
    assert.equal(a!.timezone, "Europe/Berlin");
    assert.equal(a!.storageResolution, 1);
    assert.equal(a!.scale, 0.001);
    assert.deepEqual(a!.dimensions, { Env: "prod", Host: "b", Role: "web" });
    assert.deepEqual(a!.source, { type: "http", url: "http://x/y", jsonPath: "$.a", headers: {} });
    assert.equal(b!.namespace, "D");
    assert.equal(b!.timeoutMs, 500);
    assert.deepEqual(b!.dimensions, { Env: "prod", Host: "a" });
  });

  it("applies the delivery defaults, and takes the settings given", () => {
    const metric = "metrics:\n  - { name: A, namespace: N, source: { type: constant, value: 1 } }\n";
    const plain = loadConfigText(metric, "c", {});
    assert.ok(plain.ok);
    assert.deepEqual(plain.config.delivery, {
      outboxDir: undefined,
      maxBufferedDatums: 100_000,
      fsync: true,
      retryBaseDelayMs: 1000,
      retryMaxDelayMs: 300_000,
      requestTimeoutMs: 10_000,
    });
    const set = loadConfigText(
      `delivery: { outboxDir: /var/lib/x, maxBufferedDatums: 50, fsync: false, retryBaseDelay: 2s, retryMaxDelay: 1m, requestTimeout: 3s }\n${metric}`,
      "c",
      {},
    );
    assert.ok(set.ok);
    assert.deepEqual(set.config.delivery, {
      outboxDir: "/var/lib/x",
      maxBufferedDatums: 50,
      fsync: false,
      retryBaseDelayMs: 2000,
      retryMaxDelayMs: 60_000,
      requestTimeoutMs: 3000,
    });
  });

  it("returns a frozen config", () => {
    const result = loadConfigText(
      "metrics:\n  - {name: A, namespace: N, source: {type: env, variable: X}}\n",
      "c",
      {},
    );
    assert.ok(result.ok);
    assert.ok(Object.isFrozen(result.config));
    assert.ok(Object.isFrozen(result.config.metrics));
    assert.ok(Object.isFrozen(result.config.metrics[0]));
    assert.ok(Object.isFrozen(result.config.metrics[0]!.dimensions));
  });

  it("substitutes variables, typing unquoted results and keeping quoted ones strings", () => {
    const yaml = `defaults:
  namespace: \${NS}
  storageResolution: \${RES:-1}
  dimensions: { Port: "\${PORT}", Host: "\${HOST:-fallback}", Literal: "$\${NOT_A_VAR}" }
metrics:
  - name: \${PREFIX-pre}.count
    source:
      type: constant
      value: \${VALUE}
`;
    const result = loadConfigText(yaml, "c.yaml", { NS: "Shop", PORT: "8080", VALUE: "2.5", HOST: "" });
    assert.ok(result.ok, result.ok ? "" : result.errors.map(formatConfigError).join("\n"));
    const metric = result.config.metrics[0]!;
    assert.equal(metric.namespace, "Shop");
    assert.equal(metric.storageResolution, 1);
    assert.equal(metric.name, "pre.count");
    assert.deepEqual(metric.dimensions, { Port: "8080", Host: "fallback", Literal: "${NOT_A_VAR}" });
    assert.deepEqual(metric.source, { type: "constant", value: 2.5 });
  });

  it("keeps an unquoted ${VAR} text where the schema wants text: example.yaml with HOSTNAME=007", async () => {
    const result = await loadConfigFile(join(REPO_ROOT, "config/example.yaml"), {
      HOSTNAME: "007",
      ENVIRONMENT: "1e3",
      OUTBOX_DIR: "123",
    });
    assert.ok(result.ok, result.ok ? "" : result.errors.map(formatConfigError).join("\n"));
    assert.deepEqual(result.config.metrics[0]!.dimensions, { Environment: "1e3", Host: "007" });
    assert.equal(result.config.delivery.outboxDir, "123");
  });

  it("types an unquoted ${VAR} as the number or boolean the schema wants, and a quoted one never", () => {
    const yaml = `defaults:
  namespace: \${NAME}
  runOnStart: \${START}
metrics:
  - name: \${NAME}
    scale: \${SCALE}
    dimensions:
      Count: \${SCALE}
      Quoted: "\${SCALE}"
    source:
      type: command
      command:
        - echo
        - \${SCALE}
`;
    const result = loadConfigText(yaml, "c.yaml", { NAME: "42", START: "true", SCALE: "0.5" });
    assert.ok(result.ok, result.ok ? "" : result.errors.map(formatConfigError).join("\n"));
    const metric = result.config.metrics[0]!;
    assert.equal(metric.name, "42");
    assert.equal(metric.namespace, "42");
    assert.equal(metric.runOnStart, true);
    assert.equal(metric.scale, 0.5);
    assert.deepEqual(metric.dimensions, { Count: "0.5", Quoted: "0.5" });
    assert.deepEqual(metric.source, { type: "command", command: ["echo", "0.5"] });
    const quoted = loadConfigText(
      'metrics: [{ name: A, namespace: N, scale: "${SCALE}", source: { type: constant, value: 1 } }]',
      "c.yaml",
      { SCALE: "2" },
    );
    assert.ok(!quoted.ok, "a quoted number stays a string");
  });

  it("treats the same series on different schedules as distinct", () => {
    const yaml = `metrics:
  - { name: A, namespace: N, source: { type: constant, value: 1 } }
  - { name: A, namespace: N, schedule: "@hourly", source: { type: constant, value: 1 } }
  - { name: A, namespace: N, dimensions: { X: y }, source: { type: constant, value: 1 } }
`;
    assert.ok(loadConfigText(yaml, "c", {}).ok);
  });
});
