/** One interface for every kind of source: the scheduler reads them all the same way. */
export interface ValueSource {
  /** Reads one value; rejects with a SourceError. Bounded by the caller's signal (the metric's timeout). */
  read(signal: AbortSignal): Promise<number>;
  /**
   * Present on sources that cannot block (constant, env): reads at once, throws a SourceError.
   * The scheduler calls it without a timer or an AbortSignal, which matters at thousands of reads a second.
   */
  readNow?(): number;
}

/** A failed read, with a reason written for the log line `metric "X": <reason>`. */
export class SourceError extends Error {
  override name = "SourceError";
}
