/** The identity of a CloudWatch series as one string: the key of every per-series map in shaping. */

/** A series as CloudWatch tells series apart: namespace, metric name and the set of dimensions. */
export interface SeriesIdentity {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: readonly { readonly Name: string; readonly Value: string }[];
}

/**
 * The same string for the same series whatever the order its dimensions were listed in; unit and
 * storage resolution are not part of it, as they are not part of a CloudWatch series either.
 */
export function seriesKey(series: SeriesIdentity): string {
  const dimensions = series.dimensions
    .map((d) => [d.Name, d.Value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([series.namespace, series.name, dimensions]);
}
