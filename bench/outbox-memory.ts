/**
 * The memory one undelivered datum costs, measured exactly: the JavaScript heap after a full garbage
 * collection, with and without `count` datums in the outbox (of 1,000 metrics, values that are not
 * small integers), for datums collected live and for datums replayed from the outbox directory.
 * Run by run.ts as `node --expose-gc dist/bench/outbox-memory.js <count>`; prints one JSON line.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { metricIdentity } from "../src/cloudwatch/datum.js";
import { newEntry, Outbox } from "../src/publish/outbox/outbox.js";
import { SegmentLog } from "../src/publish/outbox/segment-log.js";
import { Stats } from "../src/pipeline/stats.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc");

const count = Number(process.argv[2] ?? 100_000);
const logger = {
  warn: () => undefined,
  error: () => undefined,
  info: () => undefined,
  debug: () => undefined,
} as never;
const ids = Array.from({ length: 1000 }, (_, i) =>
  metricIdentity({
    namespace: "Bench/Memory",
    name: `M${i}`,
    unit: "Count",
    storageResolution: 60,
    dimensions: { Host: "a" },
  }),
);
const now = Date.now();

function heapAfterGc(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

function outbox(log: SegmentLog | undefined): Outbox {
  return new Outbox({ maxBufferedDatums: count, log, stats: new Stats(), logger, now: Date.now });
}

// Collected live: what an outage piles up.
let base = heapAfterGc();
const live = outbox(undefined);
for (let i = 0; i < count; i++) live.add(newEntry(ids[i % 1000]!, i + 0.5, now - (count - i) * 10));
const liveBytes = (heapAfterGc() - base) / count;
if (live.depth !== count) throw new Error("the outbox dropped datums");

// Replayed from disk: what a restart after an outage holds.
const dir = mkdtempSync(join(tmpdir(), "cwp-bench-memory-"));
{
  const { log } = await SegmentLog.open({ dir, fsync: false, logger });
  const writer = outbox(log);
  for (let i = 0; i < count; i++) writer.add(newEntry(ids[i % 1000]!, i + 0.5, now - (count - i) * 10));
  log.close();
}
base = heapAfterGc();
const { log, replay } = await SegmentLog.open({ dir, fsync: false, logger });
const replayed = outbox(log);
replayed.restore(replay.pending);
replay.pending.length = 0;
const replayedBytes = (heapAfterGc() - base) / count;
if (replayed.depth !== count) throw new Error("the replay lost datums");
log.close();

console.log(JSON.stringify({ count, liveBytesPerDatum: liveBytes, replayedBytesPerDatum: replayedBytes }));
