/** An outbox in memory only, with its own counters and a memory logger, for tests of what it hands out. */
import { Outbox } from "../../src/publish/outbox/outbox.js";
import { Stats } from "../../src/pipeline/stats.js";
import { memoryLogger } from "./memory-logger.js";

export function memoryOutbox(maxBufferedDatums = 10_000): Outbox {
  const { logger } = memoryLogger();
  return new Outbox({ maxBufferedDatums, log: undefined, stats: new Stats(), logger, now: Date.now });
}
