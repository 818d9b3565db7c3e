/**
 * `scrape`'s table: one family a line, in the order the endpoint serves them, with its type, series,
 * label names and HELP; long label lists and HELP texts are cut to keep a line readable on a terminal
 * (`--format json` and `--yaml` give them whole).
 */
import { plural } from "../../common/plural.js";
import type { FamilySummary } from "./family-summary.js";

/** The label names shown before the list is cut ("a, b, c, ... (+4)"). */
export const MAX_LABELS_CHARS = 40;
/** HELP texts are cut after this many characters. */
export const MAX_HELP_CHARS = 60;

const HEADER = ["family", "type", "series", "labels", "help"] as const;
/** Columns aligned right (numbers). */
const RIGHT = new Set([2]);

export function familyTable(summaries: readonly FamilySummary[], shown: string): string {
  const rows = summaries.map((s) => [
    s.name,
    s.type,
    String(s.series),
    labelList(s.labels.map((l) => l.name)),
    cut(s.help.replace(/\s+/g, " ").trim(), MAX_HELP_CHARS),
  ]);
  const widths = HEADER.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (RIGHT.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const series = summaries.reduce((total, s) => total + s.series, 0);
  return [
    line(HEADER),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
    `${plural(summaries.length, "family", "families")}, ${plural(series, "series", "series")} at ${shown}; --yaml prints metric entries for them`,
    "",
  ].join("\n");
}

/** The names joined with ", ", cut at a whole name with how many more there are. */
function labelList(names: readonly string[]): string {
  const all = names.join(", ");
  if (all.length <= MAX_LABELS_CHARS) return all;
  let shown = 0;
  let length = 0;
  while (shown < names.length && length + names[shown]!.length + 2 <= MAX_LABELS_CHARS - 10) {
    length += names[shown]!.length + 2;
    shown++;
  }
  return `${names.slice(0, Math.max(shown, 1)).join(", ")}, ... (+${names.length - Math.max(shown, 1)})`;
}

/** The text cut at a word boundary (or hard, for one long word) with "..." after it. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 3);
  const space = head.lastIndexOf(" ");
  return `${(space > max / 2 ? head.slice(0, space) : head).trimEnd()}...`;
}
