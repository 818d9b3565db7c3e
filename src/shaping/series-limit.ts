/**
 * `limits.maxSeries`: the most distinct series a config may publish. Checked statically by
 * `validate-config` (seriesLimitProblem) and at run time for sources that discover series as they
 * read (SeriesLimit): a new series past the limit is refused, once logged, always counted.
 */

/**
 * How many refused series are logged, each once. Past it, refusals are still counted but no longer
 * logged one by one (`logOnce` false; the last logged line says so), so a source inventing a new
 * series per read neither floods the log nor grows this memory.
 */
export const MAX_REMEMBERED_REFUSALS = 20;

export type Admission =
  | { readonly admitted: true }
  /** `logOnce`: the first refusal of this series, to be logged; every refusal is to be counted. */
  | { readonly admitted: false; readonly logOnce: boolean; readonly reason: string };

export class SeriesLimit {
  private readonly admittedKeys = new Set<string>();
  private readonly refusedKeys = new Set<string>();
  private refusals = 0;

  constructor(readonly maxSeries: number) {}

  /** Admits a series already admitted, or a new one while fewer than maxSeries are. */
  admit(key: string): Admission {
    if (this.admittedKeys.has(key)) return { admitted: true };
    if (this.admittedKeys.size < this.maxSeries) {
      this.admittedKeys.add(key);
      return { admitted: true };
    }
    this.refusals++;
    let logOnce = false;
    if (!this.refusedKeys.has(key) && this.refusedKeys.size < MAX_REMEMBERED_REFUSALS) {
      this.refusedKeys.add(key);
      logOnce = true;
    }
    const last =
      logOnce && this.refusedKeys.size === MAX_REMEMBERED_REFUSALS
        ? `; further new series past the limit are dropped and counted (dropped.seriesLimit), not logged one by one`
        : "";
    return {
      admitted: false,
      logOnce,
      reason: `a new series past limits.maxSeries (${this.maxSeries} series ${this.maxSeries === 1 ? "is" : "are"} published already); its datums are dropped${last}`,
    };
  }

  /** Distinct series admitted so far. */
  get size(): number {
    return this.admittedKeys.size;
  }

  /** Datums refused so far (every refusal, not only the logged ones). */
  get refused(): number {
    return this.refusals;
  }
}

/** How many series one part of a config publishes (a metric, rollups included), for the static check. */
export interface SeriesContribution {
  readonly label: string;
  readonly series: number;
}

/** How many contributors the static check names. */
export const LARGEST_CONTRIBUTORS_NAMED = 3;

/** Why the config publishes more series than maxSeries (naming the count and the largest contributors), or undefined. */
export function seriesLimitProblem(
  contributions: readonly SeriesContribution[],
  maxSeries: number,
  /** The distinct series in all (rollups of several metrics may share one); the sum by default. */
  total = contributions.reduce((n, c) => n + c.series, 0),
): string | undefined {
  if (total <= maxSeries) return undefined;
  const largest = [...contributions]
    .sort((a, b) => b.series - a.series || (a.label < b.label ? -1 : 1))
    .slice(0, LARGEST_CONTRIBUTORS_NAMED)
    .map((c) => `${c.label} (${c.series})`);
  return `the config publishes ${total} distinct series, more than limits.maxSeries (${maxSeries}); the largest: ${largest.join(", ")}`;
}
