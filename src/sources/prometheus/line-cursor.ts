/**
 * A position in one line of the body (text[at, end)), with the character classes both text formats
 * share. Everything is scanned once, forward, by char code: no regular expression, so no backtracking.
 */
export class LineCursor {
  constructor(
    readonly text: string,
    public at: number,
    readonly end: number,
  ) {}

  atEnd(): boolean {
    return this.at >= this.end;
  }

  /** The current char code, or -1 at the end of the line. */
  peek(): number {
    return this.at < this.end ? this.text.charCodeAt(this.at) : -1;
  }

  /** Skips spaces and tabs; true when there were any. */
  skipBlanks(): boolean {
    const from = this.at;
    while (this.at < this.end && isBlank(this.text.charCodeAt(this.at))) this.at++;
    return this.at > from;
  }

  /** A metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`) here, or "" when none starts here. */
  metricName(): string {
    return this.word(METRIC_NAME_START, METRIC_NAME);
  }

  /** A label name (`[a-zA-Z_][a-zA-Z0-9_]*`) here, or "" when none starts here. */
  labelName(): string {
    return this.word(LABEL_NAME_START, LABEL_NAME);
  }

  /** The characters up to the next blank or the end of the line. */
  token(): string {
    const from = this.at;
    while (this.at < this.end && !isBlank(this.text.charCodeAt(this.at))) this.at++;
    return this.text.slice(from, this.at);
  }

  /** What is at the cursor, for an error message: `"x"`, or `the end of the line`. */
  found(): string {
    if (this.atEnd()) return "the end of the line";
    return JSON.stringify(String.fromCodePoint(this.text.codePointAt(this.at)!));
  }

  /** Characters of the class `part` from here, the first of class `first`; "" when there is none. */
  private word(first: number, part: number): string {
    const { text, end } = this;
    const from = this.at;
    let at = from;
    let c = at < end ? text.charCodeAt(at) : 128;
    if (c >= 128 || (CLASSES[c]! & first) === 0) return "";
    do c = ++at < end ? text.charCodeAt(at) : 128;
    while (c < 128 && (CLASSES[c]! & part) !== 0);
    this.at = at;
    return text.slice(from, at);
  }
}

export function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

const LABEL_NAME_START = 1;
const LABEL_NAME = 2;
const METRIC_NAME_START = 4;
const METRIC_NAME = 8;

/** The name classes of each ASCII character, as bits; names are ASCII in both formats. */
const CLASSES = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  const digit = c >= 48 && c <= 57;
  const colon = c === 58;
  CLASSES[c] =
    (letter ? LABEL_NAME_START | METRIC_NAME_START : 0) |
    (letter || digit ? LABEL_NAME | METRIC_NAME : 0) |
    (colon ? METRIC_NAME_START | METRIC_NAME : 0);
}
