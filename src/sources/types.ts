/** One series' value; its dimensions are merged with the metric's own (e.g. `{ MountPath: "/" }`). */
export interface Sample {
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
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
export interface SeriesReading {
  readonly samples: readonly Sample[];
  readonly skipped: readonly Skipped[];
}

/** What a read gives: one number (the metric's one series), or the samples of several series. */
export type Reading = number | SeriesReading;

/** One interface for every kind of source: the scheduler reads them all the same way. */
export interface ValueSource {
  /** Reads; rejects with a SourceError. Bounded by the caller's signal (the metric's timeout). */
  read(signal: AbortSignal): Promise<Reading>;
  /**
   * Present on sources that cannot block (constant, env, most system metrics): reads at once, throws
   * a SourceError. The scheduler calls it without a timer or an AbortSignal, which matters at
   * thousands of reads a second.
   */
  readNow?(): Reading;
  /** Said once in the log when the pipeline starts (the system source's scope and why). */
  readonly startNote?: string;
}

/** A failed read, with a reason written for the log line `metric "X": <reason>`. */
export class SourceError extends Error {
  override name = "SourceError";
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
