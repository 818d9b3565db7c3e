/**
 * The Embedded Metric Format's documented limits, in one place.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */

/** MetricDirective.Metrics: "This array MUST NOT contain more than 100 MetricDefinition objects." */
export const MAX_METRICS_PER_DOCUMENT = 100;
/** Target members: "Numeric array metric targets MUST NOT have more than 100 members." */
export const MAX_VALUES_PER_METRIC = 100;
/** "A DimensionSet MUST NOT contain more than 30 dimension keys." */
export const MAX_DIMENSIONS_PER_SET = 30;
/** The specification's JSON schema: a DimensionReference is 1 to 250 characters (PutMetricData allows 255). */
export const MAX_EMF_DIMENSION_NAME_LENGTH = 250;
/**
 * "The embedded metric format is subject to the same limits as standard CloudWatch Logs events and
 * are limited to a maximum size of 1 MB." Log shippers may cut far shorter lines (Docker splits a
 * line at 16 KiB), so the encoder takes the budget as an option and this is only its ceiling.
 */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;
/**
 * EMF has no Counts: a Values+Counts datum is written as each value repeated `count` times, which
 * is exact (CloudWatch sees the same samples) but costs bytes. Past this many samples in one datum
 * (100 documents of 100 values) the datum is refused rather than written as hundreds of lines.
 */
export const MAX_EXPANDED_SAMPLES_PER_DATUM = 10_000;
/** The member of the root node that carries the metadata; no metric or dimension may be named so. */
export const METADATA_KEY = "_aws";
/**
 * The budget of one document written to stdout, line break included below 16 KiB. A container's
 * stdout reaches CloudWatch Logs through a log driver, and Docker's copier (and containerd's CRI
 * logger) cuts a line at 16 KiB into "partial" messages. The awslogs driver joins them again only in
 * its default blocking mode; with `mode: non-blocking` (common on ECS) each piece becomes its own log
 * event (moby/moby#34887, moby/moby#41794), and Fluent Bit joins them only with an explicit
 * `multiline` filter in `partial_message` mode. A cut document is not JSON and its metrics are lost
 * without a word, so stdout documents stay whole under every driver setting: at most 16,000 bytes.
 * A file is read by an agent that sees whole lines, so it gets the specification's 1 MB.
 */
export const MAX_STDOUT_DOCUMENT_BYTES = 16_000;
