/**
 * The one rule for names EMF cannot carry, used by validate-config (with `output: emf`) and by the
 * encoder at run time: a metric and its dimensions are all members of one root node, beside `_aws`.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import { MAX_EMF_DIMENSION_NAME_LENGTH, METADATA_KEY } from "./emf-limits.js";

const json = (value: unknown): string => JSON.stringify(value);

/** Why a metric of this name with these dimension names cannot be written as EMF, or undefined. */
export function emfSeriesProblem(name: string, dimensionNames: readonly string[]): string | undefined {
  if (name === METADATA_KEY) return `is named ${json(METADATA_KEY)}, the key EMF keeps for its metadata`;
  for (const dimension of dimensionNames) {
    if (dimension === METADATA_KEY)
      return `has a dimension named ${json(METADATA_KEY)}, the key EMF keeps for its metadata`;
    if (dimension === name) {
      return `has a dimension of its own name (${json(dimension)}); in EMF both would be the same member of the document`;
    }
    if (dimension.length > MAX_EMF_DIMENSION_NAME_LENGTH) {
      return `has a dimension name of ${dimension.length} characters; EMF allows at most ${MAX_EMF_DIMENSION_NAME_LENGTH}`;
    }
  }
  return undefined;
}
