/**
 * CloudWatch's rules for what PutMetricData accepts, one function per field, each returning why a
 * value breaks them (a phrase that follows the field's name) or undefined. `validate-config` and the
 * run-time datum checks both call these, so the two can never disagree. The limits and the pages
 * that state them are in limits.ts.
 */
import {
  MAX_DIMENSION_NAME_LENGTH,
  MAX_DIMENSION_VALUE_LENGTH,
  MAX_METRIC_NAME_LENGTH,
  MAX_NAMESPACE_LENGTH,
  MAX_VALUE_MAGNITUDE,
  MIN_VALUE_MAGNITUDE,
  RESERVED_NAMESPACE_PREFIX,
} from "./limits.js";

const NOT_PRINTABLE_ASCII = /[^\x20-\x7E]/u;
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const CONTROL = /[\x00-\x1F\x7F-\x9F]/u;

function codePoint(text: string, index: number): string {
  const point = text.codePointAt(index)!;
  const name = `U+${point.toString(16).toUpperCase().padStart(4, "0")}`;
  return CONTROL.test(String.fromCodePoint(point)) ? `the control character ${name}` : name;
}

function lengthProblem(text: string, max: number): string | undefined {
  if (text.length === 0) return "must not be empty";
  if (text.length > max) return `must be at most ${max} characters (got ${text.length})`;
  if (text.trim() === "") return "must not be blank (it needs a character other than whitespace)";
  return undefined;
}

function asciiProblem(text: string): string | undefined {
  const found = NOT_PRINTABLE_ASCII.exec(text);
  if (found === null) return undefined;
  return `must contain only printable ASCII characters (found ${codePoint(text, found.index)} at character ${found.index + 1})`;
}

export function namespaceProblem(namespace: string): string | undefined {
  const problem = lengthProblem(namespace, MAX_NAMESPACE_LENGTH) ?? asciiProblem(namespace);
  if (problem !== undefined) return problem;
  if (namespace.startsWith(RESERVED_NAMESPACE_PREFIX))
    return `must not start with "${RESERVED_NAMESPACE_PREFIX}" (reserved for AWS services)`;
  if (namespace.startsWith(":")) return 'must not start with ":"';
  return undefined;
}

/** MetricDatum states only a length for MetricName: any Unicode is accepted, control characters are not. */
export function metricNameProblem(name: string): string | undefined {
  const problem = lengthProblem(name, MAX_METRIC_NAME_LENGTH);
  if (problem !== undefined) return problem;
  const control = CONTROL.exec(name);
  return control === null
    ? undefined
    : `must not contain control characters (found ${codePoint(name, control.index)} at character ${control.index + 1})`;
}

export function dimensionNameProblem(name: string): string | undefined {
  const problem = lengthProblem(name, MAX_DIMENSION_NAME_LENGTH) ?? asciiProblem(name);
  if (problem !== undefined) return problem;
  return name.startsWith(":") ? 'must not start with ":"' : undefined;
}

export function dimensionValueProblem(value: string): string | undefined {
  return lengthProblem(value, MAX_DIMENSION_VALUE_LENGTH) ?? asciiProblem(value);
}

/** Why CloudWatch would refuse this value: not finite, or outside the documented magnitudes. */
export function valueProblem(value: number): string | undefined {
  if (!Number.isFinite(value)) return `${String(value)} is not a finite number`;
  const magnitude = Math.abs(value);
  if (magnitude > MAX_VALUE_MAGNITUDE) return `${value} is outside CloudWatch's range of -2^360 to 2^360`;
  if (magnitude !== 0 && magnitude < MIN_VALUE_MAGNITUDE) {
    return `${value} is too close to 0 for CloudWatch: other than 0 itself, a value needs a magnitude of at least ${MIN_VALUE_MAGNITUDE}`;
  }
  return undefined;
}
