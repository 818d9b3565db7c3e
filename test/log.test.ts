import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { closeLogger, createLogger } from "../src/log.js";

describe("the logger", () => {
  it("stamps every line with its own ISO time, whatever fields are passed", async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const logger = createLogger({ level: "debug", format: "json" }, stream);
    const before = Date.now();
    logger.debug("a datum", { timestamp: 5, value: 1 });
    await closeLogger(logger);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.match(String(line.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(Date.parse(String(line.timestamp)) >= before - 1);
  });
});
