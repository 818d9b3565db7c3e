/**
 * One sample line of either text format:
 *   name[{label="value",...}] value [timestamp] [# {label="value",...} value [timestamp]]
 * The timestamp and the OpenMetrics exemplar after ` # ` are checked and then dropped.
 */
import { parseExpositionNumber } from "./exposition-number.js";
import type { LineCursor } from "./line-cursor.js";
import type { ExpositionSample } from "./metric-family.js";
import { unescape } from "./unescape.js";

const HASH = 35;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const EQUALS = 61;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

const FEW_LABELS = 16;
/** The names of the label set being read, while it has at most FEW_LABELS of them. */
const namesSoFar: string[] = [];

/** Shared by every sample without labels, so a body of bare samples allocates no label objects. */
const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The sample on the cursor's line, or what is wrong with it; on an error the cursor is left where the
 * problem is, for the column in the message.
 */
export function parseSampleLine(cursor: LineCursor): ExpositionSample | string {
  const name = cursor.metricName();
  if (name === "") return `expected a metric name, found ${cursor.found()}`;
  const nameEnd = cursor.at;
  const blank = cursor.skipBlanks();
  let labels = NO_LABELS;
  if (cursor.peek() === OPEN_BRACE) {
    const read = readLabels(cursor);
    if (typeof read === "string") return read;
    labels = read;
  } else if (!blank && !cursor.atEnd())
    return `expected a blank or "{" after the metric name ${name}, found ${cursor.found()}`;
  else cursor.at = nameEnd;
  const value = readNumber(cursor, name);
  if (typeof value === "string") return value;
  const sample = { name, labels, value };
  if (cursor.atEnd()) return sample;
  if (cursor.peek() !== HASH) {
    const timestamp = readTimestamp(cursor, "the timestamp");
    if (timestamp !== undefined) return timestamp;
    if (cursor.atEnd()) return sample;
  }
  if (cursor.peek() !== HASH) return `unexpected ${cursor.found()} after the timestamp`;
  const exemplar = skipExemplar(cursor);
  return exemplar ?? sample;
}

/** ` # {labels} value [timestamp]`: checked, not kept. Returns an error, or undefined when well formed. */
function skipExemplar(cursor: LineCursor): string | undefined {
  cursor.at++;
  if (!cursor.skipBlanks() || cursor.peek() !== OPEN_BRACE)
    return `expected an exemplar (" # {labels} value") after "#", found ${cursor.found()}`;
  const labels = readLabels(cursor);
  if (typeof labels === "string") return labels;
  const value = readNumber(cursor);
  if (typeof value === "string") return value;
  if (cursor.atEnd()) return undefined;
  const timestamp = readTimestamp(cursor, "the exemplar's timestamp");
  if (timestamp !== undefined) return timestamp;
  return cursor.atEnd() ? undefined : `unexpected ${cursor.found()} after the exemplar`;
}

/** A blank, then a number token, then any blanks: the value of the named sample, or of the exemplar. */
function readNumber(cursor: LineCursor, sampleName?: string): number | string {
  const what = () => (sampleName === undefined ? "the exemplar's value" : `the value of ${sampleName}`);
  if (!cursor.skipBlanks())
    return cursor.atEnd()
      ? `${what()} is missing`
      : `expected a blank before ${what()}, found ${cursor.found()}`;
  if (cursor.atEnd()) return `${what()} is missing`;
  const at = cursor.at;
  const token = cursor.token();
  const value = parseExpositionNumber(token);
  if (value === undefined) {
    cursor.at = at;
    return `${what()}, ${JSON.stringify(token)}, is not a number`;
  }
  cursor.skipBlanks();
  return value;
}

/** A finite number token and any blanks after it. Undefined when well formed, else the error. */
function readTimestamp(cursor: LineCursor, what: string): string | undefined {
  const at = cursor.at;
  const token = cursor.token();
  if (!Number.isFinite(parseExpositionNumber(token))) {
    cursor.at = at;
    return `${what}, ${JSON.stringify(token)}, is not a finite number`;
  }
  cursor.skipBlanks();
  return undefined;
}

/** `{name="value",...}` from the `{`, a trailing comma allowed as in 0.0.4. The labels, or an error. */
function readLabels(cursor: LineCursor): Readonly<Record<string, string>> | string {
  cursor.at++;
  const labels: Record<string, string> = {};
  let count = 0;
  for (;;) {
    cursor.skipBlanks();
    if (cursor.peek() === CLOSE_BRACE) break;
    const nameAt = cursor.at;
    const name = cursor.labelName();
    if (name === "")
      return cursor.atEnd()
        ? 'the labels are not closed with "}"'
        : `expected a label name, found ${cursor.found()}`;
    cursor.skipBlanks();
    if (cursor.peek() !== EQUALS) return `expected "=" after the label name ${name}, found ${cursor.found()}`;
    cursor.at++;
    cursor.skipBlanks();
    if (cursor.peek() !== QUOTE)
      return `expected '"' to open the value of the label ${name}, found ${cursor.found()}`;
    const value = readQuoted(cursor);
    if (value === undefined) return `the value of the label ${name} is not closed with '"'`;
    if (name === "__name__" || seenBefore(labels, name, count)) {
      cursor.at = nameAt;
      return name === "__name__" ? "the label name __name__ is reserved" : `the label ${name} appears twice`;
    }
    setLabel(labels, name, value);
    if (count < FEW_LABELS) namesSoFar[count] = name;
    count++;
    cursor.skipBlanks();
    const next = cursor.peek();
    if (next === CLOSE_BRACE) break;
    if (next !== COMMA)
      return `expected "," or "}" after the value of the label ${name}, found ${cursor.found()}`;
    cursor.at++;
  }
  cursor.at++;
  return count === 0 ? NO_LABELS : labels;
}

/** The string from the opening quote at the cursor to its closing quote, unescaped; undefined if unclosed. */
function readQuoted(cursor: LineCursor): string | undefined {
  const { text, end } = cursor;
  const start = cursor.at + 1;
  let escaped = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) {
      escaped = true;
      i++;
    } else if (c === QUOTE) {
      cursor.at = i + 1;
      return escaped ? unescape(text, start, i) : text.slice(start, i);
    }
  }
  cursor.at = end;
  return undefined;
}

/**
 * Whether the label set read so far has this name. Comparing with the few names read so far is several
 * times cheaper than asking the object (Object.hasOwn) while it is still growing; past FEW_LABELS, ask it.
 */
function seenBefore(labels: Record<string, string>, name: string, count: number): boolean {
  if (count > FEW_LABELS) return Object.hasOwn(labels, name);
  for (let i = 0; i < count; i++) if (namesSoFar[i] === name) return true;
  return false;
}

/** `__proto__` is a valid label name: define it as data rather than set the object's prototype. */
function setLabel(labels: Record<string, string>, name: string, value: string): void {
  if (name === "__proto__")
    Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
  else labels[name] = value;
}
