/**
 * PutMetricData's documented limits, in one place.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html
 */

/** "Each request is also limited to no more than 1000 different metrics." */
export const MAX_DATUMS_PER_REQUEST = 1000;
/** "Each PutMetricData request is limited to 1 MB in size for HTTP POST requests." (uncompressed body) */
export const MAX_REQUEST_BYTES = 1_000_000;
/** "You can use up to 30 dimensions per metric." */
export const MAX_DIMENSIONS_PER_DATUM = 30;
/** Namespace: length 1 to 255; must not start with "AWS/" (reserved). */
export const MAX_NAMESPACE_LENGTH = 255;
export const RESERVED_NAMESPACE_PREFIX = "AWS/";
/** MetricName: length 1 to 255. */
export const MAX_METRIC_NAME_LENGTH = 255;
/** Dimension Name: length 1 to 255. */
export const MAX_DIMENSION_NAME_LENGTH = 255;
/** Dimension Value: length 1 to 1024. */
export const MAX_DIMENSION_VALUE_LENGTH = 1024;
/** "Values must be in the range of -2^360 to 2^360"; NaN and ±Infinity are rejected. */
export const MAX_VALUE_MAGNITUDE = 2 ** 360;
/** Timestamps may be up to two weeks in the past and up to two hours in the future. */
export const MAX_DATUM_AGE_MS = 14 * 24 * 60 * 60 * 1000;
export const MAX_DATUM_FUTURE_MS = 2 * 60 * 60 * 1000;
