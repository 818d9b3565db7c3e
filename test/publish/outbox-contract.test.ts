/** Both outbox implementations, in memory and on disk, against the one contract suite. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Outbox } from "../../src/publish/outbox/outbox.js";
import { SegmentLog } from "../../src/publish/outbox/segment-log.js";
import { Stats } from "../../src/pipeline/stats.js";
import { memoryLogger } from "../support/memory-logger.js";
import { outboxSuite, type OutboxUnderTest } from "./outbox-suite.js";

outboxSuite({
  name: "in memory",
  durable: false,
  open(options) {
    const open = (): OutboxUnderTest => {
      const stats = new Stats();
      const outbox = new Outbox({ ...options, log: undefined, stats, logger: memoryLogger().logger });
      return {
        outbox,
        stats,
        restart: () => {
          outbox.close();
          return Promise.resolve(open());
        },
        close: () => {
          outbox.close();
        },
      };
    };
    return Promise.resolve(open());
  },
});

outboxSuite({
  name: "on disk",
  durable: true,
  async open(options) {
    const dir = mkdtempSync(join(tmpdir(), "cwp-outbox-suite-"));
    const open = async (): Promise<OutboxUnderTest> => {
      const stats = new Stats();
      const { logger } = memoryLogger();
      const { log, replay } = await SegmentLog.open({ dir, fsync: false, logger });
      const outbox = new Outbox({ ...options, log, stats, logger });
      outbox.restore(replay.pending);
      return {
        outbox,
        stats,
        restart: () => {
          outbox.close();
          return open();
        },
        close: () => {
          outbox.close();
        },
      };
    };
    return open();
  },
});
