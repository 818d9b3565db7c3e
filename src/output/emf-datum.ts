/**
 * What the EMF output writes: one datum of one series at one instant, holding a single value, an
 * aggregated Values (+ Counts) list, or a statistic set, as PutMetricData's MetricDatum does.
 * Today's publish Datum (`{ metric, value, timestamp }`) is one of these as it is.
 */
import type { DatumPayload } from "../cloudwatch/datum.js";
import type { StorageResolution, Unit } from "../cloudwatch/units.js";

export interface EmfSeries {
  readonly namespace: string;
  readonly name: string;
  readonly unit: Unit;
  readonly storageResolution: StorageResolution;
  readonly dimensions: readonly { readonly Name: string; readonly Value: string }[];
}

/** PutMetricData's StatisticSet. */
/**
 * The observation of a datum: the neutral model's (cloudwatch/datum.ts DatumPayload) is one of these;
 * values may also come without counts (each read once).
 */
export type EmfObservation =
  | DatumPayload
  | {
      readonly value?: undefined;
      readonly values: readonly number[];
      readonly counts?: undefined;
      readonly statistics?: undefined;
    };

export type EmfDatum = {
  readonly metric: EmfSeries;
  /** The scheduled instant, ms since the epoch: `_aws.Timestamp`. */
  readonly timestamp: number;
} & EmfObservation;
