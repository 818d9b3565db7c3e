import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { scheduleVolume } from "../../src/shaping/schedule-volume.js";

const JAN_1 = new Date(Date.UTC(2026, 0, 1)); // a Thursday; no DST in UTC

describe("scheduleVolume (a 30-day month)", () => {
  const cases: [string, string, { reads: number; activeMinutes: number; activeHours: number }][] = [
    // 30 × 24 × 60 = 43,200 minutes; 30 × 24 = 720 hours.
    ["* * * * *", "UTC", { reads: 43_200, activeMinutes: 43_200, activeHours: 720 }],
    ["*/5 * * * *", "UTC", { reads: 8_640, activeMinutes: 8_640, activeHours: 720 }],
    ["* * * * * *", "UTC", { reads: 2_592_000, activeMinutes: 43_200, activeHours: 720 }],
    ["*/15 * * * * *", "UTC", { reads: 172_800, activeMinutes: 43_200, activeHours: 720 }],
    ["@hourly", "UTC", { reads: 720, activeMinutes: 720, activeHours: 720 }],
    ["0 3 * * *", "UTC", { reads: 30, activeMinutes: 30, activeHours: 30 }],
    // Jan 1-30 2026 hold 22 weekdays; 9 reads each (09:00 to 17:00).
    ["0 9-17 * * 1-5", "UTC", { reads: 198, activeMinutes: 198, activeHours: 198 }],
    // Half an hour off UTC: every hour of UTC is walked minute by minute, same totals.
    ["* * * * *", "Asia/Kolkata", { reads: 43_200, activeMinutes: 43_200, activeHours: 720 }],
    ["*/30 * * * * *", "Asia/Kolkata", { reads: 86_400, activeMinutes: 43_200, activeHours: 720 }],
    ["0 * * * *", "Asia/Kolkata", { reads: 720, activeMinutes: 720, activeHours: 720 }],
  ];
  for (const [schedule, timezone, expected] of cases) {
    it(`${schedule} in ${timezone}`, () => {
      const v = scheduleVolume(schedule, { timezone, from: JAN_1 });
      assert.deepEqual(
        { reads: v.reads, activeMinutes: v.activeMinutes, activeHours: v.activeHours },
        expected,
      );
      assert.equal(v.periods, v.reads, "without an aggregation period every read is published");
    });
  }

  it("across a change to summer time every real minute still fires once", () => {
    // Europe/Berlin moves its clocks on 2026-03-29 at 01:00 UTC; the month walked holds it.
    const from = new Date(Date.UTC(2026, 2, 15));
    assert.equal(scheduleVolume("* * * * *", { timezone: "Europe/Berlin", from }).reads, 43_200);
    assert.equal(scheduleVolume("0 * * * *", { timezone: "Europe/Berlin", from }).reads, 720);
    assert.equal(scheduleVolume("* * * * * *", { timezone: "Europe/Berlin", from }).reads, 2_592_000);
  });

  it("counts the aggregation periods holding a read", () => {
    const secondly = (periodMs: number): number =>
      scheduleVolume("* * * * * *", { timezone: "UTC", from: JAN_1, periodMs }).periods;
    assert.equal(secondly(60_000), 43_200);
    assert.equal(secondly(10_000), 259_200);
    assert.equal(secondly(3_600_000), 720);
    // Every 5 minutes with 1-minute periods: one read per period.
    assert.equal(
      scheduleVolume("*/5 * * * *", { timezone: "UTC", from: JAN_1, periodMs: 60_000 }).periods,
      8_640,
    );
  });

  it("starts at the hour holding `from` and stops 30 days later", () => {
    const midHour = new Date(JAN_1.getTime() + 30 * 60_000);
    assert.equal(scheduleVolume("* * * * *", { timezone: "UTC", from: midHour }).reads, 43_200);
  });

  it("a schedule that fires once a year, not in the 30 days, is still 30/365 of a read a month", () => {
    const v = scheduleVolume("0 0 1 6 *", { timezone: "UTC", from: JAN_1 });
    for (const n of [v.reads, v.activeMinutes, v.activeHours, v.periods])
      assert.ok(Math.abs(n - 30 / 365) < 1e-12);
  });
});

describe("scheduleVolume of a schedule firing less than daily (averaged over a year)", () => {
  const SHARE = 30 / 365;
  for (const from of [new Date(Date.UTC(2026, 5, 1)), new Date(Date.UTC(2026, 11, 15))]) {
    it(`@yearly is 30/365 of a read a month, whether or not January is in the 30 days from ${from.toISOString().slice(0, 10)}`, () => {
      const v = scheduleVolume("@yearly", { timezone: "UTC", from });
      assert.ok(Math.abs(v.reads - SHARE) < 1e-12, String(v.reads));
      assert.ok(Math.abs(v.activeHours - SHARE) < 1e-12);
    });
  }
  it("@weekly is the year's 52 (or 53) weeks over 365 days, not 4 or 5 by the date", () => {
    const v = scheduleVolume("@weekly", { timezone: "UTC", from: JAN_1 });
    assert.ok(
      [52, 53].some((weeks) => Math.abs(v.reads - weeks * SHARE) < 1e-9),
      String(v.reads),
    );
  });
  it("a daily schedule is still walked over the 30 days", () => {
    assert.equal(scheduleVolume("0 3 * * *", { timezone: "UTC", from: JAN_1 }).reads, 30);
  });
});
