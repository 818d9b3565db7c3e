import type { Baseline } from "../shaping/transform.js";

import type { Distribution } from "../cloudwatch/datum.js";

export type { Distribution };

/** One series' value; its dimensions are merged with the metric's own (e.g. `{ MountPath: "/" }`). */
export interface Sample<V extends number | Distribution = number | Distribution> {
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: V;
}

/** A series a read could not produce, with why (the pipeline logs it, naming the series, and counts it). */
export interface Skipped {
  readonly dimensions: Readonly<Record<string, string>>;
  readonly reason: string;
}

/**
 * A read of a source that yields several series (`system`: one per filesystem, interface, ...). A
 * counter's first read (and a new series' first sight) only sets its baseline: no sample, no skip.
 */
export interface SeriesReading<V extends number | Distribution = number | Distribution> {
  readonly samples: readonly Sample<V>[];
  readonly skipped: readonly Skipped[];
  /** Warnings the source says once (a label taking too many values), logged with the metric's name. */
  readonly notes?: readonly string[];
  /**
   * Series that published nothing because this read only set their baseline (a source that computes
   * increases itself: the prometheus source's first scrape). Counted as `baselines`, as transform's are.
   */
  readonly baselines?: number;
}

/** What a read gives: one number (the metric's one series), or the samples of several series. */
export type Reading = number | SeriesReading;

/** One interface for every kind of source: the scheduler reads them all the same way. */
export interface ValueSource {
  /**
   * Reads; rejects with a SourceError. Bounded by the caller's signal (the metric's timeout).
   * `scheduledAt`: the instant the read was scheduled for (ms since the epoch), which reads of one
   * tick share (the prometheus source shares one scrape between them, and computes rates with it);
   * absent, the read's own time.
   */
  read(signal: AbortSignal, scheduledAt?: number): Promise<Reading>;
  /**
   * Present on sources that cannot block (constant, env, most system metrics): reads at once, throws
   * a SourceError. The scheduler calls it without a timer or an AbortSignal, which matters at
   * thousands of reads a second.
   */
  readNow?(): Reading;
  /** Said once in the log when the pipeline starts (the system source's scope and why). */
  readonly startNote?: string;
}

/**
 * Where a source that computes increases itself keeps the baselines of what it reads: the pipeline's
 * counter baselines (shaping/counter-store.ts), saved with the outbox, so a restart loses no interval.
 * Keys are the source's own, already made unique to its metric.
 */
export interface CounterBaselines {
  get(key: string): Baseline | undefined;
  set(key: string, baseline: Baseline): void;
  delete(key: string): void;
}

/** CounterBaselines in memory only (tests, and the scrape command). */
export function memoryBaselines(): CounterBaselines {
  const map = new Map<string, Baseline>();
  return {
    get: (key) => map.get(key),
    set: (key, baseline) => void map.set(key, baseline),
    delete: (key) => void map.delete(key),
  };
}

/** A failed read, with a reason written for the log line `metric "X": <reason>`. */
export class SourceError extends Error {
  override name = "SourceError";
}

/**
 * One failure of something several reads shared (one scrape of an endpoint for several metrics): every
 * read rejects with the same object, each counts as a failed read, and the log says it once.
 */
export class SharedSourceError extends SourceError {
  override name = "SharedSourceError";
}

/**
 * The reason the scheduler gives when it aborts a read (`controller.abort(reason)`): the metric's
 * timeout ran out, or the process is shutting down. Sources word their failure after it.
 */
export class ReadAborted extends Error {
  override name = "ReadAborted";
  constructor(readonly why: "timeout" | "shutdown") {
    super(why === "shutdown" ? "the read was cut short by the shutdown" : "the read timed out");
  }
}

/** "timed out", or "was cut short by the shutdown": what happened to a read whose signal aborted. */
export function abortedWording(signal: AbortSignal): string {
  return signal.reason instanceof ReadAborted && signal.reason.why === "shutdown"
    ? "was cut short by the shutdown"
    : "timed out";
}
