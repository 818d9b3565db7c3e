import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assessHealth, type HealthStatus } from "../../src/health/assess.js";
import { healthyStatus } from "../support/health-status.js";

const NOW = 1_000_000;
const base: HealthStatus = healthyStatus(NOW);

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
    ["scheduler a little late", { schedulerOverdueMs: 30_000 }, true, true, []],
    [
      "scheduler not run when due",
      { schedulerOverdueMs: 95_000 },
      false,
      false,
      ["the scheduler has not run for 95 s after it was due"],
    ],
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
