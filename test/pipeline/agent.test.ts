/**
 * The agent's shutdown against the fake CloudWatch through the real SDK, in process, so that what
 * reaches CloudWatch after stop() returns can be watched: nothing may. (Closing the SDK's client with
 * requests in flight made the SDK send them again.)
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Agent } from "../../src/pipeline/agent.js";
import { loadConfigText } from "../../src/config/load.js";
import { createCloudWatchSender } from "../../src/publish/cloudwatch-sender.js";
import { FakeCloudWatch, TEST_REGION } from "../support/fake-cloudwatch.js";
import { memoryLogger } from "../support/memory-logger.js";
import { sleep } from "../support/wait.js";

let fake: FakeCloudWatch;
before(async () => {
  fake = await FakeCloudWatch.start();
  Object.assign(process.env, fake.env());
});
after(() => fake.close());

describe("Agent", () => {
  it("abandons requests unanswered at the shutdown deadline: none is sent again, and each is accounted for", async () => {
    const loaded = loadConfigText(
      "metrics:\n  - { name: Slow, namespace: Agent/Slow, source: { type: constant, value: 1 } }\n",
      "agent.yaml",
      {},
    );
    assert.ok(loaded.ok);
    const { logger, lines, messages } = memoryLogger();
    const sender = createCloudWatchSender({ region: TEST_REGION, requestTimeoutMs: 30_000, logger });
    const agent = await Agent.create({ config: loaded.config, env: {}, sender, logger, hostSeed: "test" });
    // CloudWatch takes the request and answers only after the deadline; it processes it anyway.
    fake.answerAfter(5_000, { processAbandoned: true });
    try {
      await agent.runOnce(1_000);
      const receivedAtStop = fake.received;
      assert.equal(receivedAtStop, 1);
      await sleep(2_000);
      assert.equal(fake.received, receivedAtStop, "nothing sent after the shutdown");
      assert.equal(agent.stats.dropped.shutdown, 1, "lost (no outbox directory), and counted");
      assert.equal(agent.stats.published, 0);
      assert.ok(
        messages().some((m) =>
          m.includes(
            "1 undelivered datum was lost at shutdown (no outbox directory to keep them in) (one of them was in a request CloudWatch had not answered by the deadline; it may have arrived)",
          ),
        ),
      );
      assert.deepEqual(
        lines.filter((l) => l.level === "warn" || l.level === "error").map((l) => l.message),
        messages().filter((m) => m.includes("lost at shutdown")),
        "no failure logged for the abandoned request",
      );
    } finally {
      fake.answerAfter(0);
    }
  });
});
