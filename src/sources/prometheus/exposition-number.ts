/**
 * A number as both text formats write it: a decimal with an optional exponent (`12`, `-0.5`, `1.5e+06`,
 * `4.98597888E8`, `0042`), `NaN`, or an infinity (`+Inf`, `-Inf`, `Inf`, `infinity`, any case).
 * Hexadecimal, binary, octal and underscores are refused, as OpenMetrics says; so is a finite-looking
 * number too large for a double (`1e400`).
 */
const SPECIALS = new Map<string, number>([
  ["nan", Number.NaN],
  ["inf", Infinity],
  ["+inf", Infinity],
  ["-inf", -Infinity],
  ["infinity", Infinity],
  ["+infinity", Infinity],
  ["-infinity", -Infinity],
]);
const LONGEST_SPECIAL = "+infinity".length;

/** The number the token spells, or undefined when it spells none. */
export function parseExpositionNumber(token: string): number | undefined {
  if (token.length === 0) return undefined;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    // Digits . + - e E: the only characters of a decimal; Number() then checks their order.
    if (!((c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45 || c === 101 || c === 69))
      return token.length <= LONGEST_SPECIAL ? SPECIALS.get(token.toLowerCase()) : undefined;
  }
  const value = Number(token);
  return Number.isFinite(value) ? value : undefined;
}
