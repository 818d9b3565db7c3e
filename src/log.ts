/** The winston logger: one JSON object per line in containers, readable text on a terminal. */
import winston from "winston";
import type { Environment } from "./environment.js";

export type Logger = winston.Logger;
export const LOG_LEVELS = ["error", "warn", "info", "debug"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = "json" | "text";

export interface LogSettings {
  readonly level: LogLevel;
  readonly format: LogFormat;
}

export class LogSettingsError extends Error {
  override name = "LogSettingsError";
}

/** A variable set to nothing (`LOG_LEVEL=` in a Compose file) means its default, as for every other variable. */
function setting(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value.toLowerCase();
}

/** LOG_LEVEL (default info) and LOG_FORMAT (json|text; default text on a TTY, else json). */
export function logSettingsFromEnv(env: Environment, isTty: boolean): LogSettings {
  const level = setting(env.LOG_LEVEL) ?? "info";
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new LogSettingsError(
      `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got "${env.LOG_LEVEL ?? ""}")`,
    );
  }
  const format = setting(env.LOG_FORMAT) ?? (isTty ? "text" : "json");
  if (format !== "json" && format !== "text") {
    throw new LogSettingsError(`LOG_FORMAT must be json or text (got "${env.LOG_FORMAT ?? ""}")`);
  }
  return { level: level as LogLevel, format };
}

const textFormat = winston.format.printf((info) => {
  const { level, message, timestamp, ...fields } = info;
  const extra = Object.entries(fields)
    .filter(([key]) => typeof key === "string")
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  return `${String(timestamp)} ${level.padEnd(5)} ${String(message)}${extra === "" ? "" : ` ${extra}`}`;
});

/** A logger writing to `stream` (stdout normally; stderr when stdout carries a dry run's requests). */
/** Always the time the line is written, in ISO 8601: a field named `timestamp` never replaces it. */
const lineTime = winston.format.timestamp({ format: () => new Date().toISOString() });

export function createLogger(settings: LogSettings, stream: NodeJS.WritableStream): Logger {
  return winston.createLogger({
    level: settings.level,
    format:
      settings.format === "json"
        ? winston.format.combine(lineTime, winston.format.json())
        : winston.format.combine(lineTime, textFormat),
    // winston's typings declare its transports as classes the rule cannot follow; this is its own constructor.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
    transports: [new winston.transports.Stream({ stream })],
  });
}

const closing = new WeakMap<Logger, Promise<void>>();

/** Ends the logger and waits until what it buffered has been written. Safe to call more than once. */
export function closeLogger(logger: Logger): Promise<void> {
  let closed = closing.get(logger);
  if (closed === undefined) {
    closed = new Promise((resolve) => {
      logger.on("finish", () => setImmediate(resolve));
      logger.end();
    });
    closing.set(logger, closed);
  }
  return closed;
}
