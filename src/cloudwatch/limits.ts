/**
 * PutMetricData's documented limits, in one place.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html
 */

/**
 * "Each request is also limited to no more than 1000 different metrics." "The limit of metrics allowed,
 * 1000, is the sum of both EntityMetricData and MetricData metrics."
 */
export const MAX_DATUMS_PER_REQUEST = 1000;
/** "You can include up to two EntityMetricData objects" per request; this program sends at most one. */
export const MAX_ENTITIES_PER_REQUEST = 2;
/** "Each PutMetricData request is limited to 1 MB in size for HTTP POST requests." (uncompressed body) */
export const MAX_REQUEST_BYTES = 1_000_000;
/**
 * "Using the Values and Counts method enables you to publish up to 150 values per metric with one
 * PutMetricData request" (API_PutMetricData.html); API_MetricDatum.html, Values: "You can include up
 * to 150 unique values in each PutMetricData action that specifies a Values array". Both speak of a
 * request, so the limit is read as per series per request, the stricter reading: partition.ts never
 * puts more than this many values of one series into one request, whatever the datums carrying them.
 */
export const MAX_VALUES_PER_SERIES_PER_REQUEST = 150;
/** "You can use up to 30 dimensions per metric." */
export const MAX_DIMENSIONS_PER_DATUM = 30;
/**
 * Namespace: length 1 to 255, pattern `[^:].*`; "You can use ASCII characters for the namespace,
 * except for control characters which are not supported"; "AWS/" is reserved (API_PutMetricData.html).
 */
export const MAX_NAMESPACE_LENGTH = 255;
export const RESERVED_NAMESPACE_PREFIX = "AWS/";
/** MetricName: length 1 to 255 (API_MetricDatum.html). */
export const MAX_METRIC_NAME_LENGTH = 255;
/**
 * Dimension Name: length 1 to 255; "must contain only ASCII characters, must include at least one
 * non-whitespace character, and cannot start with a colon (:). ASCII control characters are not
 * supported" (API_Dimension.html).
 */
export const MAX_DIMENSION_NAME_LENGTH = 255;
/**
 * Dimension Value: length 1 to 1024; "must contain only ASCII characters and must include at least
 * one non-whitespace character. ASCII control characters are not supported" (API_Dimension.html).
 */
export const MAX_DIMENSION_VALUE_LENGTH = 1024;
/**
 * Value: "CloudWatch rejects values that are either too small or too large. Values must be in the
 * range of -2^360 to 2^360. In addition, special values (for example, NaN, +Infinity, -Infinity)
 * are not supported" (API_MetricDatum.html, API_PutMetricData.html).
 */
export const MAX_VALUE_MAGNITUDE = 2 ** 360;
/**
 * The smallest magnitude other than 0: the reference gave the range in base 10 as "8.515920e-109
 * to 1.174271e+108 (Base 10) or 2e-360 to 2e360 (Base 2)" (PutMetricData, API version 2010-08-01,
 * as published until 2019: https://awsapichanges.info/archive/changes/b319e0-monitoring.html). Its
 * base-10 figure is the stricter of its two lower bounds, so that is the one checked; the upper
 * bound is today's 2^360 above.
 */
export const MIN_VALUE_MAGNITUDE = 8.51592e-109;
/** Timestamps may be up to two weeks in the past and up to two hours in the future. */
export const MAX_DATUM_AGE_MS = 14 * 24 * 60 * 60 * 1000;
export const MAX_DATUM_FUTURE_MS = 2 * 60 * 60 * 1000;
