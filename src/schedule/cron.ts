/** Cron expressions: the accepted forms, and the parsed schedule the scheduler walks. */
import { CronExpressionParser, type CronExpression } from "cron-parser";

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
    const fields = text.split(/\s+/).length;
    if (fields !== 5 && fields !== 6) {
      throw new ScheduleError(
        `has ${fields} field${fields === 1 ? "" : "s"}; a cron expression has 5 (minute hour day-of-month month day-of-week) or 6 (second first)`,
      );
    }
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
