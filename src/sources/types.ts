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
