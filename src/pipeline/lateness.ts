/**
 * How late reads start against their scheduled instants: a fixed histogram of 1 ms buckets up to
 * 10 s (later reads share the last bucket), so recording costs an increment and no allocation.
 */
export const LATENESS_BUCKETS = 10_000;

export type LatenessSummary = { count: number; p50: number; p99: number; max: number };

export class LatenessHistogram {
  private readonly counts = new Uint32Array(LATENESS_BUCKETS + 1);
  private total = 0;
  private maxMs = 0;

  /** Records `count` reads that started `ms` late. */
  record(ms: number, count = 1): void {
    const bucket = ms <= 0 ? 0 : Math.min(Math.floor(ms), LATENESS_BUCKETS);
    this.counts[bucket]! += count;
    this.total += count;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** The q-quantile in whole milliseconds (the upper edge of its bucket), 0 with no records. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.ceil(q * this.total);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return i;
    }
    return LATENESS_BUCKETS;
  }

  summary(): LatenessSummary {
    return {
      count: this.total,
      p50: this.quantile(0.5),
      p99: this.quantile(0.99),
      max: Math.round(this.maxMs),
    };
  }
}
