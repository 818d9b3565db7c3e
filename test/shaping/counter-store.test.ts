import { execFileSync } from "node:child_process";
import assert from "node:assert/strict";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import {
  MAX_BASELINE_AGE_MS,
  counterStatePath,
  loadCounterState,
  saveCounterState,
} from "../../src/shaping/counter-store.js";
import { applyTransform, type TransformState } from "../../src/shaping/transform.js";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe("counter store", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "cwp-counters-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("restart: the first read after a load publishes the increase since the last saved read", () => {
    // Before the restart: 100 → 140, saved.
    const before: TransformState = {};
    applyTransform(before, "k", "delta", 100, T0);
    const published = [applyTransform(before, "k", "delta", 140, T0 + 60_000)];
    assert.deepEqual(saveCounterState(dir, before, T0 + 60_000), { ok: true });
    // After it: 175, 190. The counter went 100 → 190, so the deltas must sum to 90 exactly.
    const loaded = loadCounterState(dir, T0 + 150_000);
    assert.equal(loaded.problem, undefined);
    assert.equal(loaded.expired, 0);
    published.push(applyTransform(loaded.state, "k", "delta", 175, T0 + 180_000));
    published.push(applyTransform(loaded.state, "k", "delta", 190, T0 + 240_000));
    const values = published.map((o) => (o.kind === "value" ? o.value : NaN));
    assert.deepEqual(values, [40, 35, 15]);
    assert.equal(
      values.reduce((a, b) => a + b, 0),
      190 - 100,
    );
  });

  it("a file-less start (no outbox directory saved yet) only sets the baseline", () => {
    const loaded = loadCounterState(dir, T0);
    assert.deepEqual({ ...loaded.state }, {});
    assert.equal(loaded.problem, undefined);
    assert.deepEqual(applyTransform(loaded.state, "k", "delta", 5, T0), { kind: "baseline" });
  });

  it("a baseline older than MAX_BASELINE_AGE_MS is not used, and counted", () => {
    const state: TransformState = {
      old: { value: 1, scheduledAt: T0 },
      young: { value: 2, scheduledAt: T0 + 1000 },
    };
    saveCounterState(dir, state, T0 + 1000);
    const loaded = loadCounterState(dir, T0 + MAX_BASELINE_AGE_MS + 1);
    assert.deepEqual(Object.keys(loaded.state), ["young"]);
    assert.equal(loaded.expired, 1);
    // Exactly at the limit the baseline is still used.
    assert.deepEqual(Object.keys(loadCounterState(dir, T0 + MAX_BASELINE_AGE_MS).state).sort(), [
      "old",
      "young",
    ]);
  });

  const corrupt: [string, string, RegExp][] = [
    ["truncated JSON", '{"version":1,"savedAt":', /not valid JSON/],
    [
      "another version",
      '{"version":9,"savedAt":1,"baselines":{}}',
      /version 9; this publisher reads version 1/,
    ],
    ["an array", "[]", /not a JSON object/],
    [
      "a bad baseline",
      '{"version":1,"savedAt":1,"baselines":{"k":{"value":"x","scheduledAt":1}}}',
      /baseline of k/,
    ],
  ];
  for (const [what, text, reason] of corrupt) {
    it(`a corrupt file (${what}) means a fresh start with the reason returned`, () => {
      writeFileSync(counterStatePath(dir), text);
      const loaded = loadCounterState(dir, T0);
      assert.deepEqual({ ...loaded.state }, {});
      assert.match(loaded.problem ?? "", reason);
      assert.match(loaded.problem ?? "", /counters start from a new baseline/);
    });
  }

  it(
    "an unreadable file is a reason, not a throw",
    { skip: process.getuid?.() === 0 ? "root reads anything" : false },
    () => {
      writeFileSync(counterStatePath(dir), "{}");
      chmodSync(counterStatePath(dir), 0o000);
      assert.match(loadCounterState(dir, T0).problem ?? "", /cannot read/);
    },
  );

  it("a directory where the file should be is a reason, not a throw", () => {
    mkdirSync(counterStatePath(dir));
    assert.match(
      loadCounterState(dir, T0).problem ?? "",
      /is not a regular file; counters start from a new baseline$/,
    );
  });

  it("a named pipe where the file should be is a reason, never a blocked read", () => {
    const fifoDir = mkdtempSync(join(tmpdir(), "cwp-counters-fifo-"));
    execFileSync("mkfifo", [counterStatePath(fifoDir)]);
    assert.match(loadCounterState(fifoDir, T0).problem ?? "", /is not a regular file/);
  });

  it("writes atomically: 0600 file, no temporary file left, the directory created 0700", () => {
    const outbox = join(dir, "outbox");
    assert.deepEqual(saveCounterState(outbox, { k: { value: 1, scheduledAt: T0 } }, T0), { ok: true });
    assert.deepEqual(saveCounterState(outbox, { k: { value: 2, scheduledAt: T0 + 1 } }, T0 + 1), {
      ok: true,
    });
    assert.deepEqual(readdirSync(outbox), ["counter-baselines.json"]);
    assert.equal(statSync(outbox).mode & 0o777, 0o700);
    assert.equal(statSync(counterStatePath(outbox)).mode & 0o777, 0o600);
    const saved = JSON.parse(readFileSync(counterStatePath(outbox), "utf8")) as unknown;
    assert.deepEqual(saved, {
      version: 1,
      savedAt: T0 + 1,
      baselines: { k: { value: 2, scheduledAt: T0 + 1 } },
    });
  });

  it("a failed save is returned as a value", () => {
    writeFileSync(join(dir, "file"), "");
    const result = saveCounterState(join(dir, "file", "sub"), {}, T0);
    assert.equal(result.ok, false);
    assert.match(result.error.message, /cannot write/);
  });
});
