/** The outbox on disk is its owner's alone: the directory 0700, every file in it 0600. */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { metricIdentity } from "../../src/cloudwatch/datum.js";
import { newEntry } from "../../src/publish/outbox/outbox.js";
import { SegmentLog } from "../../src/publish/outbox/segment-log.js";
import { memoryLogger } from "../support/memory-logger.js";

describe("outbox file modes", () => {
  it("creates the directory 0700 and the lock and segments 0600, whatever the umask", async () => {
    const previous = process.umask(0o002);
    try {
      const dir = join(mkdtempSync(join(tmpdir(), "cwp-modes-")), "outbox", "nested");
      const { log } = await SegmentLog.open({ dir, fsync: false, logger: memoryLogger().logger });
      const identity = metricIdentity({
        namespace: "N",
        name: "M",
        unit: "None",
        storageResolution: 60,
        dimensions: {},
      });
      log.appendDatum(1, newEntry(identity, 1, Date.now()));
      log.flush();
      log.compact([]);
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      const files = readdirSync(dir);
      assert.ok(files.length >= 2, files.join(", "));
      for (const name of files) assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600, name);
      log.close();
    } finally {
      process.umask(previous);
    }
  });
});
