/**
 * Delivery under long and slow outages, against the real CLI and a fake CloudWatch per test (the
 * tests run side by side: they mostly wait). Each checks what the issue promised: requests within
 * 1 MB, a backlog delivered within seconds of CloudWatch returning, readiness back within 15 s,
 * request timeouts that fire, and a shutdown that never sends a datum a third time.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cleanEnv, jsonLines, runCli, startCli } from "../support/cli.js";
import { collectedKeys, counts, deliveredKeys } from "../support/datums.js";
import { FakeCloudWatch } from "../support/fake-cloudwatch.js";
import { freePort, probe } from "../support/http.js";
import { sleep, waitFor } from "../support/wait.js";

const dir = mkdtempSync(join(tmpdir(), "cwp-recovery-"));

function writeConfig(name: string, text: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

function env(fake: FakeCloudWatch, extra: Record<string, string> = {}): Record<string, string> {
  return cleanEnv({ ...fake.env(), LOG_FORMAT: "json", LOG_LEVEL: "debug", ...extra });
}

async function withFake(work: (fake: FakeCloudWatch) => Promise<void>): Promise<void> {
  const fake = await FakeCloudWatch.start();
  try {
    await work(fake);
  } finally {
    await fake.close();
  }
}

describe("recovery", { concurrency: true }, () => {
  it("delivers the backlog of a 12 s outage (1,100 datums of 30 long dimensions) within 10 s, every request under 1 MB", async () => {
    await withFake(async (fake) => {
      const ns = "Recovery/Big";
      const dimensions = Array.from(
        { length: 30 },
        (_, i) => `    Dimension${String(i).padStart(2, "0")}: "${String(i % 10).repeat(1024)}"`,
      ).join("\n");
      const metrics = Array.from(
        { length: 90 },
        (_, i) => `  - { name: M${i}, source: { type: constant, value: ${i} } }`,
      );
      const config = writeConfig(
        "big",
        `defaults:\n  namespace: ${ns}\n  schedule: "* * * * * *"\n  dimensions:\n${dimensions}\nmetrics:\n${metrics.join("\n")}\n`,
      );
      const cli = startCli(["run", "--config", config], env(fake)); // the default delivery settings
      await fake.waitForDatums(90, 30_000);
      await fake.refuseConnections();
      await sleep(12_000);
      await fake.resume();
      const back = Date.now();
      const backlog = collectedKeys(cli.stdout()).filter((key) => Number(key.split("@")[1]) < back - 1_000);
      assert.ok(backlog.length >= 1_000, `a backlog of ${backlog.length} datums`);
      await waitFor(
        () => {
          const got = new Set(deliveredKeys(fake, ns));
          return backlog.every((key) => got.has(key));
        },
        "the backlog to be delivered",
        60_000,
      );
      const seconds = (Date.now() - back) / 1000;
      const { code } = await cli.stop();
      assert.equal(code, 0);
      assert.ok(seconds <= 10, `the backlog took ${seconds} s after CloudWatch came back`);
      const statuses = new Set(fake.requests.map((r) => r.status));
      assert.deepEqual([...statuses], [200], "no request was refused (no 413)");
      const largest = Math.max(...fake.requests.map((r) => r.bodyBytes));
      assert.ok(largest <= 1_000_000, `a request of ${largest} bytes decoded`);
      const delivered = deliveredKeys(fake, ns);
      assert.deepEqual(delivered, collectedKeys(cli.stdout()), "every datum collected, each once");
    });
  });

  it("is ready again within 15 s of CloudWatch returning after a 100 s outage; healthcheck agrees", async () => {
    await withFake(async (fake) => {
      const port = await freePort();
      const healthFile = join(dir, "ready-status.json");
      const config = writeConfig(
        "ready",
        `health: { port: ${port} }\nmetrics:\n  - { name: Tick, namespace: Recovery/Ready, schedule: "* * * * * *", runOnStart: true, source: { type: constant, value: 1 } }\n`,
      );
      const environment = env(fake, { LOG_LEVEL: "info", HEALTH_FILE: healthFile });
      const cli = startCli(["run", "--config", config], environment);
      await cli.waitForLine(/health endpoint listening/, 30_000);
      await fake.waitForDatums(1, 30_000);
      await fake.refuseConnections();
      await sleep(100_000);
      assert.equal((await probe(port, "/readyz")).status, 503, "not ready after 100 s without CloudWatch");
      await fake.resume();
      const back = performance.now();
      let ready = false;
      while (!ready && performance.now() - back < 15_000) {
        ready = (await probe(port, "/readyz")).status === 200;
        if (!ready) await sleep(250);
      }
      assert.ok(ready, "/readyz is 200 within 15 s");
      let healthy = false;
      while (!healthy && performance.now() - back < 15_000) {
        healthy = (await runCli(["healthcheck"], { env: environment })).code === 0;
        if (!healthy) await sleep(500);
      }
      assert.ok(healthy, "healthcheck exits 0 within 15 s");
      const { code } = await cli.stop();
      assert.equal(code, 0);
      const got = deliveredKeys(fake, "Recovery/Ready");
      assert.equal(new Set(got).size, got.length, "no duplicates");
    });
  });

  it("logs a request timeout within 3 s when CloudWatch answers after 20 s, and delivers once it answers again", async () => {
    await withFake(async (fake) => {
      const ns = "Recovery/Slow";
      const config = writeConfig(
        "slow",
        `delivery: { requestTimeout: 1s }\nmetrics:\n  - { name: Tick, namespace: ${ns}, schedule: "* * * * * *", runOnStart: true, source: { type: constant, value: 1 } }\n`,
      );
      const cli = startCli(["run", "--config", config], env(fake));
      await fake.waitForDatums(1, 30_000);
      const received = fake.received;
      fake.answerAfter(20_000);
      await waitFor(() => fake.received > received, "a request to the slow CloudWatch");
      const sent = performance.now();
      await cli.waitForLine(/no answer within 1000 ms \(delivery\.requestTimeout\)/, 10_000);
      const seconds = (performance.now() - sent) / 1000;
      assert.ok(seconds <= 3, `the timeout was logged after ${seconds} s`);
      await sleep(4_000);
      // Held requests are dropped, not answered: one answered just as its client timed out would be
      // sent again, an honest at-least-once duplicate that "each datum once" below cannot tell apart.
      fake.answerAfter(0, { dropHeld: true });
      const answering = Date.now();
      await waitFor(() => {
        const got = new Set(deliveredKeys(fake, ns));
        return collectedKeys(cli.stdout())
          .filter((key) => Number(key.split("@")[1]) < answering)
          .every((key) => got.has(key));
      }, "every datum collected during the slow answers to be delivered");
      const { code } = await cli.stop();
      assert.equal(code, 0);
      assert.deepEqual(deliveredKeys(fake, ns), collectedKeys(cli.stdout()), "each datum once");
      assert.equal(cli.stderr(), "", "nothing but JSON lines: the SDK's warnings go through the logger");
      for (const line of cli
        .stdout()
        .split("\n")
        .filter((l) => l !== ""))
        JSON.parse(line);
    });
  });

  it("at a SIGTERM during slow answers, abandons what is unanswered rather than resending it: no datum arrives a third time", async () => {
    await withFake(async (fake) => {
      const ns = "Recovery/Shutdown";
      const outboxDir = join(dir, "outbox-shutdown");
      const config = writeConfig(
        "shutdown",
        `delivery: { outboxDir: ${outboxDir}, requestTimeout: 60s }\nmetrics:\n  - { name: Tick, namespace: ${ns}, schedule: "* * * * * *", runOnStart: true, source: { type: constant, value: 1 } }\n`,
      );
      const first = startCli(["run", "--config", config], env(fake));
      await fake.waitForDatums(2, 30_000);
      const received = fake.received;
      // Slower than the shutdown deadline; CloudWatch still processes what the client abandoned.
      fake.answerAfter(15_000, { processAbandoned: true });
      await waitFor(() => fake.received >= received + 2, "two requests to the slow CloudWatch");
      const { code } = await first.stop();
      assert.equal(code, 0);
      const acceptedAtExit = deliveredKeys(fake, ns).length;
      const logs = jsonLines(first.stdout());
      const final = logs.at(-1)!;
      assert.equal(final.message, "stopped");
      const collected = collectedKeys(first.stdout());
      assert.equal(final.published, acceptedAtExit, "accepted: exactly what CloudWatch answered");
      assert.equal(final.outboxDepth, collected.length - acceptedAtExit, "kept: all the rest");
      assert.equal((final.dropped as Record<string, number>).shutdown, 0, "lost: none");
      assert.ok(
        logs.some((l) =>
          /undelivered datums? stays? in the outbox .* \((\d+ of them were in requests|one of them was in a request) CloudWatch had not answered by the deadline; (they|it) may have arrived\)/.test(
            String(l.message),
          ),
        ),
      );
      await fake.idle(); // the abandoned requests are processed now
      fake.answerAfter(0);
      const second = startCli(["run", "--config", config], env(fake));
      await waitFor(() => {
        const got = new Set(deliveredKeys(fake, ns));
        return collected.every((key) => got.has(key));
      }, "the first run's datums after the restart");
      await second.stop();
      const times = counts(deliveredKeys(fake, ns));
      for (const key of collected) assert.ok((times.get(key) ?? 0) >= 1, `${key} delivered`);
      const most = Math.max(...times.values());
      assert.ok(most <= 2, `a datum arrived ${most} times`);
    });
  });
});
