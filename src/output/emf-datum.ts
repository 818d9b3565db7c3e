/**
 * What the EMF output writes: one datum of one series at one instant, holding a single value, an
 * aggregated Values (+ Counts) list, or a statistic set, as PutMetricData's MetricDatum does.
 * Today's publish Datum (`{ metric, value, timestamp }`) is one of these as it is.
 */
import type { StorageResolution, Unit } from "../cloudwatch/units.js";

export interface EmfSeries {
  readonly namespace: string;
  readonly name: string;
  readonly unit: Unit;
  readonly storageResolution: StorageResolution;
  readonly dimensions: readonly { readonly Name: string; readonly Value: string }[];
}

/** PutMetricData's StatisticSet. */
export interface StatisticSet {
  readonly SampleCount: number;
  readonly Sum: number;
  readonly Minimum: number;
  readonly Maximum: number;
}

export type EmfObservation =
  | { readonly value: number }
  | { readonly values: readonly number[]; readonly counts?: readonly number[] }
  | { readonly statisticValues: StatisticSet };

export type EmfDatum = {
  readonly metric: EmfSeries;
  /** The scheduled instant, ms since the epoch: `_aws.Timestamp`. */
  readonly timestamp: number;
} & EmfObservation;
