import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assessHealth, type HealthStatus } from "../../src/health/assess.js";

const NOW = 1_000_000;
const base: HealthStatus = {
  pid: 1,
  beatAt: NOW - 1_000,
  schedulerRunning: true,
  credentialsFailing: false,
  oldestUndeliveredAgeMs: 0,
  maxUndeliveredAgeMs: 60_000,
  counters: {},
};

describe("assessHealth", () => {
  const cases: [string, Partial<HealthStatus>, boolean, boolean, string[]][] = [
    ["all well", {}, true, true, []],
    ["undelivered within the limit", { oldestUndeliveredAgeMs: 60_000 }, true, true, []],
    [
      "undelivered too long",
      { oldestUndeliveredAgeMs: 61_000 },
      true,
      false,
      ["the oldest undelivered datum is 61 s old (limit 60 s)"],
    ],
    [
      "credentials refused",
      { credentialsFailing: true },
      true,
      false,
      ["CloudWatch refuses the credentials"],
    ],
    ["stale beat", { beatAt: NOW - 31_000 }, false, false, ["no sign of life for 31 s"]],
    ["scheduler stopped", { schedulerRunning: false }, false, false, ["the scheduler is not running"]],
  ];
  for (const [name, change, alive, ready, reasons] of cases) {
    it(name, () =>
      assert.deepEqual(assessHealth({ ...base, ...change }, NOW), {
        alive,
        ready,
        reasons,
        livenessReasons: alive ? [] : reasons,
      }),
    );
  }

  it("speaks of liveness apart: alive while CloudWatch refuses the credentials", () => {
    const verdict = assessHealth({ ...base, credentialsFailing: true, oldestUndeliveredAgeMs: 90_000 }, NOW);
    assert.equal(verdict.alive, true);
    assert.deepEqual(verdict.livenessReasons, []);
    assert.equal(verdict.reasons.length, 2);
  });
});
