/**
 * The outbox on disk: an append-only log of collected datums and of acknowledgements (delivered or
 * dropped), in segment files of CRC-checked lines (record-codec.ts). On open the directory's lock
 * is taken (lock.ts) and the log replayed (replay.ts): a damaged record or file is skipped, logged and
 * counted, never fatal. On open, and whenever the active segment outgrows SEGMENT_MAX_BYTES, the log
 * is compacted: the pending datums are written to a new segment and the older ones deleted. A write
 * that fails (a full disk) switches the process to memory only and removes the log, so that a
 * restart does not send again what is delivered meanwhile; a fresh log is tried every
 * RECOVERY_INTERVAL_MS and at shutdown.
 */
import { closeSync, fsyncSync, mkdirSync, writeSync } from "node:fs";
import type { Logger } from "../../log.js";
import type { Datum } from "../../cloudwatch/datum.js";
import { describeHolder } from "./lock-holder.js";
import { OutboxLock, type LockTiming } from "./lock.js";
import { encodeAck, encodeDatum, type LoggedDatum } from "./record-codec.js";
import { replaySegments, type ReplayResult } from "./replay.js";
import { errorText, removeSegments, writeSnapshot, type WriteFn } from "./segment-files.js";

export { OutboxLockedError } from "./lock.js";
export type { LoggedDatum } from "./record-codec.js";
export type { ReplayResult } from "./replay.js";

/** A segment is compacted away once the active one grows past this. */
export const SEGMENT_MAX_BYTES = 16 * 1024 * 1024;
/** After a write failed, a fresh log is tried this often. */
export const RECOVERY_INTERVAL_MS = 30_000;
const DIR_MODE = 0o700;

export type { WriteFn } from "./segment-files.js";

export interface SegmentLogOptions {
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

export class SegmentLog {
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
    private readonly options: SegmentLogOptions,
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
  static async open(options: SegmentLogOptions): Promise<{ log: SegmentLog; replay: ReplayResult }> {
    mkdirSync(options.dir, { recursive: true, mode: DIR_MODE });
    const lock = await OutboxLock.acquire({
      dir: options.dir,
      logger: options.logger,
      ...(options.lockTiming === undefined ? {} : { timing: options.lockTiming }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    try {
      const log = new SegmentLog(options, lock);
      const replay = replaySegments(options.dir, options.logger, lock);
      log.adopt(replay);
      log.compact(replay.pending);
      return { log, replay };
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Takes over the replayed segments: compaction deletes them once their datums are rewritten. */
  private adopt(replay: ReplayResult): void {
    this.segmentIndex = Math.max(this.segmentIndex, replay.lastSegmentIndex);
    for (const name of replay.segments) this.owned.add(name);
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
    const { name, fd, bytes, count } = writeSnapshot(dir, nextIndex, pending, this.write);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = fd;
    this.segmentIndex = nextIndex;
    this.snapshotBytes = bytes;
    this.appendedBytes = 0;
    removeSegments(dir, this.owned);
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
    const removed = removeSegments(this.options.dir, this.owned);
    this.owned.clear();
    this.options.logger.error(
      `OUTBOX NOT DURABLE: writing to ${this.options.dir} failed (${errorText(error)}); undelivered datums are now kept in memory only and a crash would lose them. ${removed ? "The log there was removed" : "The log there could not be removed"} so that a restart does not send again what is delivered meanwhile; a fresh one is tried every ${RECOVERY_INTERVAL_MS / 1000} s and at shutdown`,
      { outboxDir: this.options.dir, error: error.code },
    );
  }
}
