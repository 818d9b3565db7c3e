/** ajv's errors → one plain sentence each, at the path the user has to fix, with a hint where we have one. */
import type { ErrorObject } from "ajv";
import { closest } from "../common/suggest.js";
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

/** The number or boolean a quoted value spells, when it spells one: `"60"` → 60, `"true"` → true. */
function unquoted(data: unknown): number | boolean | undefined {
  if (typeof data !== "string") return undefined;
  if (data === "true" || data === "false") return data === "true";
  const trimmed = data.trim();
  return trimmed !== "" && Number.isFinite(Number(trimmed)) ? Number(trimmed) : undefined;
}

/** How to write a value the wrong type so that it becomes the right one, or "" when quoting is not it. */
function retypeHint(expected: string, data: unknown): string {
  if (expected === "string" && (typeof data === "number" || typeof data === "boolean")) {
    return `; quote it: "${String(data)}"`;
  }
  const value = unquoted(data);
  const fits =
    (expected.includes("number") && typeof value === "number") ||
    (expected.includes("integer") && Number.isInteger(value)) ||
    (expected.includes("boolean") && typeof value === "boolean");
  return fits ? `; write it without quotes: ${String(value)}` : "";
}

function typeMessage(expected: string, data: unknown, schema?: SchemaNode): string {
  if (expected === "number" && typeof data === "number") {
    return `must be a finite number (got ${describeValue(data)})`;
  }
  const got = `(got ${describeValue(data)})`;
  // A string with a pattern (a duration, a URL): quoting alone would not make the value fit, so say
  // what does. A bare number for a duration lacks only its unit.
  const pattern = typeof schema?.pattern === "string" ? new RegExp(schema.pattern, "u") : undefined;
  const custom = schema?.["x-message"];
  if (
    expected === "string" &&
    pattern !== undefined &&
    typeof custom === "string" &&
    !pattern.test(String(data))
  ) {
    const withUnit = `${String(data)}s`;
    return `${custom} ${got}${typeof data === "number" && pattern.test(withUnit) ? `; write "${withUnit}"` : ""}`;
  }
  const wanted = expected
    .split(",")
    .map((t) => TYPE_NAMES[t] ?? t)
    .join(" or ");
  return `must be ${wanted} ${got}${retypeHint(expected, data)}`;
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
  const value = unquoted(data);
  const hint =
    suggestion !== undefined
      ? `; did you mean "${suggestion}"?`
      : value !== undefined && allowed.includes(value)
        ? `; write it without quotes: ${String(value)}`
        : "";
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
      return { path, message: typeMessage(String(params.type), data, parentSchema) };
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
    case "pattern": {
      // "30" for a duration: the unit is what is missing.
      const withUnit = `${String(data)}s`;
      const hint =
        typeof data === "string" &&
        /^\d+(\.\d+)?$/.test(data) &&
        new RegExp(String(params.pattern), "u").test(withUnit)
          ? `; did you mean "${withUnit}"?`
          : "";
      return {
        path,
        message: `${typeof custom === "string" ? custom : `must match ${String(params.pattern)}`} (got ${describeValue(data)})${hint}`,
      };
    }
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
