/** The fake must be strict where CloudWatch is strict, or the tests that lean on it prove nothing. */
import assert from "node:assert/strict";
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { after, before, describe, it } from "node:test";
import {
  FakeCloudWatch,
  TEST_ACCESS_KEY_ID,
  TEST_REGION,
  TEST_SECRET_ACCESS_KEY,
} from "./fake-cloudwatch.js";

let fake: FakeCloudWatch;
before(async () => (fake = await FakeCloudWatch.start()));
after(() => fake.close());

function client(secret = TEST_SECRET_ACCESS_KEY): CloudWatchClient {
  return new CloudWatchClient({
    endpoint: fake.url,
    region: TEST_REGION,
    credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: secret },
    maxAttempts: 1,
  });
}

function put(data: MetricDatum[], secret?: string) {
  return client(secret).send(new PutMetricDataCommand({ Namespace: "Fake/Test", MetricData: data }));
}

describe("the fake CloudWatch", () => {
  it("accepts a signed request and records its datums", async () => {
    await put([
      { MetricName: "A", Value: 1, Dimensions: [{ Name: "H", Value: "x" }], Timestamp: new Date() },
    ]);
    assert.deepEqual(fake.datums.at(-1)!.dimensions, { H: "x" });
  });
  it("rejects a request signed with another secret", async () => {
    await assert.rejects(put([{ MetricName: "A", Value: 1 }], "wrong-secret"), {
      name: "SignatureDoesNotMatch",
    });
  });
  it("rejects more than 1000 datums, an out-of-range value and an old timestamp", async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ MetricName: `m${i}`, Value: 1 }));
    await assert.rejects(put(many), { name: "InvalidParameterValueException" });
    await assert.rejects(put([{ MetricName: "A", Value: 2 ** 361 }]), {
      message: /MetricData\.member\.1\.Value is invalid/,
    });
    await assert.rejects(
      put([{ MetricName: "A", Value: 1, Timestamp: new Date(Date.now() - 15 * 86_400_000) }]),
      { name: "InvalidParameterValueException" },
    );
  });
  it("decodes gzip bodies the SDK sends for large requests", async () => {
    const data = Array.from({ length: 500 }, (_, i) => ({ MetricName: `m${i}`, Value: i }));
    await put(data);
    assert.equal(fake.requests.at(-1)!.gzip, true);
  });
  it("injects throttling and server errors", async () => {
    fake.inject({ kind: "throttle" });
    await assert.rejects(put([{ MetricName: "A", Value: 1 }]), { name: "Throttling" });
    fake.inject({ kind: "server-error" });
    await assert.rejects(
      put([{ MetricName: "A", Value: 1 }]),
      (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode === 500,
    );
  });
  it("refuses connections until resumed", async () => {
    await fake.refuseConnections();
    await assert.rejects(put([{ MetricName: "A", Value: 1 }]), { code: "ECONNREFUSED" });
    await fake.resume();
    await put([{ MetricName: "A", Value: 1 }]);
  });
  it("answers late, or never, and records an abandoned request only when told to", async () => {
    const before = fake.datums.length;
    /** Sends one datum and abandons the request once the fake has received it. */
    const sendAndAbandon = async (name: string) => {
      const received = fake.received;
      const controller = new AbortController();
      const sent = client()
        .send(
          new PutMetricDataCommand({ Namespace: "Fake/Test", MetricData: [{ MetricName: name, Value: 1 }] }),
          {
            abortSignal: controller.signal,
          },
        )
        .catch((error: unknown) => (error as Error).name);
      while (fake.received === received) await new Promise((resolve) => setTimeout(resolve, 10));
      controller.abort();
      return sent;
    };
    fake.answerAfter(Infinity);
    assert.equal(await sendAndAbandon("A"), "AbortError");
    fake.answerAfter(200, { processAbandoned: true });
    assert.equal(await sendAndAbandon("B"), "AbortError");
    fake.answerAfter(0); // releases what still waits: A stays unprocessed, B is processed
    await fake.idle();
    assert.deepEqual(
      fake.datums.slice(before).map((d) => d.name),
      ["B"],
      "A was abandoned and never processed; B was processed although its client had gone",
    );
  });
  it("drops the requests it holds, unprocessed and unanswered, when told to", async () => {
    const before = fake.datums.length;
    const received = fake.received;
    fake.answerAfter(Infinity);
    const sent = put([{ MetricName: "Held", Value: 1 }]).then(
      () => "answered",
      (error: unknown) => (error as Error).name,
    );
    while (fake.received === received) await new Promise((resolve) => setTimeout(resolve, 10));
    fake.answerAfter(0, { dropHeld: true });
    assert.notEqual(await sent, "answered", "the client saw no answer");
    await put([{ MetricName: "After", Value: 1 }]);
    assert.deepEqual(
      fake.datums.slice(before).map((d) => d.name),
      ["After"],
    );
  });
});
