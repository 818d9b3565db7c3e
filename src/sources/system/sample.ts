/** What a read of a system metric yields: the multi-series reading every source may give. */
import type { Sample as AnySample, SeriesReading } from "../types.js";

export type { Skipped } from "../types.js";
/** System metrics are numbers: no histograms. */
export type Sample = AnySample<number>;
export type SystemReading = SeriesReading<number>;

/** One sample without dimensions: the metrics that describe the whole host or container. */
export function single(value: number): SystemReading {
  return { samples: [{ dimensions: {}, value }], skipped: [] };
}
