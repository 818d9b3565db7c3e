/**
 * The outbox on disk: an append-only log of collected datums and of acknowledgements (delivered or
 * dropped), in segment files. Each record is one line, `<crc32 hex> <json>`, so a torn or corrupt
 * line is recognised and skipped on replay. On open, and whenever the active segment outgrows
 * SEGMENT_MAX_BYTES, the log is compacted: the pending datums are written to a new segment and the
 * older segments deleted. A write that fails (a full disk) switches the process to memory only.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import type { StorageResolution, Unit } from "../config/types.js";
import type { Logger } from "../log.js";
import { metricIdentity, type Datum, type MetricIdentity } from "./datum.js";

/** A segment is compacted away once the active one grows past this. */
export const SEGMENT_MAX_BYTES = 16 * 1024 * 1024;
const SEGMENT = /^segment-(\d{12})\.log$/;

export interface LoggedDatum {
  readonly seq: number;
  readonly datum: Datum;
}

interface DatumRecord {
  s: number;
  ns: string;
  n: string;
  u: Unit;
  r: StorageResolution;
  d: [string, string][];
  v: number;
  t: number;
}
interface AckRecord {
  a: [number, number][];
}

export type WriteFn = (fd: number, data: string) => void;

export interface OutboxLogOptions {
  readonly dir: string;
  readonly fsync: boolean;
  readonly logger: Logger;
  /** For tests: how bytes reach the file (inject ENOSPC). */
  readonly write?: WriteFn;
}

export interface ReplayResult {
  readonly pending: LoggedDatum[];
  readonly skippedRecords: number;
}

/** The lock file: one process per outbox directory, or two would replay and acknowledge each other's datums. */
export const LOCK_FILE = "LOCK";

export class OutboxLockedError extends Error {
  override name = "OutboxLockedError";
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function takeLock(dir: string, logger: Logger): void {
  const path = join(dir, LOCK_FILE);
  try {
    writeFileSync(path, `${process.pid}\n`, { flag: "wx" });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const holder = Number(readFileSync(path, "utf8").trim());
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
    throw new OutboxLockedError(
      `${dir} is in use by process ${holder} (${path}); give each publisher its own outbox directory`,
    );
  }
  // A lock left by a process that is gone (a crash, or a container restarted with the same volume).
  logger.warn(`outbox: taking over ${path} from process ${String(holder)}, which is no longer running`);
  writeFileSync(path, `${process.pid}\n`);
}

function releaseLock(dir: string): void {
  try {
    const path = join(dir, LOCK_FILE);
    if (Number(readFileSync(path, "utf8").trim()) === process.pid) unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}

function encode(record: DatumRecord | AckRecord): string {
  const json = JSON.stringify(record);
  return `${crc32(json).toString(16).padStart(8, "0")} ${json}\n`;
}

function segmentName(index: number): string {
  return `segment-${String(index).padStart(12, "0")}.log`;
}

/** Consecutive sequence numbers as [first, last] ranges: 1000 acks of one batch are one pair. */
function toRanges(seqs: readonly number[]): [number, number][] {
  const sorted = [...seqs].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const seq of sorted) {
    const last = ranges.at(-1);
    if (last !== undefined && seq === last[1] + 1) last[1] = seq;
    else ranges.push([seq, seq]);
  }
  return ranges;
}

/** Replayed datums of one series share one identity, as live ones do: a million records, not a million identities. */
function toDatum(record: DatumRecord, identities: Map<string, MetricIdentity>): Datum {
  const key = JSON.stringify([record.ns, record.n, record.u, record.r, record.d]);
  let metric = identities.get(key);
  if (metric === undefined) {
    const dimensions = Object.fromEntries(record.d);
    metric = metricIdentity({
      namespace: record.ns,
      name: record.n,
      unit: record.u,
      storageResolution: record.r,
      dimensions,
    });
    identities.set(key, metric);
  }
  return { metric, value: record.v, timestamp: record.t };
}

function toRecord(seq: number, datum: Datum): DatumRecord {
  const m = datum.metric;
  return {
    s: seq,
    ns: m.namespace,
    n: m.name,
    u: m.unit,
    r: m.storageResolution,
    d: m.dimensions.map((dim) => [dim.Name, dim.Value]),
    v: datum.value,
    t: datum.timestamp,
  };
}

export class OutboxLog {
  private fd: number | undefined;
  private segmentIndex = 0;
  /** Bytes appended to the active segment since its snapshot. */
  private appendedBytes = 0;
  /** Bytes of the snapshot the active segment started with. */
  private snapshotBytes = 0;
  private buffer = "";
  private flushQueued = false;
  private failed = false;
  private readonly write: WriteFn;

  private constructor(private readonly options: OutboxLogOptions) {
    this.write = options.write ?? ((fd, data) => void writeSync(fd, data));
  }

  /**
   * Opens (creating) the directory, takes its lock, and replays what an earlier process left
   * undelivered. Throws when the directory is unusable or another live process holds it.
   */
  static open(options: OutboxLogOptions): { log: OutboxLog; replay: ReplayResult } {
    mkdirSync(options.dir, { recursive: true });
    takeLock(options.dir, options.logger);
    const log = new OutboxLog(options);
    const replay = log.replay();
    log.compact(replay.pending);
    return { log, replay };
  }

  /** Whether writes still reach the disk (false after a write failed, e.g. a full disk). */
  get durable(): boolean {
    return !this.failed;
  }

  appendDatum(seq: number, datum: Datum): void {
    this.enqueue(encode(toRecord(seq, datum)));
  }

  /** Marks datums as done (delivered, or dropped with a logged reason): they are not replayed. */
  acknowledge(seqs: readonly number[]): void {
    if (seqs.length > 0) this.enqueue(encode({ a: toRanges(seqs) }));
  }

  /** Writes what is buffered now (and fsyncs, when enabled). Called before every send. */
  flush(): void {
    this.flushQueued = false;
    if (this.buffer === "" || this.failed || this.fd === undefined) {
      this.buffer = "";
      return;
    }
    const data = this.buffer;
    this.buffer = "";
    try {
      this.write(this.fd, data);
      if (this.options.fsync) fsyncSync(this.fd);
      this.appendedBytes += Buffer.byteLength(data);
    } catch (error) {
      this.fail(error as NodeJS.ErrnoException);
    }
  }

  /**
   * Whether the active segment has grown enough to be compacted: by SEGMENT_MAX_BYTES, and by at
   * least its own snapshot's size, so that a large backlog is not rewritten on every send.
   */
  get wantsCompaction(): boolean {
    return !this.failed && this.appendedBytes > Math.max(SEGMENT_MAX_BYTES, this.snapshotBytes);
  }

  /** Starts a new segment holding only `pending`, then deletes every older segment. */
  compact(pending: readonly LoggedDatum[]): void {
    if (this.failed) return;
    this.flush();
    const dir = this.options.dir;
    const older = readdirSync(dir).filter((name) => SEGMENT.test(name));
    const nextIndex = Math.max(this.segmentIndex, ...older.map((name) => Number(SEGMENT.exec(name)![1]))) + 1;
    const temp = join(dir, `${segmentName(nextIndex)}.tmp`);
    try {
      const fd = openSync(temp, "w");
      const snapshot = pending.map((entry) => encode(toRecord(entry.seq, entry.datum))).join("");
      this.write(fd, snapshot);
      fsyncSync(fd);
      renameSync(temp, join(dir, segmentName(nextIndex)));
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = fd;
      this.segmentIndex = nextIndex;
      this.snapshotBytes = Buffer.byteLength(snapshot);
      this.appendedBytes = 0;
      for (const name of older) unlinkSync(join(dir, name));
    } catch (error) {
      this.fail(error as NodeJS.ErrnoException);
    }
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) {
      if (!this.failed) fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = undefined;
    }
    releaseLock(this.options.dir);
  }

  private enqueue(line: string): void {
    if (this.failed) return;
    this.buffer += line;
    // Records of one tick are written together, before any of them is sent (flush() runs first).
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flush();
      });
    }
  }

  private fail(error: NodeJS.ErrnoException): void {
    this.failed = true;
    this.buffer = "";
    const reason =
      error.code === "ENOSPC" ? "the disk is full" : `${error.code ?? error.name}: ${error.message}`;
    this.options.logger.error(
      `OUTBOX NOT DURABLE: writing to ${this.options.dir} failed (${reason}); undelivered datums are now kept in memory only and a crash would lose them`,
      { outboxDir: this.options.dir, error: error.code },
    );
  }

  private replay(): ReplayResult {
    const { dir, logger } = this.options;
    const names = readdirSync(dir)
      .filter((name) => SEGMENT.test(name))
      .sort();
    const pending = new Map<number, Datum>();
    const identities = new Map<string, MetricIdentity>();
    let skippedRecords = 0;
    for (const name of names) {
      const text = readFileSync(join(dir, name), "utf8");
      const lines = text.split("\n");
      const torn = lines.pop(); // "" when the file ends with a newline, as every complete record does
      if (torn !== undefined && torn !== "") {
        skippedRecords++;
        logger.warn(
          `outbox: ${name}: skipped a torn last record (an interrupted write) of ${torn.length} bytes`,
        );
      }
      lines.forEach((line, i) => {
        const json = line.slice(9);
        if (line[8] !== " " || crc32(json).toString(16).padStart(8, "0") !== line.slice(0, 8)) {
          skippedRecords++;
          logger.warn(`outbox: ${name}:${i + 1}: skipped a corrupt record (checksum mismatch)`);
          return;
        }
        const record = JSON.parse(json) as DatumRecord | AckRecord;
        if ("a" in record) {
          for (const [first, last] of record.a) for (let seq = first; seq <= last; seq++) pending.delete(seq);
        } else {
          pending.set(record.s, toDatum(record, identities));
        }
      });
    }
    const sorted = [...pending.entries()].sort(([a], [b]) => a - b).map(([seq, datum]) => ({ seq, datum }));
    return { pending: sorted, skippedRecords };
  }
}
