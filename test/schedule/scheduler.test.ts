/** The scheduler under fake timers: cron instants, time zones across DST, skip-if-running, runOnStart. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import type { MetricConfig } from "../../src/config/types.js";
import { Scheduler, type ScheduledMetric } from "../../src/schedule/scheduler.js";
import { constantSource } from "../../src/sources/constant.js";
import type { ValueSource } from "../../src/sources/types.js";
import { Stats } from "../../src/pipeline/stats.js";
import { memoryLogger } from "../support/memory-logger.js";

function metric(
  name: string,
  schedule: string,
  source: ValueSource,
  extra: Partial<MetricConfig> = {},
  runOnStart = false,
): ScheduledMetric {
  const config: MetricConfig = {
    index: 0,
    name,
    namespace: "Test",
    schedule,
    timezone: "UTC",
    unit: "None",
    storageResolution: 60,
    timeoutMs: 10_000,
    dimensions: {},
    scale: 1,
    transform: "none",
    aggregate: undefined,
    rollups: [],
    runOnStart,
    source: { type: "constant", value: 1 },
    ...extra,
  };
  return { config, source, runOnStart };
}

interface Seen {
  name: string;
  value: number;
  at: string;
}

/**
 * Under mock timers Date.now() advances only with tick(): it serves as the monotonic clock, and the
 * wall clock is it plus `clock.offset`, which a test changes to make the wall clock jump.
 */
function harness(metrics: ScheduledMetric[]) {
  const seen: Seen[] = [];
  const stats = new Stats();
  const { logger, messages } = memoryLogger();
  const clock = { offset: 0 };
  const scheduler = new Scheduler({
    metrics,
    onValue: (m, value, at) =>
      seen.push({ name: m.config.name, value: value as number, at: new Date(at).toISOString() }),
    logger,
    stats,
    hostSeed: "test-host",
    now: () => Date.now() + clock.offset,
    monotonic: () => Date.now(),
  });
  return { scheduler, seen, stats, messages, clock };
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe("Scheduler", () => {
  beforeEach(() =>
    mock.timers.enable({ apis: ["setTimeout", "Date"], now: new Date("2026-03-27T00:00:30Z") }),
  );
  afterEach(() => mock.timers.reset());

  it("runs a 5-field schedule at each minute, timestamped with the scheduled instant", () => {
    const { scheduler, seen } = harness([metric("A", "* * * * *", constantSource(7))]);
    scheduler.start();
    assert.deepEqual(seen, []);
    mock.timers.tick(29_999);
    assert.deepEqual(seen, []);
    mock.timers.tick(1);
    mock.timers.tick(60_000);
    mock.timers.tick(60_000);
    assert.deepEqual(seen, [
      { name: "A", value: 7, at: "2026-03-27T00:01:00.000Z" },
      { name: "A", value: 7, at: "2026-03-27T00:02:00.000Z" },
      { name: "A", value: 7, at: "2026-03-27T00:03:00.000Z" },
    ]);
  });

  it("runs a 6-field schedule on its seconds", () => {
    const { scheduler, seen } = harness([metric("S", "*/15 * * * * *", constantSource(1))]);
    scheduler.start();
    for (let i = 0; i < 4; i++) mock.timers.tick(15_000);
    assert.deepEqual(
      seen.map((s) => s.at),
      [
        "2026-03-27T00:00:45.000Z",
        "2026-03-27T00:01:00.000Z",
        "2026-03-27T00:01:15.000Z",
        "2026-03-27T00:01:30.000Z",
      ],
    );
  });

  it("keeps local time across a DST change in the metric's zone", () => {
    const { scheduler, seen } = harness([
      metric("Berlin9", "0 9 * * *", constantSource(1), { timezone: "Europe/Berlin" }),
      metric("Utc9", "0 9 * * *", constantSource(1)),
    ]);
    scheduler.start();
    for (let i = 0; i < 4 * 24; i++) mock.timers.tick(3_600_000);
    const berlin = seen.filter((s) => s.name === "Berlin9").map((s) => s.at);
    // Berlin moves from UTC+1 to UTC+2 on 2026-03-29: 09:00 local is 08:00Z, then 07:00Z.
    assert.deepEqual(berlin, [
      "2026-03-27T08:00:00.000Z",
      "2026-03-28T08:00:00.000Z",
      "2026-03-29T07:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
    ]);
    assert.deepEqual(
      seen.filter((s) => s.name === "Utc9").map((s) => s.at.slice(11)),
      ["09:00:00.000Z", "09:00:00.000Z", "09:00:00.000Z", "09:00:00.000Z"],
    );
  });

  it("skips a run while the previous read is still going, with a warning and a count", async () => {
    let release: ((value: number) => void) | undefined;
    let reads = 0;
    const slow: ValueSource = {
      read: () => {
        reads++;
        return new Promise<number>((resolve) => (release = resolve));
      },
    };
    const { scheduler, seen, stats, messages } = harness([metric("Slow", "* * * * * *", slow)]);
    scheduler.start();
    mock.timers.tick(1000); // 00:00:31
    assert.equal(reads, 1);
    mock.timers.tick(1000); // 00:00:32, still reading
    assert.equal(reads, 1);
    assert.equal(stats.skippedRuns, 1);
    assert.ok(
      messages().includes(
        'metric "Slow": previous read still running; skipped the run due at 2026-03-27T00:00:32.000Z',
      ),
    );
    release!(5);
    await flushMicrotasks();
    assert.deepEqual(seen, [{ name: "Slow", value: 5, at: "2026-03-27T00:00:31.000Z" }]);
    mock.timers.tick(1000); // 00:00:33 runs again
    assert.equal(reads, 2);
  });

  it("reads runOnStart metrics at once, then on schedule", () => {
    const { scheduler, seen } = harness([
      metric("Now", "@hourly", constantSource(1), {}, true),
      metric("Later", "@hourly", constantSource(2)),
    ]);
    scheduler.start();
    assert.deepEqual(seen, [{ name: "Now", value: 1, at: "2026-03-27T00:00:30.000Z" }]);
    mock.timers.tick(3_600_000);
    assert.deepEqual(
      seen
        .slice(1)
        .map((s) => s.name)
        .sort(),
      ["Later", "Now"],
    );
  });

  it("counts and logs a failed read without affecting the others", () => {
    const failing: ValueSource = {
      readNow: () => {
        throw new Error("no value today");
      },
      read: () => Promise.reject(new Error("no value today")),
    };
    const { scheduler, seen, stats, messages } = harness([
      metric("Bad", "* * * * *", failing),
      metric("Good", "* * * * *", constantSource(1)),
    ]);
    scheduler.start();
    mock.timers.tick(30_000);
    assert.deepEqual(
      seen.map((s) => s.name),
      ["Good"],
    );
    assert.equal(stats.readFailures, 1);
    assert.ok(messages().includes('metric "Bad": no value today'));
  });

  it("aborts a read at the metric's timeout", async () => {
    let aborted = false;
    const hanging: ValueSource = {
      read: (signal) =>
        new Promise<number>((_resolve, reject) => {
          signal.addEventListener("abort", () => {
            aborted = true;
            reject(new Error("timed out"));
          });
        }),
    };
    const { scheduler, stats } = harness([metric("Hang", "* * * * *", hanging, { timeoutMs: 2_000 })]);
    scheduler.start();
    mock.timers.tick(30_000);
    mock.timers.tick(1_999);
    assert.equal(aborted, false);
    mock.timers.tick(1);
    await flushMicrotasks();
    assert.equal(aborted, true);
    assert.equal(stats.readFailures, 1);
  });

  it("fires one timer for many metrics on one schedule, all with the same instant", () => {
    const metrics = Array.from({ length: 1000 }, (_, i) => metric(`M${i}`, "* * * * *", constantSource(i)));
    const { scheduler, seen } = harness(metrics);
    scheduler.start();
    mock.timers.tick(30_000);
    assert.equal(seen.length, 1000);
    assert.equal(new Set(seen.map((s) => s.at)).size, 1);
  });

  it("reaches a run further away than setTimeout's longest delay", () => {
    const { scheduler, seen } = harness([metric("Yearly", "@yearly", constantSource(1))]);
    scheduler.start();
    const toNewYear = Date.parse("2027-01-01T00:00:00Z") - Date.now();
    mock.timers.tick(2 ** 31 - 1);
    assert.equal(seen.length, 0);
    mock.timers.tick(toNewYear - (2 ** 31 - 1));
    assert.deepEqual(
      seen.map((s) => s.at),
      ["2027-01-01T00:00:00.000Z"],
    );
  });

  it("re-plans after the wall clock jumps back an hour: no gap, and a warning", () => {
    const { scheduler, seen, messages, clock } = harness([metric("S", "* * * * * *", constantSource(1))]);
    scheduler.start(); // 00:00:30
    mock.timers.tick(1_000); // 00:00:31
    mock.timers.tick(1_000); // 00:00:32
    clock.offset = -3_600_000; // the wall clock now says 23:00:32 of the day before
    for (let i = 0; i < 3; i++) mock.timers.tick(1_000);
    assert.deepEqual(
      seen.map((s) => s.at),
      [
        "2026-03-27T00:00:31.000Z",
        "2026-03-27T00:00:32.000Z",
        "2026-03-26T23:00:33.000Z",
        "2026-03-26T23:00:34.000Z",
        "2026-03-26T23:00:35.000Z",
      ],
    );
    assert.ok(
      messages().includes(
        "the wall clock jumped back by 3600.0 s against the monotonic clock (a clock change, or a suspended host); every schedule is planned again from 2026-03-26T23:00:33.000Z",
      ),
      messages().join("\n"),
    );
  });

  it("re-plans after the wall clock jumps forward an hour: no burst of missed runs", () => {
    const { scheduler, seen, clock } = harness([metric("S", "* * * * * *", constantSource(1))]);
    scheduler.start(); // 00:00:30
    mock.timers.tick(1_000);
    clock.offset = 3_600_000;
    for (let i = 0; i < 3; i++) mock.timers.tick(1_000);
    assert.deepEqual(
      seen.map((s) => s.at),
      [
        "2026-03-27T00:00:31.000Z",
        "2026-03-27T01:00:32.000Z",
        "2026-03-27T01:00:33.000Z",
        "2026-03-27T01:00:34.000Z",
      ],
    );
  });

  it("notices a jump between runs far apart, and runs at the planned time on the new clock", () => {
    const { scheduler, seen, clock } = harness([metric("Daily", "0 9 * * *", constantSource(1))]);
    scheduler.start(); // 00:00:30
    mock.timers.tick(60_000);
    clock.offset = 3_600_000; // 01:01:30: 09:00 is now an hour closer than the timer thinks
    mock.timers.tick(7 * 3_600_000 + 58 * 60_000 + 29_000); // 08:59:59 on the new clock
    assert.equal(seen.length, 0);
    mock.timers.tick(1_000);
    assert.deepEqual(
      seen.map((s) => s.at),
      ["2026-03-27T09:00:00.000Z"],
    );
  });

  it("reports how long its timer is overdue, for the health check", () => {
    let late = 0;
    const { logger } = memoryLogger();
    const scheduler = new Scheduler({
      metrics: [metric("M", "* * * * * *", constantSource(1))],
      onValue: () => undefined,
      logger,
      stats: new Stats(),
      hostSeed: "h",
      now: () => Date.now() + late,
      monotonic: () => Date.now() + late,
    });
    scheduler.start();
    assert.equal(scheduler.overdueMs, 0);
    late = 45_000; // as if the timer had not fired for 45 s
    assert.equal(scheduler.overdueMs, 44_000);
    mock.timers.tick(1_000);
    assert.equal(scheduler.overdueMs, 0);
  });

  it("abandons a read that ignores its abort, and skips its runs until it ends", async () => {
    let reads = 0;
    let release: ((value: number) => void) | undefined;
    const deaf: ValueSource = {
      read: () => {
        reads++;
        return new Promise<number>((resolve) => (release = resolve));
      },
    };
    const { scheduler, seen, stats, messages } = harness([
      metric("Deaf", "* * * * * *", deaf, { timeoutMs: 500 }),
      metric("Other", "* * * * * *", constantSource(2)),
    ]);
    scheduler.start();
    mock.timers.tick(1_000); // 00:00:31: the read starts
    mock.timers.tick(500); // its timeout: aborted
    mock.timers.tick(1_000); // abandoned
    await flushMicrotasks();
    assert.equal(stats.readFailures, 1);
    assert.ok(
      messages().includes(
        'metric "Deaf": the read did not end within 1000 ms of its timeout (500 ms); abandoned it, and its next runs are skipped until it ends',
      ),
    );
    assert.equal(reads, 1);
    assert.ok(stats.skippedRuns >= 1);
    release!(9);
    await flushMicrotasks();
    mock.timers.tick(1_000);
    assert.equal(reads, 2, "runs resume once it ended");
    assert.ok(!seen.some((s) => s.name === "Deaf" && s.value === 9), "its late value is not published");
  });

  it("stop() waits for reads in flight", async () => {
    let release: ((value: number) => void) | undefined;
    const slow: ValueSource = { read: () => new Promise<number>((resolve) => (release = resolve)) };
    const { scheduler, seen } = harness([metric("Slow", "* * * * *", slow, {}, true)]);
    scheduler.start();
    let stopped = false;
    const stopping = scheduler.stop(5_000).then(() => (stopped = true));
    await flushMicrotasks();
    assert.equal(stopped, false);
    release!(3);
    await stopping;
    assert.deepEqual(
      seen.map((s) => s.value),
      [3],
    );
  });
  it("replaceMetrics keeps the walks of existing schedules: no tick missed or doubled; added start, removed stop", () => {
    const keep = metric("Keep", "*/10 * * * * *", constantSource(1));
    const gone = metric("Gone", "*/10 * * * * *", constantSource(2));
    const { scheduler, seen } = harness([keep, gone]);
    scheduler.start();
    for (let i = 0; i < 3; i++) mock.timers.tick(5_000); // from :30 to :45: the runs at :40
    const added = metric("New", "*/10 * * * * *", constantSource(3));
    const other = metric("Other", "*/7 * * * * *", constantSource(4), {}, true);
    scheduler.replaceMetrics([added, keep, other]);
    assert.equal(
      seen.filter((s) => s.name === "Other").length,
      1,
      "runOnStart of an added metric reads at once",
    );
    for (let i = 0; i < 4; i++) mock.timers.tick(5_000); // to 01:05
    const at = (name: string) => seen.filter((s) => s.name === name).map((s) => s.at.slice(14, 19));
    assert.deepEqual(at("Keep"), ["00:40", "00:50", "01:00"]);
    assert.deepEqual(at("Gone"), ["00:40"]);
    assert.deepEqual(at("New"), ["00:50", "01:00"]);
    assert.ok(at("Other").length >= 3, at("Other").join());
  });
});
