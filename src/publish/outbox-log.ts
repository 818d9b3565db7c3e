/**
 * The outbox on disk: an append-only log of collected datums and of acknowledgements (delivered or
 * dropped), in segment files of CRC-checked lines (outbox-record.ts). On open the directory's lock
 * is taken (outbox-lock.ts) and the log replayed: a damaged record or file is skipped, logged and
 * counted, never fatal. On open, and whenever the active segment outgrows SEGMENT_MAX_BYTES, the log
 * is compacted: the pending datums are written to a new segment and the older ones deleted. A write
 * that fails (a full disk) switches the process to memory only and removes the log, so that a
 * restart does not send again what is delivered meanwhile; a fresh log is tried every
 * RECOVERY_INTERVAL_MS and at shutdown.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { Logger } from "../log.js";
import type { Datum, MetricIdentity } from "../cloudwatch/datum.js";
import { describeHolder } from "./lock-holder.js";
import type { OutboxEntry } from "./outbox.js";
import { FILE_MODE, OutboxLock, type LockTiming } from "./outbox-lock.js";
import { decodeLine, encodeAck, encodeDatum, type LoggedDatum } from "./outbox-record.js";

export { OutboxLockedError } from "./outbox-lock.js";
export type { LoggedDatum } from "./outbox-record.js";

/** A segment is compacted away once the active one grows past this. */
export const SEGMENT_MAX_BYTES = 16 * 1024 * 1024;
/** After a write failed, a fresh log is tried this often. */
export const RECOVERY_INTERVAL_MS = 30_000;
const SEGMENT = /^segment-(\d{12})\.log$/;
const DIR_MODE = 0o700;
/** Segments are read, and snapshots written, this many bytes at a time: never a whole file in memory. */
const CHUNK_BYTES = 1024 * 1024;
/** The lock is refreshed this often (in lines) during a long replay, which blocks its timer. */
const REFRESH_EVERY_LINES = 50_000;
/** Damaged records logged one by one per segment; beyond that, one summary line. */
const DAMAGE_LOG_LIMIT = 10;

export type WriteFn = (fd: number, data: string) => void;

export interface OutboxLogOptions {
  readonly dir: string;
  readonly fsync: boolean;
  readonly logger: Logger;
  /** For tests: how bytes reach the file (inject ENOSPC). */
  readonly write?: WriteFn;
  /** For tests: shorter lock timings. */
  readonly lockTiming?: LockTiming;
  /** Ends a wait for the lock early (a signal during start-up). */
  readonly signal?: AbortSignal;
}

export interface ReplayResult {
  /** The undelivered datums, oldest first, as outbox entries waiting to be sent. */
  readonly pending: OutboxEntry[];
  /** Records skipped as damaged (torn, corrupt, malformed). */
  readonly skippedRecords: number;
  /** Of those, the ones that may have held a datum: lost, and counted as dropped ("corrupt"). */
  readonly lostDatums: number;
}

function segmentName(index: number): string {
  return `segment-${String(index).padStart(12, "0")}.log`;
}

function errorText(error: NodeJS.ErrnoException): string {
  return error.code === "ENOSPC" ? "the disk is full" : `${error.code ?? error.name}: ${error.message}`;
}

/** Calls `onLine` with each line of a file read in chunks; a last line without a newline is `torn`. */
function forEachLine(path: string, onLine: (line: string, torn: boolean) => void): void {
  const fd = openSync(path, "r");
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let rest: Buffer = Buffer.alloc(0);
    for (;;) {
      const read = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      const data =
        rest.length === 0 ? chunk.subarray(0, read) : Buffer.concat([rest, chunk.subarray(0, read)]);
      let start = 0;
      for (let end = data.indexOf(10); end !== -1; end = data.indexOf(10, start)) {
        onLine(data.toString("utf8", start, end), false);
        start = end + 1;
      }
      rest = Buffer.from(data.subarray(start));
    }
    if (rest.length > 0) onLine(rest.toString("utf8"), true);
  } finally {
    closeSync(fd);
  }
}

export class OutboxLog {
  private fd: number | undefined;
  private segmentIndex = 0;
  /** Segments this process replayed or wrote: the ones compaction may delete. */
  private readonly owned = new Set<string>();
  /** Bytes appended to the active segment since its snapshot. */
  private appendedBytes = 0;
  /** Bytes of the snapshot the active segment started with. */
  private snapshotBytes = 0;
  private buffer = "";
  private flushQueued = false;
  /** Why writes stopped: a failed write (retried), or the lock taken by another process (final). */
  private failure: "write" | "lock" | undefined;
  private failedAt = 0;
  private readonly write: WriteFn;

  private constructor(
    private readonly options: OutboxLogOptions,
    private readonly lock: OutboxLock,
  ) {
    this.write = options.write ?? ((fd, data) => void writeSync(fd, data));
    lock.whenLost((holder) => {
      this.stop("lock");
      options.logger.error(
        `OUTBOX NOT DURABLE: ${describeHolder(holder)} took over the outbox directory ${options.dir}; this process no longer writes there and keeps its undelivered datums in memory only`,
        { outboxDir: options.dir },
      );
    });
  }

  /**
   * Opens (creating) the directory, takes its lock (waiting for a live holder, then throwing
   * OutboxLockedError), and replays what an earlier process left undelivered.
   */
  static async open(options: OutboxLogOptions): Promise<{ log: OutboxLog; replay: ReplayResult }> {
    mkdirSync(options.dir, { recursive: true, mode: DIR_MODE });
    const lock = await OutboxLock.acquire({
      dir: options.dir,
      logger: options.logger,
      ...(options.lockTiming === undefined ? {} : { timing: options.lockTiming }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    try {
      const log = new OutboxLog(options, lock);
      const replay = log.replay();
      log.compact(replay.pending);
      return { log, replay };
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Whether writes still reach the disk (false after a write failed, e.g. a full disk). */
  get durable(): boolean {
    return this.failure === undefined;
  }

  appendDatum(seq: number, datum: Datum): void {
    this.enqueue(encodeDatum(seq, datum));
  }

  /** Marks datums as done (delivered, or dropped with a logged reason): they are not replayed. */
  acknowledge(seqs: readonly number[]): void {
    if (seqs.length > 0) this.enqueue(encodeAck(seqs));
  }

  /** Writes what is buffered now (and fsyncs, when enabled). Called before every send. */
  flush(): void {
    this.flushQueued = false;
    if (this.buffer === "" || this.failure !== undefined || this.fd === undefined) {
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
    return this.failure === undefined && this.appendedBytes > Math.max(SEGMENT_MAX_BYTES, this.snapshotBytes);
  }

  /** After a failed write: whether it is time to try a fresh log (`now` forces it, as at shutdown). */
  wantsRecovery(now = false): boolean {
    return this.failure === "write" && (now || Date.now() - this.failedAt >= RECOVERY_INTERVAL_MS);
  }

  /** Starts a new segment holding only `pending`, then deletes the older ones. */
  compact(pending: Iterable<LoggedDatum>): void {
    if (this.failure !== undefined) return;
    this.flush();
    try {
      this.snapshot(pending);
    } catch (error) {
      this.fail(error as NodeJS.ErrnoException);
    }
  }

  /** After a failed write: writes `pending` to a fresh segment; on success the log is durable again. */
  recover(pending: Iterable<LoggedDatum>): boolean {
    if (this.failure !== "write") return this.durable;
    try {
      const count = this.snapshot(pending);
      this.failure = undefined;
      this.options.logger.info(
        `outbox durable again: the ${count} undelivered datums are written to ${this.options.dir}`,
        { outboxDir: this.options.dir },
      );
      return true;
    } catch (error) {
      this.failedAt = Date.now();
      this.options.logger.debug(
        `outbox: still cannot write to ${this.options.dir} (${errorText(error as NodeJS.ErrnoException)})`,
      );
      return false;
    }
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) {
      if (this.failure === undefined) fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = undefined;
    }
    this.lock.release();
  }

  /** Writes a snapshot segment (throws on failure, leaving the current one in place); returns its datum count. */
  private snapshot(pending: Iterable<LoggedDatum>): number {
    const dir = this.options.dir;
    const nextIndex = this.segmentIndex + 1;
    const name = segmentName(nextIndex);
    const temp = join(dir, `${name}.tmp`);
    const fd = openSync(temp, "w", FILE_MODE);
    let bytes = 0;
    let count = 0;
    try {
      let chunk = "";
      for (const entry of pending) {
        chunk += encodeDatum(entry.seq, entry);
        count++;
        if (chunk.length >= CHUNK_BYTES) {
          this.write(fd, chunk);
          bytes += Buffer.byteLength(chunk);
          chunk = "";
        }
      }
      this.write(fd, chunk);
      bytes += Buffer.byteLength(chunk);
      fsyncSync(fd);
      renameSync(temp, join(dir, name));
    } catch (error) {
      closeSync(fd);
      try {
        unlinkSync(temp);
      } catch {
        // Nothing to remove.
      }
      throw error;
    }
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = fd;
    this.segmentIndex = nextIndex;
    this.snapshotBytes = bytes;
    this.appendedBytes = 0;
    for (const older of this.owned) {
      try {
        unlinkSync(join(dir, older));
      } catch {
        // Already gone.
      }
    }
    this.owned.clear();
    this.owned.add(name);
    return count;
  }

  private enqueue(line: string): void {
    if (this.failure !== undefined) return;
    this.buffer += line;
    // Records of one tick are written together, before any of them is sent (flush() runs first).
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flush();
      });
    }
  }

  private stop(failure: "write" | "lock"): void {
    this.failure = failure;
    this.failedAt = Date.now();
    this.buffer = "";
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // The descriptor is dropped either way.
      }
      this.fd = undefined;
    }
  }

  private fail(error: NodeJS.ErrnoException): void {
    this.stop("write");
    // The log no longer follows what is delivered: replayed later, it would send those datums again.
    let removed = true;
    for (const name of this.owned) {
      try {
        unlinkSync(join(this.options.dir, name));
      } catch {
        removed = false;
      }
    }
    this.owned.clear();
    this.options.logger.error(
      `OUTBOX NOT DURABLE: writing to ${this.options.dir} failed (${errorText(error)}); undelivered datums are now kept in memory only and a crash would lose them. ${removed ? "The log there was removed" : "The log there could not be removed"} so that a restart does not send again what is delivered meanwhile; a fresh one is tried every ${RECOVERY_INTERVAL_MS / 1000} s and at shutdown`,
      { outboxDir: this.options.dir, error: error.code },
    );
  }

  private replay(): ReplayResult {
    const { dir, logger } = this.options;
    const pending = new Map<number, OutboxEntry>();
    const identities = new Map<string, MetricIdentity>();
    let skippedRecords = 0;
    let lostDatums = 0;
    // Kept across segments, and changed in the line callback below.
    const order = { sorted: true, lastSeq: 0, lines: 0 };
    const segments = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => SEGMENT.test(entry.name))
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const segment of segments) {
      const index = Number(SEGMENT.exec(segment.name)![1]);
      this.segmentIndex = Math.max(this.segmentIndex, index);
      if (!segment.isFile()) {
        logger.warn(`outbox: ${segment.name} in ${dir} is not a regular file; left alone`, {
          outboxDir: dir,
        });
        continue;
      }
      let damaged = 0;
      let lineNumber = 0;
      try {
        forEachLine(join(dir, segment.name), (text, torn) => {
          lineNumber++;
          if (++order.lines % REFRESH_EVERY_LINES === 0) this.lock.refresh();
          const decoded = decodeLine(text, identities);
          if (decoded.kind === "datum") {
            const { entry } = decoded;
            if (entry.seq <= order.lastSeq) order.sorted = false;
            order.lastSeq = entry.seq;
            pending.set(entry.seq, entry);
            return;
          }
          if (decoded.kind === "ack") {
            for (const [first, last] of decoded.ranges) {
              // Bounded by what the log holds: a range of a billion costs no more than the pending datums.
              if (last - first < pending.size) for (let seq = first; seq <= last; seq++) pending.delete(seq);
              else for (const seq of pending.keys()) if (seq >= first && seq <= last) pending.delete(seq);
            }
            return;
          }
          skippedRecords++;
          if (decoded.datumLost) lostDatums++;
          if (++damaged <= DAMAGE_LOG_LIMIT) {
            const what = torn
              ? "a torn last record (an interrupted write)"
              : `a damaged record (${decoded.reason})`;
            const consequence = decoded.datumLost
              ? "a datum it held is lost"
              : "datums it acknowledged may be sent again";
            logger.warn(
              `outbox: ${segment.name}:${lineNumber}: skipped ${what} of ${text.length} bytes; ${consequence}`,
              {
                outboxDir: dir,
                reason: "corrupt",
              },
            );
          }
        });
      } catch (error) {
        logger.error(
          `outbox: cannot read ${segment.name} in ${dir} (${errorText(error as NodeJS.ErrnoException)}); left in place, its datums are not replayed`,
          { outboxDir: dir },
        );
        continue;
      }
      if (damaged > DAMAGE_LOG_LIMIT) {
        logger.warn(`outbox: ${segment.name}: ${damaged - DAMAGE_LOG_LIMIT} more damaged records skipped`, {
          outboxDir: dir,
          reason: "corrupt",
        });
      }
      this.owned.add(segment.name);
    }
    const entries = [...pending.values()];
    if (!order.sorted) entries.sort((a, b) => a.seq - b.seq);
    return { pending: entries, skippedRecords, lostDatums };
  }
}
