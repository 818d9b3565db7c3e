/** Cron expressions: the accepted forms, and the parsed schedule the scheduler walks. */
import { CronExpressionParser, type CronExpression } from "cron-parser";
import { plural } from "../common/plural.js";

export const CRON_ALIASES = [
  "@yearly",
  "@annually",
  "@monthly",
  "@weekly",
  "@daily",
  "@hourly",
  "@minutely",
  "@secondly",
] as const;

export interface ScheduleOptions {
  readonly timezone: string;
  /** Where to start counting from; the next run is strictly after it. */
  readonly from?: Date;
  /** Seeds `H` so a metric keeps its spread value from run to run and host to host differs. */
  readonly hashSeed?: string;
}

export class ScheduleError extends Error {
  override name = "ScheduleError";
}

/** Each field of a 6-field expression (a 5-field one has no seconds): its range and how many values it has. */
const FIELDS = [
  { name: "second", range: "0-59", values: 60 },
  { name: "minute", range: "0-59", values: 60 },
  { name: "hour", range: "0-23", values: 24 },
  { name: "day-of-month", range: "1-31", values: 31 },
  { name: "month", range: "1-12", values: 12 },
  { name: "day-of-week", range: "0-7 (0 and 7 are Sunday)", values: 7 },
] as const;

/**
 * cron-parser takes any step ("*\/61" in the minute field fires once an hour, at 0), which is never
 * what was meant: a step must leave room for a second value in its field.
 */
function stepProblem(fields: readonly string[]): string | undefined {
  const specs = fields.length === 6 ? FIELDS : FIELDS.slice(1);
  for (const [i, field] of fields.entries()) {
    const spec = specs[i]!;
    for (const part of field.split(",")) {
      const step = /\/(\d+)$/.exec(part);
      if (step === null) continue;
      const n = Number(step[1]);
      const largest = spec.values - 1;
      if (n >= 1 && n <= largest) continue;
      return `the ${spec.name} field "${field}" has a step of ${n}, out of range: it runs ${spec.range}, so a step must be 1 to ${largest}`;
    }
  }
  return undefined;
}

/**
 * Parses a 5-field (minute first) or 6-field (second first) expression or an @alias.
 * cron-parser alone accepts 4 fields and unknown words; we hold users to what the docs promise.
 */
export function parseSchedule(expression: string, options: ScheduleOptions): CronExpression {
  const text = expression.trim();
  if (text.startsWith("@")) {
    if (!(CRON_ALIASES as readonly string[]).includes(text.toLowerCase())) {
      throw new ScheduleError(`unknown shorthand "${text}"; use one of ${CRON_ALIASES.join(", ")}`);
    }
  } else {
    const fields = text.split(/\s+/);
    if (fields.length !== 5 && fields.length !== 6) {
      throw new ScheduleError(
        `has ${plural(fields.length, "field")}; a cron expression has 5 (minute hour day-of-month month day-of-week) or 6 (second first)`,
      );
    }
    const step = stepProblem(fields);
    if (step !== undefined) throw new ScheduleError(step);
  }
  let parsed: CronExpression;
  try {
    parsed = CronExpressionParser.parse(text, {
      tz: options.timezone,
      ...(options.from === undefined ? {} : { currentDate: options.from }),
      ...(options.hashSeed === undefined ? {} : { hashSeed: options.hashSeed }),
    });
  } catch (cause) {
    throw new ScheduleError(`is not a valid cron expression: ${(cause as Error).message}`, { cause });
  }
  return parsed;
}

/** A one-line reason the expression cannot be used, or undefined when it is fine (and ever fires). */
export function scheduleProblem(expression: string, timezone: string): string | undefined {
  try {
    const parsed = parseSchedule(expression, { timezone });
    parsed.next();
    return undefined;
  } catch (error) {
    if (error instanceof ScheduleError) return error.message;
    return `never fires: ${(error as Error).message}`;
  }
}
