import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseSchedule, scheduleProblem } from "../../src/config/cron.js";

describe("scheduleProblem", () => {
  const good = [
    "* * * * *",
    "*/10 * * * * *",
    "0 9 * * 1-5",
    "@hourly",
    "@daily",
    "H * * * *",
    " 0 0 * * * ",
  ];
  for (const expression of good) {
    it(`accepts ${JSON.stringify(expression)}`, () =>
      assert.equal(scheduleProblem(expression, "UTC"), undefined));
  }
  const bad: [string, RegExp][] = [
    ["* * * *", /has 4 fields/],
    ["0 0 0 * * * *", /has 7 fields/],
    ["61 * * * *", /not a valid cron expression/],
    ["@often", /unknown shorthand/],
    ["0 0 30 2 *", /not a valid cron expression/],
  ];
  for (const [expression, pattern] of bad) {
    it(`rejects ${JSON.stringify(expression)}`, () =>
      assert.match(scheduleProblem(expression, "UTC") ?? "", pattern));
  }
});

describe("parseSchedule", () => {
  it("reads the expression in the given time zone", () => {
    const from = new Date("2026-01-05T00:00:00Z");
    const next = parseSchedule("0 9 * * *", { timezone: "Europe/Berlin", from }).next().toDate();
    assert.equal(next.toISOString(), "2026-01-05T08:00:00.000Z");
  });
  it("gives H the same value for the same seed and spreads different seeds", () => {
    const from = new Date("2026-01-05T00:00:00Z");
    const minute = (seed: string) =>
      parseSchedule("H * * * *", { timezone: "UTC", from, hashSeed: seed }).next().toDate().getUTCMinutes();
    assert.equal(minute("host-a/metric"), minute("host-a/metric"));
    const spread = new Set(Array.from({ length: 20 }, (_, i) => minute(`host-${i}`)));
    assert.ok(spread.size > 5, `only ${spread.size} distinct minutes`);
  });
});
