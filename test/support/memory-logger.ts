/** A real winston logger (the product's own factory) whose JSON lines land in an array. */
import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../src/log.js";

export function memoryLogger(): {
  logger: Logger;
  lines: Record<string, unknown>[];
  messages: () => string[];
} {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split("\n"))
        if (line !== "") lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const logger = createLogger({ level: "debug", format: "json" }, stream);
  return { logger, lines, messages: () => lines.map((l) => String(l.message)) };
}
