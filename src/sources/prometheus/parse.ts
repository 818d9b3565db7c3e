/**
 * parseExposition: the body of a /metrics endpoint, in the Prometheus text format 0.0.4 or OpenMetrics
 * text 1.0, into metric families. One grammar reads both, so nothing hangs on the Content-Type.
 * A failure is a value: the first line that cannot be read ends the parse with `line N: what is wrong`.
 */
import { parseExpositionNumber } from "./exposition-number.js";
import { LineCursor } from "./line-cursor.js";
import { MAX_LINE_CHARS, MAX_QUOTED_LINE_CHARS } from "./limits.js";
import { parseMetadataLine, type MetadataLine } from "./metadata-line.js";
import { ALL_SUFFIXES, SAMPLE_SUFFIXES, type ExpositionSample, type MetricFamily } from "./metric-family.js";
import { parseSampleLine } from "./sample-line.js";

export type ExpositionResult =
  | { readonly ok: true; readonly families: readonly MetricFamily[] }
  | { readonly ok: false; readonly error: string };

const BYTE_ORDER_MARK = 0xfeff;
const CARRIAGE_RETURN = 13;
const HASH = 35;

export function parseExposition(text: string): ExpositionResult {
  const parser = new ExpositionParser(text);
  let start = text.charCodeAt(0) === BYTE_ORDER_MARK ? 1 : 0;
  for (let lineNumber = 1; ; lineNumber++) {
    const newline = text.indexOf("\n", start);
    const lineEnd = newline === -1 ? text.length : newline;
    const end = lineEnd > start && text.charCodeAt(lineEnd - 1) === CARRIAGE_RETURN ? lineEnd - 1 : lineEnd;
    const error =
      end - start > MAX_LINE_CHARS
        ? `the line is longer than ${MAX_LINE_CHARS} characters`
        : parser.line(start, end, lineNumber);
    if (error !== undefined) return { ok: false, error: `line ${lineNumber}: ${error}` };
    if (newline === -1) return { ok: true, families: parser.families };
    start = newline + 1;
  }
}

type FamilyBeingRead = { -readonly [K in keyof MetricFamily]: MetricFamily[K] } & {
  samples: ExpositionSample[];
};

/** A family and the lines that declared it, for the "second TYPE line" errors. */
interface FamilyState {
  readonly family: FamilyBeingRead;
  typeLine: number | undefined;
  helpLine: number | undefined;
  unitLine: number | undefined;
}

/** Which family a sample name belongs to, and as which of its suffixes ("" for the family's own name). */
interface Owner {
  readonly state: FamilyState;
  readonly suffix: string;
}

class ExpositionParser {
  readonly families: FamilyBeingRead[] = [];
  private readonly byName = new Map<string, FamilyState>();
  private sawContent = false;
  private eofLine: number | undefined;
  /** Consecutive samples mostly share a name: the last one's owner, dropped at any metadata line. */
  private lastName = "";
  private lastOwner: Owner | undefined;

  constructor(private readonly text: string) {}

  /** Reads text[start, end): undefined, or what is wrong with the line. */
  line(start: number, end: number, lineNumber: number): string | undefined {
    const cursor = new LineCursor(this.text, start, end);
    cursor.skipBlanks();
    if (cursor.atEnd()) return undefined;
    if (this.eofLine !== undefined) return `text after the # EOF of line ${this.eofLine}`;
    if (!this.sawContent) {
      this.sawContent = true;
      const notText = notExposition(cursor.peek());
      if (notText !== undefined)
        return `the body is ${notText}, not Prometheus or OpenMetrics text: ${this.quoted(start, end)}`;
    }
    if (cursor.peek() === HASH) {
      const metadata = parseMetadataLine(cursor);
      return typeof metadata === "string"
        ? this.located(metadata, cursor, start)
        : this.metadata(metadata, lineNumber);
    }
    const sample = parseSampleLine(cursor);
    return typeof sample === "string" ? this.located(sample, cursor, start) : this.add(sample);
  }

  private metadata(line: MetadataLine, lineNumber: number): string | undefined {
    this.lastOwner = undefined;
    this.lastName = "";
    if (line.kind === "comment") return undefined;
    if (line.kind === "eof") {
      this.eofLine = lineNumber;
      return undefined;
    }
    const state = this.declare(line.name);
    const { family } = state;
    const key = `${line.kind}Line` as const;
    const earlier = state[key];
    if (earlier !== undefined)
      return `a second ${line.kind.toUpperCase()} line for ${line.name} (the first is line ${earlier})`;
    state[key] = lineNumber;
    if (line.kind === "type") {
      if (family.samples.length > 0) return `the TYPE line for ${line.name} comes after its samples`;
      family.type = line.type;
    } else if (line.kind === "help") family.help = line.help;
    else if (line.unit !== "") family.unit = line.unit;
    return undefined;
  }

  private add(sample: ExpositionSample): string | undefined {
    let owner = this.lastOwner;
    if (owner === undefined || sample.name !== this.lastName) {
      const found = this.owner(sample.name);
      if (typeof found === "string") return found;
      owner = this.lastOwner = found;
      this.lastName = sample.name;
    }
    const { family } = owner.state;
    const problem =
      owner.suffix === "_bucket"
        ? boundProblem(sample, "le")
        : family.type === "summary" && owner.suffix === ""
          ? boundProblem(sample, "quantile")
          : undefined;
    if (problem !== undefined) return problem;
    family.samples.push(sample);
    return undefined;
  }

  /**
   * The family a sample name belongs to: the family of that very name when its type owns the bare
   * name, else the family whose name plus one of its type's suffixes spells it (`foo` for `foo_bucket`),
   * else a new untyped family of that name, as a sample without a TYPE line is in both formats.
   */
  private owner(name: string): Owner | string {
    const exact = this.byName.get(name);
    if (exact !== undefined && SAMPLE_SUFFIXES[exact.family.type].includes(""))
      return { state: exact, suffix: "" };
    for (const suffix of ALL_SUFFIXES) {
      if (!name.endsWith(suffix)) continue;
      const base = this.byName.get(name.slice(0, name.length - suffix.length));
      if (base !== undefined && SAMPLE_SUFFIXES[base.family.type].includes(suffix))
        return { state: base, suffix };
    }
    if (exact === undefined) return { state: this.declare(name), suffix: "" };
    const { type } = exact.family;
    const names = SAMPLE_SUFFIXES[type].map((suffix) => name + suffix).join(", ");
    return `a sample named ${name} does not belong in the ${type} ${name}, whose samples are ${names}`;
  }

  private declare(name: string): FamilyState {
    let state = this.byName.get(name);
    if (state === undefined) {
      const family: FamilyBeingRead = { name, type: "untyped", help: "", samples: [] };
      state = { family, typeLine: undefined, helpLine: undefined, unitLine: undefined };
      this.byName.set(name, state);
      this.families.push(family);
    }
    return state;
  }

  /** The problem, with the column the cursor stopped at and the line around it. */
  private located(problem: string, cursor: LineCursor, start: number): string {
    const at = Math.min(cursor.at, cursor.end);
    const from = Math.max(start, at - MAX_QUOTED_LINE_CHARS / 2);
    return `${problem} (column ${at - start + 1} of ${this.quoted(start, cursor.end, from)})`;
  }

  /** text[start, end) as a JSON string, cut to MAX_QUOTED_LINE_CHARS from `from` on. */
  private quoted(start: number, end: number, from = start): string {
    const to = Math.min(end, from + MAX_QUOTED_LINE_CHARS);
    return JSON.stringify(`${from > start ? "..." : ""}${this.text.slice(from, to)}${to < end ? "..." : ""}`);
  }
}

/** What a body whose first line starts with this character is instead of exposition text, if it is plain. */
function notExposition(firstChar: number): string | undefined {
  if (firstChar === 60) return "HTML or XML";
  if (firstChar === 123 || firstChar === 91) return "JSON";
  return undefined;
}

/** A histogram bucket's `le` must be a number (+Inf included), a summary quantile's `quantile` one from 0 to 1. */
function boundProblem(sample: ExpositionSample, label: "le" | "quantile"): string | undefined {
  const text = sample.labels[label];
  if (text === undefined) return `${sample.name} has no ${label} label`;
  const bound = parseExpositionNumber(text) ?? Number.NaN;
  if (label === "le" ? !Number.isNaN(bound) : bound >= 0 && bound <= 1) return undefined;
  const range = label === "le" ? "" : " from 0 to 1";
  return `the ${label} label of ${sample.name}, ${JSON.stringify(text)}, is not a number${range}`;
}
