/** PutMetricData input shaping: a batch of datums → the input the SDK sends (and a dry run prints). */
import type { MetricDatum, PutMetricDataCommandInput } from "@aws-sdk/client-cloudwatch";
import type { Datum } from "./datum.js";

export function toMetricDatum(datum: Datum): MetricDatum {
  const { metric } = datum;
  return {
    MetricName: metric.name,
    Dimensions: metric.dimensions.length === 0 ? undefined : (metric.dimensions as MetricDatum["Dimensions"]),
    Timestamp: new Date(datum.timestamp),
    Value: datum.value,
    Values: datum.values === undefined ? undefined : [...datum.values],
    Counts: datum.values === undefined ? undefined : [...datum.counts],
    StatisticValues: datum.statistics === undefined ? undefined : { ...datum.statistics },
    Unit: metric.unit,
    StorageResolution: metric.storageResolution,
  };
}

export function toPutMetricDataInput(namespace: string, datums: readonly Datum[]): PutMetricDataCommandInput {
  return { Namespace: namespace, MetricData: datums.map(toMetricDatum) };
}
