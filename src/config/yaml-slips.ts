/**
 * Two first mistakes that YAML itself reports badly: an unquoted cron expression (`schedule: *\/5 * * * *`,
 * where `*` starts an alias: four lines of "Unexpected alias") and `${VAR}` unquoted inside a flow map or
 * list (`{ value: ${X} }`, where `{` opens a map: "Unexpected flow-map-start", and every other error is
 * hidden). When a file does not parse, the characters of such slips are masked with private-use stand-ins
 * of the same length (so every position stays right) and the file is parsed again; if that helps, each
 * slip becomes one error with its fix, and the file is validated as the user meant it, so that one run
 * still reports every other error.
 */
import { isMap, isSeq, visit, type Document } from "yaml";
import type { ConfigIssue } from "./issue.js";
import { yamlPathOf } from "./yaml-path.js";

const STAND_IN: Readonly<Record<string, string>> = { "*": "\uE000", "{": "\uE001", "}": "\uE002" };
const MASKED = /[\uE000-\uE002]/;
const ALL_MASKED = /[\uE000-\uE002]/g;
const ORIGINAL: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(STAND_IN).map(([original, standIn]) => [standIn, original]),
);

type SlipKind = "alias" | "flow-variable";

interface Slip {
  readonly kind: SlipKind;
  /** Offset of the first masked character. */
  readonly at: number;
}

export interface MaskedText {
  readonly text: string;
  readonly slips: readonly Slip[];
}

/** `key: *...` in block style, where the value is no alias but a cron expression (it has a space or a /). */
const UNQUOTED_STAR_VALUE = /^(\s*(?:-\s+)?[^\s#'"{}[\],:][^#:]*?:\s+)(\*(?:[^#\s]|\s+[^#\s])*)/;

function mask(chars: string[], from: number, to: number, which: RegExp): void {
  for (let i = from; i < to; i++) if (which.test(chars[i]!)) chars[i] = STAND_IN[chars[i]!]!;
}

function aliasSlips(text: string, chars: string[], slips: Slip[]): void {
  let offset = 0;
  for (const line of text.split("\n")) {
    const match = UNQUOTED_STAR_VALUE.exec(line);
    const value = match?.[2];
    if (match !== null && value !== undefined && (value === "*" || /[\s/]/.test(value))) {
      const at = offset + match[1]!.length;
      mask(chars, at, at + value.length, /\*/);
      slips.push({ kind: "alias", at });
    }
    offset += line.length + 1;
  }
}

/**
 * `${...}` outside quotes and comments while inside `{ }` or `[ ]`. A quote opens a quoted scalar only
 * where a scalar can start, so the apostrophe in `it's` does not.
 */
function flowVariableSlips(text: string, chars: string[], slips: Slip[]): void {
  let depth = 0;
  let quote: string | undefined;
  let previous = "\n";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === quote && !(quote === '"' && text[i - 1] === "\\")) quote = undefined;
    } else if (c === "#" && /\s/.test(previous)) {
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
    } else if ((c === '"' || c === "'") && /[\s:\-[{,]/.test(previous)) {
      quote = c;
    } else if (c === "$" && text[i + 1] === "{" && depth > 0) {
      const close = text.indexOf("}", i);
      const end = close === -1 || text.slice(i, close).includes("\n") ? i + 2 : close + 1;
      mask(chars, i + 1, end, /[{}]/);
      slips.push({ kind: "flow-variable", at: i });
      i = end - 1;
    } else if (c === "{" || c === "[") {
      depth++;
    } else if ((c === "}" || c === "]") && depth > 0) {
      depth--;
    }
    previous = text[i]!;
  }
}

/** The text with every slip masked, or undefined when it has none. */
export function maskSlips(text: string): MaskedText | undefined {
  // UTF-16 code units, as the parser's offsets count them.
  const chars = Array.from({ length: text.length }, (_, i) => text[i]!);
  const slips: Slip[] = [];
  aliasSlips(text, chars, slips);
  flowVariableSlips(text, chars, slips);
  return slips.length === 0 ? undefined : { text: chars.join(""), slips };
}

function message(kind: SlipKind, written: string): string {
  if (kind === "alias") return `quote it: "${written}" (unquoted, YAML reads * as an alias)`;
  const reason = `quote it: "${written}" (YAML does not allow an unquoted \${ inside { } or [ ])`;
  // A quoted value stays a string; a whole-value reference may be meant as a number.
  return /^\$\{[^}]*\}$/.test(written)
    ? `${reason}; for a number, use the block form instead, one key per line`
    : reason;
}

/**
 * Puts the masked characters back into the parsed document's scalars, in place (plain scalars stay
 * plain, so `${X}` still becomes a number where it would have), and returns one issue per slip.
 */
export function unmaskSlips(doc: Document, masked: MaskedText, original: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const reported = new Set<unknown>();
  visit(doc, {
    Scalar(_key, node, ancestry) {
      if (typeof node.value !== "string" || !MASKED.test(node.value)) return;
      node.value = node.value.replace(ALL_MASKED, (c) => ORIGINAL[c]!);
      const [start, end] = node.range ?? [0, 0];
      const slip = masked.slips.find((s) => s.at >= start && s.at < end);
      if (slip === undefined || reported.has(node)) return;
      const inFlow = ancestry.some((a) => (isMap(a) || isSeq(a)) && a.flow === true);
      if (slip.kind === "flow-variable" && !inFlow) return;
      reported.add(node);
      issues.push({
        path: yamlPathOf(ancestry, node),
        message: message(slip.kind, original.slice(start, end)),
      });
    },
  });
  return issues;
}
