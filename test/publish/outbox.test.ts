/** The outbox and its log on disk: replay, damaged records and files, a full disk, expiry, overflow. */
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { crc32 } from "node:zlib";
import type { MetricConfig } from "../../src/config/types.js";
import { metricIdentity } from "../../src/cloudwatch/datum.js";
import { MAX_DATUM_AGE_MS } from "../../src/cloudwatch/limits.js";
import { EXPIRY_MARGIN_MS, newEntry, Outbox, type OutboxEntry } from "../../src/publish/outbox/outbox.js";
import { SegmentLog, SEGMENT_MAX_BYTES } from "../../src/publish/outbox/segment-log.js";
import { Stats } from "../../src/pipeline/stats.js";
import { memoryLogger } from "../support/memory-logger.js";
import { memoryOutbox } from "../support/memory-outbox.js";

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

/** A line as the log writes it: a valid checksum, whatever the JSON says. */
function record(json: string): string {
  return `${crc32(json).toString(16).padStart(8, "0")} ${json}\n`;
}

function segments(dir: string): string[] {
  return readdirSync(dir).filter((f) => /^segment-\d+\.log$/.test(f));
}

async function fresh(
  dir: string,
  options: { write?: (fd: number, data: string) => void; now?: () => number; max?: number } = {},
) {
  const { logger, messages } = memoryLogger();
  const stats = new Stats();
  const { log, replay } = await SegmentLog.open({
    dir,
    fsync: true,
    logger,
    ...(options.write ? { write: options.write } : {}),
  });
  const outbox = new Outbox({
    maxBufferedDatums: options.max ?? 100_000,
    log,
    stats,
    logger,
    now: options.now ?? Date.now,
  });
  outbox.restore(replay.pending);
  return { outbox, log, replay, stats, messages };
}

/** A disk for the log to write to that is full while `full` is set. */
function diskThatFills(): { full: boolean; write: (fd: number, data: string) => void } {
  const disk = {
    full: false,
    write: (fd: number, data: string) => {
      if (disk.full) throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
      writeFileSync(fd, data);
    },
  };
  return disk;
}

/** A directory holding `count` undelivered datums (values 0 to count-1), written by a process that has stopped. */
async function filled(count: number): Promise<{ dir: string; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), "cwp-outbox-"));
  const a = await fresh(dir);
  for (let i = 0; i < count; i++) a.outbox.add(datum(i));
  a.log.close();
  return { dir, path: join(dir, segments(dir)[0]!) };
}

describe("SegmentLog", () => {
  it("replays what was not acknowledged, in order, with every field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cwp-outbox-"));
    const a = await fresh(dir);
    const entries = [1, 2, 3, 4].map((v) => a.outbox.add(datum(v, 1_000 * v)));
    a.outbox.delivered([entries[1]!]);
    a.outbox.drop([entries[2]!], "rejected");
    a.log.close();
    const b = await fresh(dir);
    assert.deepEqual(
      b.replay.pending.map((p) => [p.seq, p.value, p.timestamp]),
      [
        [1, 1, 1000],
        [4, 4, 4000],
      ],
    );
    assert.deepEqual(b.replay.pending[0]!.metric, identity);
    // New datums continue the sequence rather than reusing numbers.
    assert.equal(b.outbox.add(datum(5)).seq, 5);
    b.log.close();
  });

  it("skips a torn last record and a corrupt one, logged and counted as lost, and keeps the rest", async () => {
    const { dir, path } = await filled(3);
    const lines = readFileSync(path, "utf8").split("\n");
    lines[1] = lines[1]!.replace('"v":1', '"v":7'); // a flipped value: the checksum no longer matches
    writeFileSync(path, lines.join("\n"));
    appendFileSync(path, '0badc0de {"s":4,"ns":"N"'); // a crash mid-write
    const b = await fresh(dir);
    assert.deepEqual(
      b.replay.pending.map((p) => p.value),
      [0, 2],
    );
    assert.equal(b.replay.skippedRecords, 2);
    assert.equal(b.replay.lostDatums, 2);
    assert.ok(b.messages().some((m) => /:4: skipped a torn last record \(an interrupted write\)/.test(m)));
    assert.ok(
      b
        .messages()
        .some((m) =>
          /:2: skipped a damaged record \(checksum mismatch\) .*; a datum it held is lost$/.test(m),
        ),
    );
    b.log.close();
  });

  it("skips records with a valid checksum but the wrong shape, and a directory named like a segment, replaying the rest", async () => {
    const { dir, path } = await filled(120);
    const datumLike = (fields: string) =>
      `{"s":500,"ns":"N","n":"M","u":"Count","r":60,"d":[["Host","a"]],"v":1,"t":1,${fields}}`;
    appendFileSync(
      path,
      [
        record('{"x":1}'),
        record("[1,2]"),
        record("null"),
        record('{"s":"seven","ns":"N"}'),
        record(datumLike('"u":"Parsecs"')),
        record('{"s":501,"ns":"N","n":"M","u":"Count","r":60,"d":[["Host",5]],"v":1,"t":1}'),
        record('{"a":"everything"}'),
        record('{"a":[[5,2]]}'),
        record("not json at all"),
      ].join(""),
    );
    mkdirSync(join(dir, "segment-000000000000.log"));
    const b = await fresh(dir);
    assert.equal(b.replay.pending.length, 120, "every intact datum is replayed");
    assert.deepEqual(
      b.replay.pending.map((p) => p.value),
      Array.from({ length: 120 }, (_, i) => i),
    );
    assert.equal(b.replay.skippedRecords, 9);
    assert.equal(b.replay.lostDatums, 7, "the two damaged acknowledgements lost no datum");
    assert.ok(b.messages().some((m) => m.includes("a datum record with no valid unit")));
    assert.ok(b.messages().some((m) => m.includes("an acknowledgement of no valid ranges")));
    assert.ok(
      b
        .messages()
        .some((m) => m.includes("segment-000000000000.log") && m.includes("not a regular file; left alone")),
    );
    assert.equal(b.log.durable, true, "the outbox stays on disk");
    b.outbox.add(datum(1000));
    b.log.close();
    const c = await fresh(dir);
    assert.equal(c.replay.pending.length, 121, "compaction kept them and left the directory alone");
    c.log.close();
  });

  it(
    "bounds an acknowledgement by what the log holds: a range of 2^53 replays at once",
    { timeout: 20_000 },
    async () => {
      const { dir, path } = await filled(5);
      appendFileSync(path, record(`{"a":[[2,${Number.MAX_SAFE_INTEGER}]]}`));
      const b = await fresh(dir);
      assert.deepEqual(
        b.replay.pending.map((p) => p.value),
        [0],
      );
      b.log.close();
    },
  );

  it("after a failed write removes the log, so a restart does not resend what was delivered meanwhile", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cwp-outbox-"));
    const disk = diskThatFills();
    const a = await fresh(dir, { write: disk.write });
    const written = [1, 2, 3].map((v) => a.outbox.add(datum(v)));
    a.outbox.persist();
    disk.full = true;
    const e4 = a.outbox.add(datum(4));
    a.outbox.persist();
    assert.equal(a.log.durable, false);
    assert.equal(a.outbox.depth, 4, "every datum is still held in memory");
    assert.ok(
      a
        .messages()
        .some(
          (m) =>
            m.startsWith("OUTBOX NOT DURABLE: writing to") &&
            m.includes("the disk is full") &&
            m.includes(
              "The log there was removed so that a restart does not send again what is delivered meanwhile",
            ),
        ),
    );
    a.outbox.delivered([...written, e4]);
    a.log.close(); // or a crash: nothing on disk claims the delivered datums are undelivered
    const b = await fresh(dir);
    assert.deepEqual(b.replay.pending, [], "nothing to send again");
    b.log.close();
  });

  it("writes a fresh log once the disk has room again, and keeps what remains at shutdown", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cwp-outbox-"));
    const disk = diskThatFills();
    const a = await fresh(dir, { write: disk.write });
    a.outbox.add(datum(1));
    a.outbox.persist();
    disk.full = true;
    const e2 = a.outbox.add(datum(2));
    const e3 = a.outbox.add(datum(3));
    a.outbox.persist();
    a.outbox.delivered([e2]);
    a.outbox.persist(true);
    assert.equal(a.log.durable, false, "still full");
    disk.full = false;
    a.outbox.persist(true);
    assert.equal(a.log.durable, true);
    assert.ok(
      a.messages().some((m) => m === `outbox durable again: the 2 undelivered datums are written to ${dir}`),
    );
    a.log.close();
    const b = await fresh(dir);
    assert.deepEqual(
      b.replay.pending.map((p) => p.seq),
      [1, e3.seq],
    );
    b.log.close();
  });

  it("compacts: a new segment with only the pending datums, older segments removed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cwp-outbox-"));
    const a = await fresh(dir, { max: 1_000_000 });
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
    assert.equal(segments(dir).length, 1, segments(dir).join());
    a.log.close();
    const b = await fresh(dir);
    assert.deepEqual(
      b.replay.pending.map((p) => p.seq),
      [kept?.seq],
    );
    b.log.close();
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
    outbox.markForRetry([old, young]);
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
    const batches = outbox.takeForRetry(4);
    assert.equal(batches.length, 0, "nothing waits: the datums are queued for their first send");
  });

  it("hands out waiting datums oldest first, in batches of one namespace of at most 1000", () => {
    const outbox = memoryOutbox();
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
    outbox.markForRetry(entries);
    const batches = outbox.takeForRetry(4);
    assert.deepEqual(
      batches.map((b) => `${b.namespace}:${b.entries.length}`),
      ["Other:5", "N:1000", "N:1000", "N:495"],
    );
    assert.equal(batches[0]!.entries[0]!.seq, 1, "oldest first");
    assert.equal(batches[1]!.entries[0]!.seq, 2);
    assert.equal(outbox.awaitingRetry, 0);
  });
});
