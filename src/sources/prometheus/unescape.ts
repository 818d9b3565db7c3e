const BACKSLASH = 92;
const QUOTE = 34;
const LETTER_N = 110;

/**
 * text[start, end) with the escapes of label values and HELP text resolved: `\\` → `\`, `\n` → line
 * feed, `\"` → `"`. Any other backslash stays as written (`\a` is `\a`), as OpenMetrics' grammar
 * (`BS normal-char`) and the Python client read it; the 0.0.4 HELP text never escapes quotes, so
 * `\"` there is taken as a quote too, as client_golang's parser does.
 */
export function unescape(text: string, start: number, end: number): string {
  // Search the slice, not the text: an indexOf on the text would run on past `end` to the body's end.
  const part = text.slice(start, end);
  let from = part.indexOf("\\");
  if (from === -1) return part;
  let out = "";
  let copied = 0;
  while (from !== -1 && from < part.length - 1) {
    const next = part.charCodeAt(from + 1);
    const replacement =
      next === BACKSLASH ? "\\" : next === LETTER_N ? "\n" : next === QUOTE ? '"' : undefined;
    if (replacement === undefined) {
      from = part.indexOf("\\", from + 1);
      continue;
    }
    out += part.slice(copied, from) + replacement;
    copied = from + 2;
    from = part.indexOf("\\", copied);
  }
  return out + part.slice(copied);
}
