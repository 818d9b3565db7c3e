/**
 * A checker of Embedded Metric Format documents, written from the published specification and its
 * JSON schema, not from our encoder:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 * (read in its current version: DimensionSet up to 30 keys, StorageResolution, 1 MB events).
 * Every rule below quotes or names the sentence it comes from. It deliberately shares no constant
 * with src/output/, so a mistake there cannot hide here.
 */

/** "limited to a maximum size of 1 MB" (the same limit as a CloudWatch Logs event). */
const MAX_EVENT_BYTES = 1024 * 1024;
/** MetricDirective.Metrics: "MUST NOT contain more than 100 MetricDefinition objects". */
const MAX_DEFINITIONS = 100;
/** DimensionSet: "MUST NOT contain more than 30 dimension keys". */
const MAX_DIMENSION_KEYS = 30;
/** Dimension target: "This value MUST NOT contain more than 1024 characters." */
const MAX_DIMENSION_VALUE_CHARS = 1024;
/** Metric target: "Numeric array metric targets MUST NOT have more than 100 members." */
const MAX_ARRAY_MEMBERS = 100;
/** The schema's lengths: Namespace 1..1024, MetricDefinition.Name 1..1024, DimensionReference 1..250. */
const NAMESPACE_CHARS = [1, 1024] as const;
const METRIC_NAME_CHARS = [1, 1024] as const;
const DIMENSION_REFERENCE_CHARS = [1, 250] as const;
/** The schema's MetricUnit pattern, spelled out. */
const UNITS = new Set(
  (
    "Seconds|Microseconds|Milliseconds|Bytes|Kilobytes|Megabytes|Gigabytes|Terabytes|Bits|Kilobits|" +
    "Megabits|Gigabits|Terabits|Percent|Count|Bytes/Second|Kilobytes/Second|Megabytes/Second|" +
    "Gigabytes/Second|Terabytes/Second|Bits/Second|Kilobits/Second|Megabits/Second|Gigabits/Second|" +
    "Terabits/Second|Count/Second|None"
  ).split("|"),
);
/** StorageResolution: "Values SHOULD be valid CloudWatch supported resolutions, 1 or 60." */
const RESOLUTIONS = new Set([1, 60]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** "Unless otherwise noted, objects defined by this specification MUST NOT contain any additional members." */
function extraMembers(where: string, value: Record<string, Json>, allowed: readonly string[]): string[] {
  return Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => `${where}: member ${JSON.stringify(key)} is not defined by the specification`);
}

function lengthProblem(where: string, value: unknown, [min, max]: readonly [number, number]): string[] {
  if (typeof value !== "string") return [`${where}: must be a string`];
  if (value.length < min || value.length > max) return [`${where}: must be ${min} to ${max} characters`];
  return [];
}

function checkDefinition(where: string, definition: unknown, root: Record<string, Json>): string[] {
  if (!isObject(definition)) return [`${where}: a MetricDefinition must be an object`];
  const problems = extraMembers(where, definition, ["Name", "Unit", "StorageResolution"]);
  problems.push(...lengthProblem(`${where}.Name`, definition.Name, METRIC_NAME_CHARS));
  if (definition.Unit !== undefined && !UNITS.has(definition.Unit as string)) {
    problems.push(`${where}.Unit: ${JSON.stringify(definition.Unit)} is not a CloudWatch unit`);
  }
  const resolution = definition.StorageResolution;
  if (resolution !== undefined && !(Number.isInteger(resolution) && RESOLUTIONS.has(resolution as number))) {
    problems.push(`${where}.StorageResolution: must be the integer 1 or 60`);
  }
  if (typeof definition.Name !== "string") return problems;
  // "Metric targets MUST be either a numeric value or an array of numeric values."
  const target = root[definition.Name];
  const at = `root member ${JSON.stringify(definition.Name)}`;
  if (target === undefined) problems.push(`${at}: the metric target is missing`);
  else if (Array.isArray(target)) {
    if (target.some((v) => typeof v !== "number")) problems.push(`${at}: the array holds a non-number`);
    if (target.length > MAX_ARRAY_MEMBERS) {
      problems.push(`${at}: the array has ${target.length} members; at most ${MAX_ARRAY_MEMBERS}`);
    }
  } else if (typeof target !== "number") problems.push(`${at}: a metric target must be a number or an array`);
  return problems;
}

function checkDimensionSet(where: string, set: unknown, root: Record<string, Json>): string[] {
  if (!Array.isArray(set)) return [`${where}: a DimensionSet must be an array`];
  const problems: string[] = [];
  if (set.length > MAX_DIMENSION_KEYS) {
    problems.push(`${where}: ${set.length} dimension keys; at most ${MAX_DIMENSION_KEYS}`);
  }
  for (const [i, key] of set.entries()) {
    const keyProblems = lengthProblem(`${where}[${i}]`, key, DIMENSION_REFERENCE_CHARS);
    problems.push(...keyProblems);
    if (keyProblems.length > 0) continue;
    // "The values within this array MUST also be members on the root-node"; "MUST have a string value".
    const target = root[key as string];
    const at = `root member ${JSON.stringify(key)}`;
    if (target === undefined) problems.push(`${at}: the dimension target is missing`);
    else if (typeof target !== "string") problems.push(`${at}: a dimension target must be a string`);
    else if (target.length > MAX_DIMENSION_VALUE_CHARS) {
      problems.push(`${at}: more than ${MAX_DIMENSION_VALUE_CHARS} characters`);
    }
  }
  return problems;
}

function checkDirective(where: string, directive: unknown, root: Record<string, Json>): string[] {
  if (!isObject(directive)) return [`${where}: a MetricDirective must be an object`];
  const problems = extraMembers(where, directive, ["Namespace", "Dimensions", "Metrics"]);
  problems.push(...lengthProblem(`${where}.Namespace`, directive.Namespace, NAMESPACE_CHARS));
  const { Dimensions: dimensions, Metrics: metrics } = directive;
  // The schema: Dimensions is an array of at least one DimensionSet ("A DimensionSet MAY be empty").
  if (!Array.isArray(dimensions) || dimensions.length === 0) {
    problems.push(`${where}.Dimensions: must be an array of at least one DimensionSet`);
  } else {
    dimensions.forEach((set, i) =>
      problems.push(...checkDimensionSet(`${where}.Dimensions[${i}]`, set, root)),
    );
  }
  if (!Array.isArray(metrics)) problems.push(`${where}.Metrics: must be an array`);
  else {
    if (metrics.length > MAX_DEFINITIONS) {
      problems.push(`${where}.Metrics: ${metrics.length} MetricDefinitions; at most ${MAX_DEFINITIONS}`);
    }
    metrics.forEach((d, i) => problems.push(...checkDefinition(`${where}.Metrics[${i}]`, d, root)));
  }
  return problems;
}

/**
 * Every way `line` breaks the specification; [] when it is a valid EMF document. One line is one
 * LogEvent message: "a valid JSON object with no additional data at the beginning or end".
 */
export function emfSpecProblems(line: string): string[] {
  if (line.includes("\n")) return ["the document spans more than one line"];
  if (Buffer.byteLength(line) > MAX_EVENT_BYTES)
    return [`the document is larger than ${MAX_EVENT_BYTES} bytes`];
  let root: unknown;
  try {
    root = JSON.parse(line);
  } catch (error) {
    return [`not JSON: ${(error as Error).message}`];
  }
  if (!isObject(root)) return ["the root node must be a JSON object"];
  // "Embedded metric format documents MUST contain the following top-level member on the root node": _aws.
  const metadata = root._aws;
  if (!isObject(metadata)) return ["_aws: the metadata member must be an object"];
  const problems = extraMembers("_aws", metadata, ["CloudWatchMetrics", "Timestamp"]);
  // "Values MUST be expressed as the number of milliseconds after Jan 1, 1970"; the schema: integer, required.
  const timestamp = metadata.Timestamp;
  if (!Number.isInteger(timestamp) || (timestamp as number) < 0) {
    problems.push("_aws.Timestamp: must be an integer count of milliseconds since the epoch");
  }
  const directives = metadata.CloudWatchMetrics;
  if (!Array.isArray(directives))
    problems.push("_aws.CloudWatchMetrics: must be an array of MetricDirectives");
  else {
    directives.forEach((d, i) => problems.push(...checkDirective(`_aws.CloudWatchMetrics[${i}]`, d, root)));
  }
  return problems;
}

/** Asserts one EMF document per line; returns the parsed documents for further checks. */
export function parseEmfLines(text: string): Record<string, unknown>[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((line, i) => {
    const problems = emfSpecProblems(line);
    if (problems.length > 0)
      throw new Error(`line ${i + 1} is not valid EMF: ${problems.join("; ")}\n${line}`);
    return JSON.parse(line) as Record<string, unknown>;
  });
}
