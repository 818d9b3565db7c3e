/**
 * SharedScrapes against a real HTTP server: readers of one endpoint at one scheduled instant share
 * one GET; each is bounded by its own signal; the GET is aborted only when all gave up; a failure
 * rejects every reader with the same SharedSourceError.
 */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { scrapeRequest } from "../../../src/sources/prometheus/scrape.js";
import { SharedScrapes } from "../../../src/sources/prometheus/shared-scrapes.js";
import { ReadAborted, SharedSourceError } from "../../../src/sources/types.js";
import { startExporter, type Answer, type Exporter } from "./exporter.js";

const BODY = "# TYPE up gauge\nup 1\n# TYPE jobs_total counter\njobs_total 7\n";
const T0 = Date.UTC(2026, 0, 1);

let exporter: Exporter | undefined;
afterEach(async () => {
  await exporter?.close();
  exporter = undefined;
});

async function serve(answer: Answer): Promise<Exporter> {
  exporter = await startExporter(() => answer);
  return exporter;
}

/** Three readers of one endpoint, each with its own controller. */
function threeReaders(server: Exporter, scheduledAt: (i: number) => number = () => T0) {
  const scrapes = new SharedScrapes();
  const http = scrapeRequest(`${server.origin}/metrics`, {});
  const key = JSON.stringify([`${server.origin}/metrics`, {}]);
  const controllers = [0, 1, 2].map(() => new AbortController());
  const reads = controllers.map((c, i) => scrapes.families(http, key, scheduledAt(i), c.signal));
  for (const read of reads) read.catch(() => undefined);
  return { scrapes, http, key, controllers, reads };
}

describe("SharedScrapes", () => {
  it("three readers at the same scheduled instant: one request, one parse for all", async () => {
    const server = await serve({ kind: "body", body: BODY });
    const { reads, scrapes, http, key } = threeReaders(server);
    const families = await Promise.all(reads);
    assert.equal(server.requests.length, 1);
    assert.deepEqual(
      families[0]!.map((f) => f.name),
      ["up", "jobs_total"],
    );
    assert.ok(
      families.every((f) => f === families[0]),
      "the same parse for every reader",
    );
    // A reader of the same instant that comes after the scrape ended still shares it.
    const late = await scrapes.families(http, key, T0, new AbortController().signal);
    assert.equal(late, families[0]);
    assert.equal(server.requests.length, 1);
  });

  it("different scheduled instants: a request each", async () => {
    const server = await serve({ kind: "body", body: BODY });
    const { reads } = threeReaders(server, (i) => (i === 2 ? T0 + 60_000 : T0));
    await Promise.all(reads);
    assert.equal(server.requests.length, 2);
  });

  it("different headers are different endpoints", async () => {
    const server = await serve({ kind: "body", body: BODY });
    const scrapes = new SharedScrapes();
    const url = `${server.origin}/metrics`;
    const signal = new AbortController().signal;
    await Promise.all(
      [{}, { "X-Tenant": "a" }].map((headers) =>
        scrapes.families(scrapeRequest(url, headers), JSON.stringify([url, headers]), T0, signal),
      ),
    );
    assert.equal(server.requests.length, 2);
  });

  it("one reader giving up early does not abort the others' scrape", async () => {
    const server = await serve({ kind: "hold", body: BODY });
    const { reads, controllers } = threeReaders(server);
    await server.received(1);
    controllers[0]!.abort(new ReadAborted("timeout"));
    await assert.rejects(reads[0]!, (error: unknown) => {
      assert.ok(error instanceof SharedSourceError);
      assert.match(error.message, /^GET http:\/\/127\.0\.0\.1:\d+\/metrics timed out/);
      return true;
    });
    server.release();
    const [second, third] = await Promise.all([reads[1]!, reads[2]!]);
    assert.deepEqual(
      second.map((f) => f.name),
      ["up", "jobs_total"],
    );
    assert.equal(third, second);
    assert.equal(server.requests.length, 1);
    assert.equal(await server.requests[0]!.ended, "finished");
  });

  it("every reader giving up aborts the request", async () => {
    const server = await serve({ kind: "hold", body: BODY });
    const { reads, controllers } = threeReaders(server);
    await server.received(1);
    for (const controller of controllers) controller.abort(new ReadAborted("timeout"));
    const errors = await Promise.all(
      reads.map((read) =>
        read.then(
          () => undefined,
          (e: unknown) => e,
        ),
      ),
    );
    assert.ok(errors.every((e) => e instanceof SharedSourceError && /timed out/.test(e.message)));
    assert.ok(
      errors.every((e) => e === errors[0]),
      "one error for the log to say once",
    );
    assert.equal(await server.requests[0]!.ended, "cut off");
  });

  it("an aborted scrape is not reused: a later reader of the same instant scrapes again", async () => {
    const server = await serve({ kind: "hold", body: BODY });
    const { reads, controllers, scrapes, http, key } = threeReaders(server);
    await server.received(1);
    for (const controller of controllers) controller.abort(new ReadAborted("timeout"));
    await Promise.allSettled(reads);
    const again = scrapes.families(http, key, T0, new AbortController().signal);
    await server.received(2);
    server.release();
    await again.catch(() => undefined);
    assert.equal(server.requests.length, 2);
  });

  for (const [what, answer, message] of [
    ["an HTTP error", { kind: "body", body: "oops", status: 500 }, /answered HTTP 500/],
    ["a body that does not parse", { kind: "body", body: "<html>nope</html>\n" }, /line 1: the body is HTML/],
  ] as const)
    it(`${what}: every reader rejects with the same SharedSourceError, saying it was shared`, async () => {
      const server = await serve(answer);
      const { reads } = threeReaders(server);
      const errors = await Promise.all(
        reads.map((read) =>
          read.then(
            () => undefined,
            (e: unknown) => e,
          ),
        ),
      );
      const first = errors[0];
      assert.ok(first instanceof SharedSourceError);
      assert.ok(errors.every((e) => e === first));
      assert.match(first.message, message);
      assert.match(first.message, /one scrape shared by 3 metrics/);
      assert.equal(server.requests.length, 1);
    });

  it("a reader alone is not told about sharing", async () => {
    const server = await serve({ kind: "body", body: "oops", status: 503 });
    const scrapes = new SharedScrapes();
    const http = scrapeRequest(`${server.origin}/metrics`, {});
    await assert.rejects(scrapes.families(http, "k", T0, new AbortController().signal), (error: unknown) => {
      assert.ok(error instanceof SharedSourceError);
      assert.doesNotMatch(error.message, /shared/);
      return true;
    });
  });
});
