/** ReadFailures: every failed read is counted; a failure several reads share (one scrape) is logged once. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Stats } from "../../src/pipeline/stats.js";
import { ReadFailures } from "../../src/schedule/read-failures.js";
import { SharedSourceError, SourceError } from "../../src/sources/types.js";
import { memoryLogger } from "../support/memory-logger.js";

describe("ReadFailures", () => {
  it("counts each read of a shared failure, and logs it once, under the first metric's name", () => {
    const { logger, messages } = memoryLogger();
    const stats = new Stats();
    const failures = new ReadFailures(logger, stats);
    const shared = new SharedSourceError("GET http://127.0.0.1/metrics answered HTTP 500 (oops)");
    for (const name of ["a", "b", "c"]) failures.failed(name, shared);
    assert.equal(stats.readFailures, 3);
    assert.deepEqual(messages(), ['metric "a": GET http://127.0.0.1/metrics answered HTTP 500 (oops)']);
  });

  it("a failure of the next scrape is logged again; an unshared one each time", () => {
    const { logger, messages } = memoryLogger();
    const stats = new Stats();
    const failures = new ReadFailures(logger, stats);
    failures.failed("a", new SharedSourceError("scrape 1 failed"));
    failures.failed("a", new SharedSourceError("scrape 2 failed"));
    const own = new SourceError("file missing");
    failures.failed("b", own);
    failures.failed("b", own);
    assert.equal(stats.readFailures, 4);
    assert.deepEqual(messages(), [
      'metric "a": scrape 1 failed',
      'metric "a": scrape 2 failed',
      'metric "b": file missing',
      'metric "b": file missing',
    ]);
  });
});
