/** A failed read: counted, and logged as `metric "X": <why>`; a failure several reads shared, logged once. */
import type { Logger } from "../log.js";
import type { Stats } from "../pipeline/stats.js";
import { SharedSourceError } from "../sources/types.js";

export class ReadFailures {
  /** Failures already logged that other reads share (one scrape for several metrics). */
  private readonly said = new WeakSet<SharedSourceError>();

  constructor(
    private readonly logger: Logger,
    private readonly stats: Stats,
  ) {}

  failed(name: string, error: unknown): void {
    this.stats.readFailures++;
    if (error instanceof SharedSourceError) {
      if (this.said.has(error)) return;
      this.said.add(error);
    }
    this.logger.warn(`metric "${name}": ${error instanceof Error ? error.message : String(error)}`, {
      metric: name,
    });
  }
}
