/** The EMF sender: what it writes, and how delivery treats its failures (the same rules as PutMetricData's). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { metricIdentity } from "../../src/cloudwatch/datum.js";
import type { EmfWriter, EmfWriteResult } from "../../src/output/emf-writer.js";
import { writeFailure } from "../../src/output/emf-writer.js";
import { Delivery } from "../../src/publish/delivery.js";
import { createEmfSender } from "../../src/publish/emf-sender.js";
import { InFlightLimit } from "../../src/publish/in-flight-limit.js";
import { newEntry, Outbox } from "../../src/publish/outbox/outbox.js";
import { Stats } from "../../src/pipeline/stats.js";
import { parseEmfLines } from "../support/emf-spec.js";
import { memoryLogger } from "../support/memory-logger.js";

const series = (name: string, dimensions: Record<string, string> = {}) =>
  metricIdentity({ namespace: "N", name, unit: "Count", storageResolution: 60, dimensions });

/** A writer that records what it is given, failing while `failing` is set. */
function recordingWriter() {
  const lines: string[] = [];
  const state = { failing: false };
  const writer: EmfWriter = {
    target: "memory",
    write(documents): Promise<EmfWriteResult> {
      if (state.failing)
        return Promise.resolve(
          writeFailure("memory", Object.assign(new Error("disk full"), { code: "ENOSPC" })),
        );
      lines.push(...documents);
      return Promise.resolve({ ok: true, bytes: 0 });
    },
    close: () => Promise.resolve(),
  };
  return { writer, lines, state };
}

function pipeline(writer: EmfWriter) {
  const { logger, messages } = memoryLogger();
  const stats = new Stats();
  const outbox = new Outbox({ maxBufferedDatums: 1000, log: undefined, stats, logger, now: Date.now });
  const sender = createEmfSender(writer, { maxDocumentBytes: 16_000 });
  const delivery = new Delivery({
    inFlightLimit: new InFlightLimit(sender, stats),
    outbox,
    stats,
    logger,
    retry: { baseDelayMs: 10, maxDelayMs: 20 },
    now: Date.now,
    random: () => 0.5,
  });
  return { outbox, delivery, stats, messages, sender };
}

describe("the EMF sender", () => {
  it("writes a request's datums as spec-valid documents and answers ok", async () => {
    const { writer, lines } = recordingWriter();
    const sender = createEmfSender(writer, { maxDocumentBytes: 16_000 });
    const at = 1_800_000_000_000;
    const result = await sender.send(
      "N",
      [newEntry(series("a"), 1, at), newEntry(series("b"), 2, at)],
      new AbortController().signal,
    );
    assert.deepEqual(result, { ok: true });
    const [doc] = parseEmfLines(lines.join("\n"));
    assert.equal(lines.length, 1);
    assert.deepEqual([doc!.a, doc!.b, (doc!._aws as { Timestamp: number }).Timestamp], [1, 2, at]);
  });

  it("a failed write keeps the datums in the outbox, logged, and they are written once writing works again", async () => {
    const { writer, lines, state } = recordingWriter();
    const { outbox, delivery, stats, messages } = pipeline(writer);
    state.failing = true;
    const at = Date.now(); // one instant: two would be two EMF documents when the clock ticks between them
    const entries = [newEntry(series("a"), 1, at), newEntry(series("b"), 2, at)].map((d) => outbox.add(d));
    await delivery.deliver("N", entries);
    assert.equal(outbox.depth, 2, "kept");
    assert.ok(messages().some((m) => /writing EMF to memory failed \(ENOSPC: disk full\)/.test(m)));
    state.failing = false;
    await delivery.drain(Date.now() + 2_000);
    assert.equal(outbox.depth, 0);
    assert.equal(lines.length, 1);
    assert.equal(stats.snapshot().published, 2);
  });

  it("a datum EMF cannot carry is dropped with its reason and counted; the rest of the request is written", async () => {
    const { writer, lines } = recordingWriter();
    const { outbox, delivery, stats, messages } = pipeline(writer);
    const at = Date.now();
    const entries = [
      newEntry(series("ok"), 1, at),
      newEntry(series("Host", { Host: "a" }), 2, at),
      newEntry(series("fine"), 3, at),
    ].map((d) => outbox.add(d));
    await delivery.deliver("N", entries);
    assert.equal(outbox.depth, 0);
    assert.equal(stats.snapshot().dropped.rejected, 1);
    assert.ok(
      messages().some((m) => m.includes('metric "Host"') && m.includes("has a dimension of its own name")),
      messages().join("\n"),
    );
    const docs = parseEmfLines(lines.join("\n"));
    assert.deepEqual(
      docs.map((d) => [d.ok, d.fine]),
      [[1, 3]],
    );
  });
});
