/** What a read of a system metric yields: one value per series, and the series it could not read. */

/** One series' value; its dimensions are merged with the metric's own (e.g. `{ MountPath: "/" }`). */
export interface Sample {
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A series this read could not produce, with why (the pipeline logs it and counts the drop). */
export interface Skipped {
  readonly dimensions: Readonly<Record<string, string>>;
  readonly reason: string;
}

/**
 * The outcome of one read. A counter metric's first read (and a new series' first sight) only sets
 * the baseline, so it yields no sample for that series and no skip either: nothing was lost.
 */
export interface SystemReading {
  readonly samples: readonly Sample[];
  readonly skipped: readonly Skipped[];
}

/** One sample without dimensions: the metrics that describe the whole host or container. */
export function single(value: number): SystemReading {
  return { samples: [{ dimensions: {}, value }], skipped: [] };
}
