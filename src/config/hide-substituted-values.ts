/**
 * Config errors never show what a `${VAR}` was replaced with: the variable may hold a secret, and
 * `validate-config` runs in CI logs. Each spelling of a substituted value that a message may carry
 * is replaced by the text as written, e.g. `(got the value of "${API_KEY}")`.
 */
import { describeValue } from "./errors.js";
import type { ConfigIssue } from "./issue.js";
import type { Substitution } from "./substitution.js";

/** Shorter values are only hidden where they are quoted: "1" or "dev" also occur in plain words. */
const MIN_BARE_LENGTH = 4;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A suggestion built from the value (`did you mean "<value>s"?`) would show it too: it is left out. */
function withoutHintsShowing(message: string, text: string): string {
  return message.replace(/; did you mean "([^"]*)"\?/g, (hint, suggestion: string) =>
    suggestion.includes(text) ? "" : hint,
  );
}

function hideIn(given: string, substitution: Substitution): string {
  const { value, template } = substitution;
  const text = String(value);
  if (text === "") return given;
  const message = withoutHintsShowing(given, text);
  const shown = `the value of ${JSON.stringify(template)}`;
  const spellings = new Set([describeValue(value), JSON.stringify(text), `"${text}"`]);
  if (text.length >= MIN_BARE_LENGTH) spellings.add(text);
  // Longest first, so that a quoted spelling is replaced whole before the bare text inside it.
  const pattern = [...spellings]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join("|");
  return message.replace(new RegExp(pattern, "g"), shown);
}

export function hideSubstitutedValues(
  issues: readonly ConfigIssue[],
  substitutions: readonly Substitution[],
): ConfigIssue[] {
  if (substitutions.length === 0) return [...issues];
  return issues.map((issue) => {
    const message = substitutions.reduce(hideIn, issue.message);
    return message === issue.message ? issue : { ...issue, message };
  });
}
