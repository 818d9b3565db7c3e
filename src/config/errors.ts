/** ajv's errors → one plain sentence each, at the path the user has to fix, with a hint where we have one. */
import type { ErrorObject } from "ajv";
import { closest } from "../suggest.js";
import type { ConfigIssue } from "./issue.js";
import { fromJsonPointer, type PathSegment } from "./path.js";

type SchemaNode = Record<string, unknown>;

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  object: "a map (key: value)",
  array: "a list",
  null: "empty",
};

/** How a value the user wrote is named in a message: its YAML spelling for numbers and specials. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return ".nan";
    if (value === Infinity) return ".inf";
    if (value === -Infinity) return "-.inf";
    return `number ${value}`;
  }
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "boolean") return `boolean ${value}`;
  if (Array.isArray(value)) return "a list";
  return "a map";
}

function typeMessage(expected: string, data: unknown): string {
  if (expected === "number" && typeof data === "number") {
    return `must be a finite number (got ${describeValue(data)})`;
  }
  const wanted = expected
    .split(",")
    .map((t) => TYPE_NAMES[t] ?? t)
    .join(" or ");
  let message = `must be ${wanted} (got ${describeValue(data)})`;
  if (expected === "string" && (typeof data === "number" || typeof data === "boolean")) {
    message += `; quote it: "${String(data)}"`;
  }
  return message;
}

/** Lists longer than this are not spelt out when a suggestion already names the likely fix. */
const MAX_LISTED_WITH_SUGGESTION = 8;

function oneOfMessage(allowed: readonly unknown[], data: unknown): string {
  const got = describeValue(data);
  const suggestion =
    typeof data === "string"
      ? closest(
          data,
          allowed.filter((v): v is string => typeof v === "string"),
        )
      : undefined;
  if (suggestion !== undefined && allowed.length > MAX_LISTED_WITH_SUGGESTION) {
    return `must be one of ${allowed.length} allowed values (got ${got}); did you mean "${suggestion}"?`;
  }
  const list = allowed.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ");
  const hint = suggestion === undefined ? "" : `; did you mean "${suggestion}"?`;
  return `must be one of ${list} (got ${got})${hint}`;
}

function sourceTypes(parentSchema: SchemaNode | undefined): string[] {
  const branches = (parentSchema?.oneOf ?? []) as SchemaNode[];
  return branches.map((b) => {
    const props = b.properties as Record<string, SchemaNode> | undefined;
    return String(props?.type?.const);
  });
}

/** One ajv error → one issue, or undefined for errors another error already explains. */
export function issueFromAjvError(error: ErrorObject): ConfigIssue | undefined {
  const path: PathSegment[] = fromJsonPointer(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const parentSchema = error.parentSchema as SchemaNode | undefined;
  const custom = parentSchema?.["x-message"];
  const data: unknown = error.data;

  // Errors about a key's own spelling (propertyNames) carry the key in error.propertyName.
  if (typeof error.propertyName === "string" && error.keyword !== "propertyNames") {
    const name = error.propertyName;
    const reason =
      error.keyword === "minLength"
        ? "must not be empty"
        : error.keyword === "pattern"
          ? 'must not start with ":"'
          : (error.message ?? "is not allowed");
    return { path: [...path, name], message: `name "${name}" ${reason}`, atKey: true };
  }

  switch (error.keyword) {
    case "propertyNames":
    case "oneOf":
    case "if":
      return undefined;
    case "type":
      return { path, message: typeMessage(String(params.type), data) };
    case "required": {
      const missing = String(params.missingProperty);
      return { path, message: `missing required property "${missing}"` };
    }
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(parentSchema?.properties ?? {});
      const suggestion = closest(key, allowed);
      const hint =
        suggestion !== undefined ? `did you mean "${suggestion}"?` : `allowed here: ${allowed.join(", ")}`;
      return { path: [...path, key], message: `unknown property "${key}"; ${hint}`, atKey: true };
    }
    case "enum":
      return { path, message: oneOfMessage(params.allowedValues as unknown[], data) };
    case "const":
      return { path, message: `must be ${JSON.stringify(params.allowedValue)} (got ${describeValue(data)})` };
    case "discriminator": {
      if (params.error === "mapping") {
        return { path: [...path, "type"], message: oneOfMessage(sourceTypes(parentSchema), params.tagValue) };
      }
      const tag = (data as Record<string, unknown> | null)?.type;
      if (tag === undefined) return undefined; // "missing required property" already says it
      return { path: [...path, "type"], message: typeMessage("string", tag) };
    }
    case "pattern":
      return {
        path,
        message: `${typeof custom === "string" ? custom : `must match ${String(params.pattern)}`} (got ${describeValue(data)})`,
      };
    case "minLength":
      return {
        path,
        message:
          params.limit === 1
            ? "must not be empty"
            : `must be at least ${String(params.limit)} characters (got ${String((data as string).length)})`,
      };
    case "maxLength":
      return {
        path,
        message: `must be at most ${String(params.limit)} characters (got ${String((data as string).length)})`,
      };
    case "minItems":
      return {
        path,
        message:
          params.limit === 1
            ? "must list at least one entry"
            : `must list at least ${String(params.limit)} entries`,
      };
    case "minimum":
    case "maximum":
      return {
        path,
        message: `must be ${error.keyword === "minimum" ? ">=" : "<="} ${String(params.limit)} (got ${describeValue(data)})`,
      };
    case "maxProperties": {
      const count = Object.keys(data as object).length;
      return {
        path,
        message: `has ${count} entries; at most ${String(params.limit)} are allowed (CloudWatch's limit per metric)`,
      };
    }
    default:
      return { path, message: `${error.message ?? "is invalid"} (got ${describeValue(data)})` };
  }
}

/** Every ajv error as an issue, without repeats. */
export function issuesFromAjv(errors: readonly ErrorObject[]): ConfigIssue[] {
  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const error of errors) {
    const issue = issueFromAjvError(error);
    if (issue === undefined) continue;
    const key = `${JSON.stringify(issue.path)}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}
