/** Durations written as "500ms", "10s", "2m", "1h" (the schema's `timeout` pattern). */
const DURATION = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$/;
const MS_PER_UNIT = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** Milliseconds, rounded to a whole number, or undefined when the text is not a duration. */
export function parseDurationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (match === null) return undefined;
  const unit = match[2] as keyof typeof MS_PER_UNIT;
  return Math.round(Number(match[1]) * MS_PER_UNIT[unit]);
}
