/**
 * Every default the schema's descriptions state (`Default "10s"`, `Default 60`, `Default true`) is the
 * one the code applies: the constant, and the value a minimal config is built with.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDurationMs } from "../../src/config/duration.js";
import { DEFAULT_HISTOGRAM_VALUE } from "../../src/config/prometheus-options.js";
import { configSchema } from "../../src/config/schema.js";
import * as types from "../../src/config/types.js";
import { validateDocument } from "../../src/config/validate.js";

/** `Default "..."`, or `Default <word>` (a number, true, false, a unit, a zone), trailing punctuation dropped. */
const STATED = /\bDefault ("[^"]*"|[^\s:;,]+?)[.,;:]?(?:\s|$)/;

function statedDefaults(node: unknown, name: string, out: Map<string, string>): void {
  if (typeof node !== "object" || node === null) return;
  if (Array.isArray(node)) {
    for (const child of node) statedDefaults(child, name, out);
    return;
  }
  const record = node as Record<string, unknown>;
  const match = typeof record.description === "string" ? STATED.exec(record.description) : null;
  if (match !== null) out.set(name, match[1]!.replace(/^"|"$/g, ""));
  for (const [key, child] of Object.entries(record))
    statedDefaults(child, key === "properties" || key === "$defs" || key === "oneOf" ? name : key, out);
}

const text = (value: unknown) => String(value);

// Each stated default: the constant the code uses, and where a minimal config's built value is.
const minimal = validateDocument(
  { metrics: [{ name: "M", namespace: "N", source: { type: "file", path: "/x" } }] },
  "test",
);
assert.ok(minimal.ok);
const metric = minimal.config.metrics[0]!;
const { delivery, health } = minimal.config;
const source = metric.source.type === "file" ? metric.source : undefined;
const aggregated = validateDocument(
  {
    metrics: [
      {
        name: "M",
        namespace: "N",
        schedule: "*/30 * * * * *",
        aggregate: { period: "1m" },
        source: { type: "file", path: "/x" },
      },
    ],
  },
  "test",
);
assert.ok(aggregated.ok);
const scraped = validateDocument(
  {
    metrics: [
      {
        name: "M",
        namespace: "N",
        source: { type: "prometheus", url: "http://127.0.0.1/metrics", metric: "up" },
      },
    ],
  },
  "test",
);
assert.ok(scraped.ok);
const prometheus = scraped.config.metrics[0]!.source;
assert.ok(prometheus.type === "prometheus");
const CODE: Record<string, { constant: unknown; built: unknown }> = {
  schedule: { constant: types.DEFAULT_SCHEDULE, built: metric.schedule },
  timezone: { constant: types.DEFAULT_TIMEZONE, built: metric.timezone },
  unit: { constant: types.DEFAULT_UNIT, built: metric.unit },
  storageResolution: { constant: types.DEFAULT_STORAGE_RESOLUTION, built: metric.storageResolution },
  timeout: { constant: types.DEFAULT_TIMEOUT, built: metric.timeoutMs },
  runOnStart: { constant: types.DEFAULT_RUN_ON_START, built: metric.runOnStart },
  scale: { constant: types.DEFAULT_SCALE, built: metric.scale },
  transform: { constant: types.DEFAULT_TRANSFORM, built: metric.transform },
  as: { constant: types.DEFAULT_AGGREGATE_MODE, built: aggregated.config.metrics[0]!.aggregate?.mode },
  allowSpecialFile: { constant: types.DEFAULT_ALLOW_SPECIAL_FILE, built: source?.allowSpecialFile },
  maxBufferedDatums: { constant: types.DEFAULT_MAX_BUFFERED_DATUMS, built: delivery.maxBufferedDatums },
  fsync: { constant: types.DEFAULT_FSYNC, built: delivery.fsync },
  retryBaseDelay: { constant: types.DEFAULT_RETRY_BASE_DELAY, built: delivery.retryBaseDelayMs },
  retryMaxDelay: { constant: types.DEFAULT_RETRY_MAX_DELAY, built: delivery.retryMaxDelayMs },
  requestTimeout: { constant: types.DEFAULT_REQUEST_TIMEOUT, built: delivery.requestTimeoutMs },
  entity: { constant: types.DEFAULT_ENTITY, built: minimal.config.entity },
  maxUndeliveredAge: { constant: types.DEFAULT_MAX_UNDELIVERED_AGE, built: health.maxUndeliveredAgeMs },
  histogram: { constant: DEFAULT_HISTOGRAM_VALUE, built: prometheus.histogram },
};

describe("the schema's stated defaults", () => {
  const stated = new Map<string, string>();
  statedDefaults(configSchema(), "(root)", stated);

  it("are found: every default the code applies is stated in the schema, and no other", () => {
    assert.deepEqual([...stated.keys()].sort(), Object.keys(CODE).sort());
  });

  for (const [name, value] of stated) {
    it(`${name}: "${value}" is the constant the code uses and the value a config is built with`, () => {
      const code = CODE[name]!;
      assert.equal(text(code.constant), value, `the constant for ${name}`);
      const duration = parseDurationMs(value);
      const expected = typeof code.built === "number" && duration !== undefined ? duration : value;
      assert.equal(text(code.built), text(expected), `the built value of ${name}`);
    });
  }
});
