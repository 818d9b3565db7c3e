/**
 * Every datum collected and not yet delivered, oldest first, bounded. A datum stays here from the
 * moment it is collected until CloudWatch accepts it or it is dropped with a logged, counted reason
 * (invalid, expired, overflow, lost at shutdown). With a directory it is also on disk (SegmentLog),
 * so a crash or restart replays it.
 */
import type { Logger } from "../../log.js";
import { plural } from "../../common/plural.js";
import type { DropReason, Stats } from "../../pipeline/stats.js";
import type { Datum } from "../../cloudwatch/datum.js";
import { MAX_DATUM_AGE_MS } from "../../cloudwatch/limits.js";
import type { SegmentLog } from "./segment-log.js";
import { partition, type Request } from "../partition.js";

/** Datums are given up this long before CloudWatch would refuse them as too old. */
export const EXPIRY_MARGIN_MS = 15 * 60 * 1000;
/** Repeated drop warnings of one kind are logged at most this often (each drop is still counted). */
export const DROP_LOG_INTERVAL_MS = 60_000;

/**
 * pending: collected, in its first batch (being cut or sent for the first time);
 * awaitingRetry: a send failed (or it was replayed from disk): the backlog sends it again;
 * inFlight: taken from the backlog and being sent again.
 */
export type EntryState = "pending" | "inFlight" | "awaitingRetry";

/**
 * A datum in the outbox. It is the Datum itself, with its place and state added, so that each
 * collected value costs one object, not two (at 10,000 a second the garbage collector notices).
 */
export type OutboxEntry = Datum & {
  /** Assigned by Outbox.add. */
  seq: number;
  state: EntryState;
};

/** A new entry for a collected value, to be checked and then handed to Outbox.add. */
export function newEntry(metric: Datum["metric"], value: number, timestamp: number): OutboxEntry {
  return { metric, value, timestamp, seq: 0, state: "pending" };
}

/** A new entry for any datum (Values + Counts or StatisticValues included). */
export function entryOf(datum: Datum): OutboxEntry {
  return { ...datum, seq: 0, state: "pending" };
}

export interface OutboxOptions {
  readonly maxBufferedDatums: number;
  readonly log: SegmentLog | undefined;
  readonly stats: Stats;
  readonly logger: Logger;
  readonly now: () => number;
}

export class Outbox {
  private readonly entries = new Map<number, OutboxEntry>();
  private nextSeq = 1;
  private retryCount = 0;
  /** Datums with sequence numbers up to this one were replayed from disk. */
  private lastReplayedSeq = 0;
  private readonly lastDropLog = new Map<DropReason, number>();

  constructor(private readonly options: OutboxOptions) {}

  /** Takes in the entries replayed from disk (oldest first), waiting to be sent. */
  restore(replayed: readonly OutboxEntry[]): void {
    for (const entry of replayed) {
      entry.state = "awaitingRetry";
      this.entries.set(entry.seq, entry);
      this.retryCount++;
      this.nextSeq = Math.max(this.nextSeq, entry.seq + 1);
    }
    this.lastReplayedSeq = this.nextSeq - 1;
  }

  /**
   * Records a collected datum and gives it its sequence number. With a directory, its record is
   * buffered now and written (and fsynced, with `delivery.fsync`) in one write with the rest of the
   * tick's records, at the end of the current tick or by persist() before a send, whichever comes
   * first: it is on disk before any request carries it, but not yet when add() returns.
   */
  add(entry: OutboxEntry): OutboxEntry {
    if (this.entries.size >= this.options.maxBufferedDatums) this.evictOldest();
    entry.seq = this.nextSeq++;
    entry.state = "pending";
    this.entries.set(entry.seq, entry);
    this.options.log?.appendDatum(entry.seq, entry);
    return entry;
  }

  /** CloudWatch accepted these; they are counted here (those replayed from disk also apart). */
  delivered(entries: readonly OutboxEntry[]): void {
    const stats = this.options.stats;
    for (const entry of entries)
      if (entry.seq <= this.lastReplayedSeq && this.entries.get(entry.seq) === entry)
        stats.replayedPublished++;
    stats.published += this.remove(entries);
  }

  /** These are given up, for a reason already logged; they are counted here. */
  drop(entries: readonly OutboxEntry[], reason: DropReason): void {
    const removed = this.remove(entries);
    this.options.stats.drop(reason, removed);
  }

  /** These failed to send: the backlog sends them again (oldest first) at the next retry. */
  markForRetry(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) {
      if (this.entries.get(entry.seq) !== entry || entry.state === "awaitingRetry") continue;
      entry.state = "awaitingRetry";
      this.retryCount++;
    }
  }

  get depth(): number {
    return this.entries.size;
  }

  /** Datums marked for retry (or replayed from disk) and not yet taken again. */
  get awaitingRetry(): number {
    return this.retryCount;
  }

  /** The timestamp of the oldest undelivered datum, or undefined when there is none. */
  oldestTimestamp(): number | undefined {
    for (const entry of this.entries.values()) return entry.timestamp;
    return undefined;
  }

  /**
   * The oldest datums awaiting retry, cut into at most `maxRequests` requests by the one batching rule,
   * marked as in flight.
   */
  takeForRetry(maxRequests: number): Request<OutboxEntry>[] {
    if (this.retryCount === 0) return [];
    const requests = partition(this.entriesAwaitingRetry(), maxRequests);
    for (const request of requests)
      for (const entry of request.entries) {
        entry.state = "inFlight";
        this.retryCount--;
      }
    return requests;
  }

  /** Drops datums about to become older than CloudWatch accepts; returns how many. */
  expire(): number {
    const limit = this.options.now() - (MAX_DATUM_AGE_MS - EXPIRY_MARGIN_MS);
    const expired: OutboxEntry[] = [];
    // Entries are in collection order and timestamps follow it, so the old ones are at the front.
    for (const entry of this.entries.values()) {
      if (entry.timestamp >= limit) break;
      if (entry.state !== "inFlight") expired.push(entry);
    }
    if (expired.length > 0) {
      this.logDrop(
        "expired",
        `dropped ${plural(expired.length, "undelivered datum")} older than CloudWatch accepts (2 weeks)`,
      );
      this.drop(expired, "expired");
    }
    return expired.length;
  }

  /**
   * Writes what is buffered for the disk; called before each send. Compacts the log when it has
   * grown, and after a failed write tries a fresh one now and then (at once when `final`).
   */
  persist(final = false): void {
    const log = this.options.log;
    if (log === undefined) return;
    log.flush();
    if (log.wantsRecovery(final)) log.recover(this.entries.values());
    else if (log.wantsCompaction) log.compact(this.entries.values());
  }

  close(): void {
    this.options.log?.close();
  }

  private *entriesAwaitingRetry(): Generator<OutboxEntry> {
    let left = this.retryCount;
    for (const entry of this.entries.values()) {
      if (left === 0) return;
      if (entry.state !== "awaitingRetry") continue;
      left--;
      yield entry;
    }
  }

  private evictOldest(): void {
    const oldest = this.entries.values().next().value;
    if (oldest === undefined) return;
    this.logDrop(
      "overflow",
      `outbox full (${this.options.maxBufferedDatums} datums, delivery.maxBufferedDatums): dropping the oldest undelivered datums`,
    );
    this.drop([oldest], "overflow");
  }

  private remove(entries: readonly OutboxEntry[]): number {
    const log = this.options.log;
    const seqs: number[] | undefined = log === undefined ? undefined : [];
    let removed = 0;
    for (const entry of entries) {
      if (this.entries.get(entry.seq) !== entry) continue;
      if (entry.state === "awaitingRetry") this.retryCount--;
      this.entries.delete(entry.seq);
      seqs?.push(entry.seq);
      removed++;
    }
    if (seqs !== undefined) log?.acknowledge(seqs);
    return removed;
  }

  private logDrop(reason: DropReason, message: string): void {
    const now = this.options.now();
    const last = this.lastDropLog.get(reason);
    if (last !== undefined && now - last < DROP_LOG_INTERVAL_MS) return;
    this.lastDropLog.set(reason, now);
    this.options.logger.error(message, { reason, droppedSoFar: this.options.stats.dropped[reason] + 1 });
  }
}
