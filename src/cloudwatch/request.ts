/** PutMetricData input shaping: a batch of datums → the input the SDK sends (and a dry run prints). */
import type { Entity, MetricDatum, PutMetricDataCommandInput } from "@aws-sdk/client-cloudwatch";
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

/**
 * With an entity, every datum goes in the one EntityMetricData (its datums count towards the same
 * MAX_DATUMS_PER_REQUEST, so batching is unchanged), and StrictEntityValidation is false: an entity
 * CloudWatch refuses only loses the link, never the data.
 */
export function toPutMetricDataInput(
  namespace: string,
  datums: readonly Datum[],
  entity?: Entity,
): PutMetricDataCommandInput {
  const data = datums.map(toMetricDatum);
  if (entity === undefined) return { Namespace: namespace, MetricData: data };
  return {
    Namespace: namespace,
    EntityMetricData: [{ Entity: entity, MetricData: data }],
    StrictEntityValidation: false,
  };
}
