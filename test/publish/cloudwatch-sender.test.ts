/**
 * The CloudWatch sender through the real SDK against the fake: how each failure is sorted, that the
 * request timeout fires, that an abandoned request is not resent, and that the SDK's warnings are JSON.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { classify } from "../../src/cloudwatch/classify.js";
import { createCloudWatchSender } from "../../src/publish/cloudwatch-sender.js";
import { metricIdentity } from "../../src/cloudwatch/datum.js";
import { newEntry } from "../../src/publish/outbox/outbox.js";
import { sdkLogger } from "../../src/publish/sdk-logger.js";
import { FakeCloudWatch, TEST_REGION } from "../support/fake-cloudwatch.js";
import { memoryLogger } from "../support/memory-logger.js";

let fake: FakeCloudWatch;
before(async () => {
  fake = await FakeCloudWatch.start();
  Object.assign(process.env, fake.env());
});
after(() => fake.close());

function datums(count: number, dimensions: Record<string, string> = {}) {
  const metric = metricIdentity({
    namespace: "Sender/Test",
    name: "M",
    unit: "None",
    storageResolution: 60,
    dimensions,
  });
  return Array.from({ length: count }, (_, i) => newEntry(metric, i, Date.now()));
}

function sender(requestTimeoutMs = 5_000) {
  const { logger, lines } = memoryLogger();
  return { sender: createCloudWatchSender({ region: TEST_REGION, requestTimeoutMs, logger }), lines };
}

describe("the CloudWatch sender", () => {
  it("sorts a body over 1 MB, which CloudWatch refuses with HTTP 413, as too large", async () => {
    const long = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`D${i}`, "v".repeat(1024)]));
    const { sender: s } = sender();
    const result = await s.send("Sender/Test", datums(40, long), new AbortController().signal);
    assert.ok(!result.ok);
    assert.equal(result.failure, "tooLarge");
    assert.equal(fake.requests.at(-1)!.status, 413);
    s.close();
  });

  it(
    "abandons an attempt that gets no answer within requestTimeout, logs it as JSON at once, and reports a transient failure",
    { timeout: 30_000 },
    async () => {
      fake.answerAfter(Infinity);
      try {
        const { sender: s, lines } = sender(300);
        const started = performance.now();
        const result = await s.send("Sender/Test", datums(1), new AbortController().signal);
        assert.ok(!result.ok);
        assert.equal(result.failure, "transient");
        assert.equal(result.error.name, "TimeoutError");
        assert.ok(performance.now() - started < 15_000);
        const timeouts = lines.filter((l) =>
          String(l.message).includes("no answer within 300 ms (delivery.requestTimeout)"),
        );
        assert.equal(timeouts.length, 1, "logged once per request, at its first attempt");
        assert.equal(timeouts[0]!.level, "warn");
        s.close();
      } finally {
        fake.answerAfter(0);
      }
    },
  );

  it("resolves a request abandoned through its signal as aborted, and never resends it", async () => {
    fake.answerAfter(Infinity);
    try {
      const { sender: s } = sender(30_000);
      const before = fake.received;
      const controller = new AbortController();
      const sent = s.send("Sender/Test", datums(1), controller.signal);
      while (fake.received === before) await new Promise((resolve) => setTimeout(resolve, 10));
      controller.abort(new Error("shutdown deadline"));
      const result = await sent;
      assert.ok(!result.ok);
      assert.equal(result.failure, "aborted");
      s.close();
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(fake.received, before + 1, "the SDK did not send it again");
    } finally {
      fake.answerAfter(0);
    }
  });

  it("delivers normally", async () => {
    const { sender: s } = sender();
    assert.deepEqual(await s.send("Sender/Test", datums(3), new AbortController().signal), { ok: true });
    s.close();
  });
});

describe("classify", () => {
  const error = (name: string, status?: number) =>
    Object.assign(new Error(name), {
      name,
      ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
    });
  it("sorts CloudWatch's answers into what Delivery does next", () => {
    const kind = (e: Error) => classify(e).kind;
    assert.equal(kind(error("InvalidParameterValue", 400)), "invalid");
    assert.equal(kind(error("UnknownError", 413)), "tooLarge");
    assert.equal(kind(error("RequestEntityTooLarge")), "tooLarge");
    assert.equal(kind(error("Throttling", 400)), "transient");
    assert.equal(kind(error("TimeoutError")), "transient");
    assert.equal(kind(error("AccessDenied", 403)), "credentials");
    assert.match(classify(error("AccessDenied", 403)).hint ?? "", /iam-policy/);
    assert.match(classify(error("CredentialsProviderError")).hint ?? "", /AWS_ACCESS_KEY_ID/);
    assert.equal(classify(error("Throttling", 400)).hint, undefined);
  });
});

describe("sdkLogger", () => {
  it("logs the SDK's warnings and errors as JSON lines and leaves out its per-request records", () => {
    const { logger, lines } = memoryLogger();
    const sdk = sdkLogger(logger);
    sdk.warn("@smithy/node-http-handler:WARN - socket usage at capacity=50");
    sdk.info({ clientName: "CloudWatchClient", commandName: "PutMetricDataCommand", input: {} });
    sdk.error({ clientName: "CloudWatchClient", error: new Error("x"), input: {} });
    sdk.debug("endpoint resolved");
    assert.deepEqual(
      lines.map((l) => [l.level, l.message, l.source]),
      [["warn", "AWS SDK: @smithy/node-http-handler:WARN - socket usage at capacity=50", "aws-sdk"]],
    );
  });
});
