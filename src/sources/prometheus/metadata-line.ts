/**
 * A line that starts with `#`: `# HELP name text`, `# TYPE name type`, `# UNIT name unit`, `# EOF`, or
 * (in 0.0.4, where any other `#` line is a comment) a comment.
 */
import type { LineCursor } from "./line-cursor.js";
import { METRIC_TYPES, type MetricType } from "./metric-family.js";
import { unescape } from "./unescape.js";

export type MetadataLine =
  | { readonly kind: "help"; readonly name: string; readonly help: string }
  | { readonly kind: "type"; readonly name: string; readonly type: MetricType }
  | { readonly kind: "unit"; readonly name: string; readonly unit: string }
  | { readonly kind: "eof" }
  | { readonly kind: "comment" };

const COMMENT: MetadataLine = { kind: "comment" };
const EOF: MetadataLine = { kind: "eof" };
const KEYWORDS = new Set(["HELP", "TYPE", "UNIT"]);
const TYPES = new Set<string>(METRIC_TYPES);

/** The line from its `#` on, or what is wrong with it; on an error the cursor is where the problem is. */
export function parseMetadataLine(cursor: LineCursor): MetadataLine | string {
  cursor.at++;
  if (!cursor.skipBlanks()) return COMMENT;
  const keyword = cursor.token();
  if (keyword === "EOF") {
    cursor.skipBlanks();
    return cursor.atEnd() ? EOF : COMMENT;
  }
  if (!KEYWORDS.has(keyword)) return COMMENT;
  cursor.skipBlanks();
  const name = cursor.metricName();
  if (name === "") return `expected a metric name after # ${keyword}, found ${cursor.found()}`;
  if (!cursor.skipBlanks() && !cursor.atEnd())
    return `expected a blank after the metric name ${name}, found ${cursor.found()}`;
  if (keyword === "HELP") return { kind: "help", name, help: unescape(cursor.text, cursor.at, cursor.end) };
  const word = cursor.token();
  cursor.skipBlanks();
  if (!cursor.atEnd()) return `unexpected ${cursor.found()} after the ${keyword.toLowerCase()} of ${name}`;
  if (keyword === "UNIT") return { kind: "unit", name, unit: word };
  const type = word.toLowerCase();
  if (!TYPES.has(type))
    return word === ""
      ? `the TYPE line for ${name} names no type`
      : `unknown type ${JSON.stringify(word)} for ${name} (expected one of ${METRIC_TYPES.join(", ")})`;
  return { kind: "type", name, type: type as MetricType };
}
