/** What a read of a system metric yields: the multi-series reading every source may give. */
import type { SeriesReading } from "../types.js";

export type { Sample, Skipped } from "../types.js";
export type SystemReading = SeriesReading;

/** One sample without dimensions: the metrics that describe the whole host or container. */
export function single(value: number): SystemReading {
  return { samples: [{ dimensions: {}, value }], skipped: [] };
}
