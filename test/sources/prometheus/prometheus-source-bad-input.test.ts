/**
 * The prometheus source against hostile endpoints: a body that is not exposition text, a 100 MB body
 * (with and without a declared length), a body that never ends, a family that disappears, values a
 * counter or histogram cannot have, and a URL whose credentials must never reach a message.
 */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { PrometheusOptions } from "../../../src/config/prometheus-options.js";
import { MAX_HTTP_BODY_BYTES } from "../../../src/sources/http-get.js";
import { prometheusSource } from "../../../src/sources/prometheus/prometheus-source.js";
import { SharedScrapes } from "../../../src/sources/prometheus/shared-scrapes.js";
import {
  memoryBaselines,
  ReadAborted,
  SourceError,
  type SeriesReading,
  type ValueSource,
} from "../../../src/sources/types.js";
import { prometheusOptions, startExporter, type Answer, type Exporter } from "./exporter.js";

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;
const HUNDRED_MB = 100 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, "x");

let exporter: Exporter | undefined;
afterEach(async () => {
  await exporter?.close();
  exporter = undefined;
});

async function serve(answer: (index: number) => Answer): Promise<Exporter> {
  exporter = await startExporter((_, index) => answer(index));
  return exporter;
}

function source(
  url: string,
  metric: string,
  more: Partial<PrometheusOptions> = {},
  scrapes = new SharedScrapes(),
) {
  return prometheusSource(prometheusOptions(url, metric, more), undefined, {
    scrapes,
    baselines: memoryBaselines(),
  });
}

/** A SourceError's message, checked to be one line. */
function messageOf(error: unknown): string {
  assert.ok(error instanceof SourceError, `a SourceError, not ${String(error)}`);
  assert.doesNotMatch(error.message, /\n/, "one line");
  return error.message;
}

/** The read's SourceError message; fails if the read does not reject with one. */
async function failure(read: Promise<unknown>): Promise<string> {
  try {
    await read;
  } catch (error) {
    return messageOf(error);
  }
  assert.fail("the read succeeded");
}

const read = (s: ValueSource, at = T0, signal = new AbortController().signal) => s.read(signal, at);

describe("prometheus source: bad input", () => {
  for (const [what, body, line, kind] of [
    ["an HTML page", "<!DOCTYPE html>\n<html><body>Login</body></html>\n", 1, /HTML/],
    ["JSON", '{"status":"ok","metrics":[1,2]}\n', 1, /JSON/],
    ["text broken on line 3", "# TYPE up gauge\nup 1\nup{ 2\n", 3, /./],
  ] as const)
    it(`${what}: a one-line SourceError naming the URL and the line`, async () => {
      const server = await serve(() => ({ kind: "body", body, contentType: "text/html" }));
      const message = await failure(read(source(`${server.origin}/metrics`, "up")));
      assert.ok(message.startsWith(`GET ${server.origin}/metrics: `), message);
      assert.match(message, new RegExp(`line ${line}: `));
      assert.match(message, kind);
    });

  for (const declared of [true, false])
    it(`a 100 MB body ${declared ? "with" : "without"} a content-length: refused at the 1 MiB cap, the transfer cut off`, async () => {
      const server = await serve(() => ({
        kind: "stream",
        chunk: CHUNK,
        chunks: HUNDRED_MB / CHUNK.byteLength,
        ...(declared ? { contentLength: HUNDRED_MB } : {}),
      }));
      const message = await failure(read(source(`${server.origin}/metrics`, "up")));
      assert.equal(
        message,
        `GET ${server.origin}/metrics: the body is over the ${MAX_HTTP_BODY_BYTES}-byte limit`,
      );
      assert.equal(await server.requests[0]!.ended, "cut off");
      // The client stopped reading: what the server got out is what fits in the sockets' buffers.
      assert.ok(
        server.requests[0]!.written() < 32 * 1024 * 1024,
        `${server.requests[0]!.written()} bytes written`,
      );
    });

  it("a body that never ends: the read's signal ends it, as timed out", async () => {
    const server = await serve(() => ({ kind: "hold", start: "# TYPE up gauge\nup 1\n", body: "" }));
    const controller = new AbortController();
    const reading = read(source(`${server.origin}/metrics`, "up"), T0, controller.signal);
    await server.received(1);
    controller.abort(new ReadAborted("timeout"));
    const message = await failure(reading);
    assert.match(message, new RegExp(`^GET ${server.origin}/metrics timed out`));
    assert.equal(await server.requests[0]!.ended, "cut off");
  });

  it("a body that never ends, bounded by AbortSignal.timeout: timed out", async () => {
    const server = await serve(() => ({ kind: "hold", start: "# TYPE up gauge\n", body: "" }));
    const message = await failure(
      read(source(`${server.origin}/metrics`, "up"), T0, AbortSignal.timeout(200)),
    );
    assert.match(message, /timed out/);
  });

  it("a family that disappears: a SourceError for that metric naming it (and a close name); the other still reads", async () => {
    const bodies = [
      "# TYPE jobs_total counter\njobs_total 5\n# TYPE queue_depth gauge\nqueue_depth 3\n",
      "# TYPE job_total counter\njob_total 6\n# TYPE queue_depth gauge\nqueue_depth 4\n",
      "# TYPE queue_depth gauge\nqueue_depth 5\n",
    ];
    const server = await serve((index) => ({ kind: "body", body: bodies[Math.min(index, 2)]! }));
    const url = `${server.origin}/metrics`;
    const scrapes = new SharedScrapes();
    const jobs = source(url, "jobs_total", {}, scrapes);
    const queue = source(url, "queue_depth", {}, scrapes);
    await Promise.all([read(jobs, T0), read(queue, T0)]);
    const [jobsFailed, queueRead] = await Promise.allSettled([
      read(jobs, T0 + MINUTE),
      read(queue, T0 + MINUTE),
    ]);
    assert.ok(jobsFailed.status === "rejected");
    assert.equal(
      messageOf(jobsFailed.reason),
      `GET ${url}: no metric family "jobs_total" among the 2 the endpoint serves (did you mean "job_total"?)`,
    );
    assert.deepEqual(queueRead, {
      status: "fulfilled",
      value: { samples: [{ dimensions: {}, value: 4 }], skipped: [], notes: [] },
    });
    assert.equal(
      await failure(read(jobs, T0 + 2 * MINUTE)),
      `GET ${url}: no metric family "jobs_total" among the 1 the endpoint serves`,
    );
    assert.equal(server.requests.length, 3);
  });

  for (const bad of ["NaN", "+Inf"])
    it(`a counter series whose value is ${bad}: skipped with the reason, the others published`, async () => {
      const body = (a: string, b: number) =>
        `# TYPE jobs_total counter\njobs_total{queue="a"} ${a}\njobs_total{queue="b"} ${b}\n`;
      const bodies = [body("1", 1), body(bad, 4), body("3", 6)];
      const server = await serve((index) => ({ kind: "body", body: bodies[Math.min(index, 2)]! }));
      const jobs = source(`${server.origin}/metrics`, "jobs_total", { labels: { queue: "Queue" } });
      await read(jobs, T0);
      const reading = (await read(jobs, T0 + MINUTE)) as SeriesReading;
      assert.deepEqual(reading.samples, [{ dimensions: { Queue: "b" }, value: 3 }]);
      assert.equal(reading.skipped.length, 1);
      assert.deepEqual(reading.skipped[0]!.dimensions, { Queue: "a" });
      assert.match(
        reading.skipped[0]!.reason,
        /jobs_total\{queue="a"\}: the counter's value is (NaN|Infinity)/,
      );
      // The series kept its baseline: the next increase is from its last good value.
      assert.deepEqual(((await read(jobs, T0 + 2 * MINUTE)) as SeriesReading).samples, [
        { dimensions: { Queue: "a" }, value: 2 },
        { dimensions: { Queue: "b" }, value: 2 },
      ]);
    });

  it("a histogram without a +Inf bucket: skipped with the reason", async () => {
    const body = `# TYPE latency_seconds histogram\nlatency_seconds_bucket{le="0.5"} 1\nlatency_seconds_bucket{le="1"} 2\nlatency_seconds_count 2\nlatency_seconds_sum 1\n`;
    const server = await serve(() => ({ kind: "body", body }));
    const reading = (await read(source(`${server.origin}/metrics`, "latency_seconds"))) as SeriesReading;
    assert.deepEqual(reading, {
      samples: [],
      skipped: [{ dimensions: {}, reason: `a series has no le="+Inf" bucket` }],
      notes: [],
    });
  });

  it("a histogram bucket of NaN: skipped with the reason, not a datum of NaN counts", async () => {
    const body = (inf: string) =>
      `# TYPE latency_seconds histogram\nlatency_seconds_bucket{le="1"} 1\nlatency_seconds_bucket{le="+Inf"} ${inf}\n`;
    const bodies = [body("2"), body("NaN")];
    const server = await serve((index) => ({ kind: "body", body: bodies[Math.min(index, 1)]! }));
    const latency = source(`${server.origin}/metrics`, "latency_seconds");
    await read(latency, T0);
    const reading = (await read(latency, T0 + MINUTE)) as SeriesReading;
    assert.deepEqual(reading.samples, []);
    assert.match(reading.skipped[0]?.reason ?? "", /its le="\+Inf" bucket is NaN, which no counter takes/);
  });

  it("a bucket whose le is not a number: the scrape fails naming the line and the value", async () => {
    const body = `# TYPE latency_seconds histogram\nlatency_seconds_bucket{le="fast"} 1\nlatency_seconds_bucket{le="+Inf"} 2\n`;
    const server = await serve(() => ({ kind: "body", body }));
    const message = await failure(read(source(`${server.origin}/metrics`, "latency_seconds")));
    assert.match(message, /line 2: the le label of latency_seconds_bucket, "fast", is not a number/);
  });
});

describe("prometheus source: credentials in the URL", () => {
  const USER = "scraper";
  const PASSWORD = "pa55-w0rd-xyz";
  const TOKEN = "t0ken-abcdef-123456";
  const secretsIn = (text: string) => [USER, PASSWORD, TOKEN].filter((s) => text.includes(s));

  for (const [what, answer, metric] of [
    [
      "an HTML page that echoes them",
      { kind: "body", body: `<html>user ${USER} token ${TOKEN} password ${PASSWORD}</html>\n` },
      "up",
    ],
    [
      "a line that echoes them and does not parse",
      { kind: "body", body: `# TYPE up gauge\nup{token="${TOKEN}",password="${PASSWORD}"} x\n` },
      "up",
    ],
    [
      "an HTTP error that echoes them",
      { kind: "body", status: 401, body: `bad token ${TOKEN} for ${USER}:${PASSWORD}` },
      "up",
    ],
    ["a missing family", { kind: "body", body: "# TYPE up gauge\nup 1\n" }, "down"],
    ["a body too large", { kind: "stream", chunk: CHUNK, chunks: 40 }, "up"],
  ] as const)
    it(`${what}: never in the message`, async () => {
      const server = await serve(() => answer);
      const port = new URL(server.origin).port;
      const url = `http://${USER}:${PASSWORD}@127.0.0.1:${port}/metrics?token=${TOKEN}`;
      const message = await failure(read(source(url, metric)));
      assert.deepEqual(secretsIn(message), [], message);
      assert.match(message, new RegExp(`^GET http://127\\.0\\.0\\.1:${port}/metrics`));
      assert.equal(
        server.requests[0]!.headers.authorization,
        `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`,
      );
      assert.equal(server.requests[0]!.path, `/metrics?token=${TOKEN}`);
    });

  it("a timeout: never in the message", async () => {
    const server = await serve(() => ({ kind: "hold", body: "" }));
    const port = new URL(server.origin).port;
    const url = `http://${USER}:${PASSWORD}@127.0.0.1:${port}/metrics?token=${TOKEN}`;
    const controller = new AbortController();
    const reading = read(source(url, "up"), T0, controller.signal);
    await server.received(1);
    controller.abort(new ReadAborted("timeout"));
    const message = await failure(reading);
    assert.deepEqual(secretsIn(message), [], message);
  });
});
