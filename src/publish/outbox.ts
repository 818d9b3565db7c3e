/**
 * Every datum collected and not yet delivered, oldest first, bounded. A datum stays here from the
 * moment it is collected until CloudWatch accepts it or it is dropped with a logged, counted reason
 * (invalid, expired, overflow, lost at shutdown). With a directory it is also on disk (OutboxLog),
 * so a crash or restart replays it.
 */
import type { Logger } from "../log.js";
import { plural } from "../plural.js";
import type { DropReason, Stats } from "../stats.js";
import type { Datum } from "./datum.js";
import { MAX_DATUM_AGE_MS, MAX_DATUMS_PER_REQUEST } from "./limits.js";
import type { OutboxLog } from "./outbox-log.js";

/** Datums are given up this long before CloudWatch would refuse them as too old. */
export const EXPIRY_MARGIN_MS = 15 * 60 * 1000;
/** Repeated drop warnings of one kind are logged at most this often (each drop is still counted). */
export const DROP_LOG_INTERVAL_MS = 60_000;

export type EntryState = "queued" | "sending" | "waiting";

/**
 * A datum in the outbox. It is the Datum itself, with its place and state added, so that each
 * collected value costs one object, not two (at 10,000 a second the garbage collector notices).
 */
export interface OutboxEntry extends Datum {
  /** Assigned by Outbox.add. */
  seq: number;
  state: EntryState;
}

/** A new entry for a collected value, to be checked and then handed to Outbox.add. */
export function newEntry(metric: Datum["metric"], value: number, timestamp: number): OutboxEntry {
  return { metric, value, timestamp, seq: 0, state: "queued" };
}

export interface OutboxOptions {
  readonly maxBufferedDatums: number;
  readonly log: OutboxLog | undefined;
  readonly stats: Stats;
  readonly logger: Logger;
  readonly now: () => number;
}

export class Outbox {
  private readonly entries = new Map<number, OutboxEntry>();
  private nextSeq = 1;
  private waitingCount = 0;
  private readonly lastDropLog = new Map<DropReason, number>();

  constructor(private readonly options: OutboxOptions) {}

  /** Takes in datums replayed from disk, waiting to be sent. */
  restore(replayed: readonly { seq: number; datum: Datum }[]): void {
    for (const { seq, datum } of replayed) {
      this.entries.set(seq, {
        metric: datum.metric,
        value: datum.value,
        timestamp: datum.timestamp,
        seq,
        state: "waiting",
      });
      this.waitingCount++;
      this.nextSeq = Math.max(this.nextSeq, seq + 1);
    }
  }

  /** Records a collected datum (on disk first, when durable); gives it its sequence number. */
  add(entry: OutboxEntry): OutboxEntry {
    if (this.entries.size >= this.options.maxBufferedDatums) this.evictOldest();
    entry.seq = this.nextSeq++;
    entry.state = "queued";
    this.entries.set(entry.seq, entry);
    this.options.log?.appendDatum(entry.seq, entry);
    return entry;
  }

  /** CloudWatch accepted these. */
  delivered(entries: readonly OutboxEntry[]): void {
    this.remove(entries);
  }

  /** These are given up, for a reason already logged; they are counted here. */
  drop(entries: readonly OutboxEntry[], reason: DropReason): void {
    const removed = this.remove(entries);
    this.options.stats.drop(reason, removed);
  }

  /** These failed to send and wait for the next retry. */
  wait(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) {
      if (this.entries.get(entry.seq) !== entry || entry.state === "waiting") continue;
      entry.state = "waiting";
      this.waitingCount++;
    }
  }

  get depth(): number {
    return this.entries.size;
  }

  get waiting(): number {
    return this.waitingCount;
  }

  /** The timestamp of the oldest undelivered datum, or undefined when there is none. */
  oldestTimestamp(): number | undefined {
    for (const entry of this.entries.values()) return entry.timestamp;
    return undefined;
  }

  /**
   * The oldest waiting datums, grouped into at most `maxBatches` batches of one namespace each
   * (up to 1000 datums), marked as sending.
   */
  takeWaiting(maxBatches: number): OutboxEntry[][] {
    const batches = new Map<string, OutboxEntry[][]>();
    let full = 0;
    let open = 0;
    for (const entry of this.entries.values()) {
      if (this.waitingCount === 0 || full >= maxBatches) break;
      if (entry.state !== "waiting") continue;
      const namespace = entry.metric.namespace;
      let list = batches.get(namespace);
      if (list === undefined) {
        if (open >= maxBatches) continue;
        list = [[]];
        batches.set(namespace, list);
        open++;
      }
      let current = list.at(-1)!;
      if (current.length >= MAX_DATUMS_PER_REQUEST) {
        if (open >= maxBatches) continue;
        current = [];
        list.push(current);
        open++;
      }
      current.push(entry);
      entry.state = "sending";
      this.waitingCount--;
      if (current.length === MAX_DATUMS_PER_REQUEST) full++;
    }
    return [...batches.values()].flat().filter((batch) => batch.length > 0);
  }

  /** Drops datums about to become older than CloudWatch accepts; returns how many. */
  expire(): number {
    const limit = this.options.now() - (MAX_DATUM_AGE_MS - EXPIRY_MARGIN_MS);
    const expired: OutboxEntry[] = [];
    // Entries are in collection order and timestamps follow it, so the old ones are at the front.
    for (const entry of this.entries.values()) {
      if (entry.timestamp >= limit) break;
      if (entry.state !== "sending") expired.push(entry);
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

  /** Writes what is buffered for the disk; called before each send. */
  persist(): void {
    this.options.log?.flush();
    if (this.options.log?.wantsCompaction === true)
      this.options.log.compact([...this.entries.values()].map((entry) => ({ seq: entry.seq, datum: entry })));
  }

  close(): void {
    this.options.log?.close();
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
      if (entry.state === "waiting") this.waitingCount--;
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
