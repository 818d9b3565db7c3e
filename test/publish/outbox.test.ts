/** The outbox and its log on disk: replay, torn and corrupt records, a full disk, expiry, overflow. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { MetricConfig } from "../../src/config/types.js";
import { metricIdentity } from "../../src/publish/datum.js";
import { MAX_DATUM_AGE_MS } from "../../src/publish/limits.js";
import { EXPIRY_MARGIN_MS, newEntry, Outbox, type OutboxEntry } from "../../src/publish/outbox.js";
import { OutboxLog, SEGMENT_MAX_BYTES } from "../../src/publish/outbox-log.js";
import { Stats } from "../../src/stats.js";
import { memoryLogger } from "../support/memory-logger.js";

const identity = metricIdentity({
  namespace: "N",
  name: "M",
  unit: "Count",
  storageResolution: 60,
  dimensions: { Host: "a" },
});

function datum(value: number, timestamp = Date.now()): OutboxEntry {
  return newEntry(identity, value, timestamp);
}

function fresh(
  dir: string,
  options: { write?: (fd: number, data: string) => void; now?: () => number; max?: number } = {},
) {
  const { logger, messages } = memoryLogger();
  const stats = new Stats();
  const { log, replay } = OutboxLog.open({
    dir,
    fsync: true,
    logger,
    ...(options.write ? { write: options.write } : {}),
  });
  const outbox = new Outbox({
    maxBufferedDatums: options.max ?? 1000,
    log,
    stats,
    logger,
    now: options.now ?? Date.now,
  });
  outbox.restore(replay.pending);
  return { outbox, log, replay, stats, messages };
}

describe("OutboxLog", () => {
  it("replays what was not acknowledged, in order, with every field", () => {
    const dir = mkdtempSync(join(tmpdir(), "cwp-outbox-"));
    const a = fresh(dir);
    const entries = [1, 2, 3, 4].map((v) => a.outbox.add(datum(v, 1_000 * v)));
    a.outbox.delivered([entries[1]!]);
    a.outbox.drop([entries[2]!], "rejected");
    a.outbox.persist();
    const b = fresh(dir);
    assert.deepEqual(
      b.replay.pending.map((p) => [p.seq, p.datum.value, p.datum.timestamp]),
      [
        [1, 1, 1000],
        [4, 4, 4000],
      ],
    );
    assert.deepEqual(b.replay.pending[0]!.datum.metric, identity);
    // New datums continue the sequence rather than reusing numbers.
    assert.equal(b.outbox.add(datum(5)).seq, 5);
  });

  it("skips a torn last record and a corrupt one, with warnings, and keeps the rest", () => {
    const dir = mkdtempSync(join(tmpdir(), "cwp-outbox-"));
    const a = fresh(dir);
    a.outbox.add(datum(1));
    a.outbox.add(datum(2));
    a.outbox.add(datum(3));
    a.outbox.persist();
    const [segment] = readdirSync(dir).filter((f) => f.startsWith("segment-"));
    const path = join(dir, segment!);
    const lines = readFileSync(path, "utf8").split("\n");
    lines[1] = lines[1]!.replace('"v":2', '"v":7'); // a flipped value: the checksum no longer matches
    writeFileSync(path, lines.join("\n"));
    appendFileSync(path, '0badc0de {"s":4,"ns":"N"'); // a crash mid-write
    const b = fresh(dir);
    assert.deepEqual(
      b.replay.pending.map((p) => p.datum.value),
      [1, 3],
    );
    assert.equal(b.replay.skippedRecords, 2);
    assert.ok(b.messages().some((m) => /skipped a torn last record/.test(m)));
    assert.ok(b.messages().some((m) => /:2: skipped a corrupt record \(checksum mismatch\)/.test(m)));
  });

  it("falls back to memory with a loud error when the disk is full, losing nothing in memory", () => {
    const dir = mkdtempSync(join(tmpdir(), "cwp-outbox-"));
    let full = false;
    const write = (fd: number, data: string) => {
      if (full) throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
      writeFileSync(fd, data);
    };
    const a = fresh(dir, { write });
    a.outbox.add(datum(1));
    a.outbox.persist();
    full = true;
    const e2 = a.outbox.add(datum(2));
    a.outbox.persist();
    assert.equal(a.log.durable, false);
    assert.equal(a.outbox.depth, 2, "both datums are still held");
    assert.ok(
      a
        .messages()
        .some((m) => m.startsWith("OUTBOX NOT DURABLE: writing to") && m.includes("the disk is full")),
    );
    a.outbox.delivered([e2]);
    assert.equal(a.outbox.depth, 1);
  });

  it("compacts: a new segment with only the pending datums, older segments removed", () => {
    const dir = mkdtempSync(join(tmpdir(), "cwp-outbox-"));
    const a = fresh(dir, { max: 1_000_000 });
    const big = "x".repeat(1000);
    const heavy = metricIdentity({
      namespace: "N",
      name: big,
      unit: "None",
      storageResolution: 60,
      dimensions: {},
    } as unknown as MetricConfig);
    let kept: OutboxEntry | undefined;
    for (let i = 0; i < (SEGMENT_MAX_BYTES / 1000) * 1.2; i++) {
      const entry = a.outbox.add(newEntry(heavy, i, Date.now()));
      if (i === 7) kept = entry;
      else a.outbox.delivered([entry]);
      if (i % 1000 === 0) a.outbox.persist();
    }
    a.outbox.persist();
    const segments = readdirSync(dir).filter((f) => f.startsWith("segment-"));
    assert.equal(segments.length, 1, segments.join());
    const b = fresh(dir);
    assert.deepEqual(
      b.replay.pending.map((p) => p.seq),
      [kept?.seq],
    );
  });
});

describe("the outbox directory's lock", () => {
  it("refuses a directory a live process holds, and takes over one whose holder is gone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cwp-outbox-"));
    const holder = spawn("sleep", ["30"]);
    try {
      writeFileSync(join(dir, "LOCK"), `${holder.pid}\n`);
      assert.throws(() => fresh(dir), {
        name: "OutboxLockedError",
        message: new RegExp(`is in use by process ${holder.pid}`),
      });
    } finally {
      holder.kill();
      await new Promise((resolve) => holder.once("exit", resolve));
    }
    const taken = fresh(dir);
    assert.ok(taken.messages().some((m) => m.includes("which is no longer running")));
    assert.equal(readFileSync(join(dir, "LOCK"), "utf8"), `${process.pid}\n`);
    taken.log.close();
    assert.ok(!readdirSync(dir).includes("LOCK"), "released on close");
  });
});

describe("Outbox", () => {
  it("drops, logs and counts datums about to become older than CloudWatch accepts", () => {
    let now = Date.parse("2026-06-15T00:00:00Z");
    const { logger, messages } = memoryLogger();
    const stats = new Stats();
    const outbox = new Outbox({ maxBufferedDatums: 100, log: undefined, stats, logger, now: () => now });
    const old = outbox.add(datum(1, now));
    const young = outbox.add(datum(2, now + 60 * 60_000));
    outbox.wait([old, young]);
    now += MAX_DATUM_AGE_MS - EXPIRY_MARGIN_MS - 1;
    assert.equal(outbox.expire(), 0);
    now += 2;
    assert.equal(outbox.expire(), 1);
    assert.equal(stats.dropped.expired, 1);
    assert.equal(outbox.depth, 1);
    assert.ok(messages().includes("dropped 1 undelivered datum older than CloudWatch accepts (2 weeks)"));
  });

  it("drops the oldest when full, logging once a minute and counting each", () => {
    const { logger, messages } = memoryLogger();
    const stats = new Stats();
    const outbox = new Outbox({ maxBufferedDatums: 3, log: undefined, stats, logger, now: Date.now });
    for (let i = 1; i <= 6; i++) outbox.add(datum(i));
    assert.equal(outbox.depth, 3);
    assert.equal(stats.dropped.overflow, 3);
    assert.equal(messages().filter((m) => m.startsWith("outbox full")).length, 1);
    const batches = outbox.takeWaiting(4);
    assert.equal(batches.length, 0, "nothing waits: the datums are queued for their first send");
  });

  it("hands out waiting datums oldest first, in batches of one namespace of at most 1000", () => {
    const { logger } = memoryLogger();
    const outbox = new Outbox({
      maxBufferedDatums: 10_000,
      log: undefined,
      stats: new Stats(),
      logger,
      now: Date.now,
    });
    const other = metricIdentity({
      namespace: "Other",
      name: "M",
      unit: "None",
      storageResolution: 60,
      dimensions: {},
    } as unknown as MetricConfig);
    const entries = Array.from({ length: 2500 }, (_, i) =>
      outbox.add(i % 500 === 0 ? newEntry(other, i, 0) : datum(i)),
    );
    outbox.wait(entries);
    const batches = outbox.takeWaiting(4);
    assert.deepEqual(
      batches.map((b) => `${b[0]!.metric.namespace}:${b.length}`),
      ["Other:5", "N:1000", "N:1000", "N:495"],
    );
    assert.equal(batches[0]![0]!.seq, 1, "oldest first");
    assert.equal(batches[1]![0]!.seq, 2);
    assert.equal(outbox.waiting, 0);
  });
});
