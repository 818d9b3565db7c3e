/**
 * Delivery guarantees end to end, with faults injected into the fake CloudWatch. Each test asserts
 * the exact set of datums delivered (by timestamp), so a loss or a duplicate fails it.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cleanEnv, jsonLines, runCli, startCli } from "../support/cli.js";
import { FakeCloudWatch, TEST_ACCESS_KEY_ID } from "../support/fake-cloudwatch.js";
import { sleep, waitFor } from "../support/wait.js";

const dir = mkdtempSync(join(tmpdir(), "cwp-delivery-"));
let fake: FakeCloudWatch;
before(async () => (fake = await FakeCloudWatch.start()));
after(() => fake.close());

function env(extra: Record<string, string> = {}): Record<string, string> {
  return cleanEnv({ ...fake.env(), LOG_FORMAT: "json", LOG_LEVEL: "debug", ...extra });
}

function config(name: string, namespace: string, delivery: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `delivery:
${delivery}
  retryBaseDelay: 200ms
  retryMaxDelay: 1s
metrics:
  - { name: Tick, namespace: ${namespace}, schedule: "* * * * * *", runOnStart: true, source: { type: constant, value: 1 } }
`,
  );
  return file;
}

/** The timestamps the process logged as collected (LOG_LEVEL=debug). */
function collected(stdout: string, metric = "Tick"): number[] {
  return jsonLines(stdout)
    .filter((l) => l.message === `collected metric "${metric}"`)
    .map((l) => Date.parse(l.scheduledAt as string))
    .sort();
}

function delivered(namespace: string): number[] {
  return fake.datums
    .filter((d) => d.namespace === namespace)
    .map((d) => d.timestamp)
    .sort();
}

/**
 * A `run` with an outbox directory that collects at least `count` datums while CloudWatch refuses
 * connections and is then SIGKILLed; CloudWatch is reachable again afterwards. Returns the config
 * file and what was collected.
 */
async function crashWithBacklog(name: string, namespace: string, count: number) {
  const file = config(name, namespace, `  outboxDir: ${join(dir, `outbox-${name}`)}`);
  await fake.refuseConnections();
  const crashed = startCli(["run", "--config", file], env());
  await waitFor(() => collected(crashed.stdout()).length >= count, `${count} datums collected`);
  const killed = await crashed.stop("SIGKILL");
  await fake.resume();
  return { file, collected: collected(crashed.stdout()), code: killed.code };
}

describe("delivery guarantees", () => {
  it("delivers every datum of an outage once CloudWatch is reachable again, each once, with its timestamp", async () => {
    const ns = "Delivery/Outage";
    const cli = startCli(["run", "--config", config("outage", ns, "  requestTimeout: 1s")], env());
    await fake.waitForDatums(fake.datums.length + 2, 30_000);
    await fake.refuseConnections();
    await sleep(3_000);
    await fake.resume();
    await sleep(2_500);
    const { code } = await cli.stop();
    assert.equal(code, 0);
    const got = delivered(ns);
    assert.deepEqual(got, collected(cli.stdout()), "exactly the collected datums, no more, no fewer");
    assert.ok(got.length >= 6, `${got.length} datums`);
    const final = jsonLines(cli.stdout()).at(-1)!;
    assert.equal(final.message, "stopped");
    assert.equal(final.outboxDepth, 0);
    assert.ok((final.retried as number) > 0, "some datums were retried");
  });

  it("loses and duplicates nothing through throttling, 500s and answers slower than the timeout", async () => {
    const ns = "Delivery/Storm";
    fake.inject({ kind: "throttle" }, 4);
    fake.inject({ kind: "server-error" }, 4);
    fake.inject({ kind: "latency", ms: 1_500 }, 3);
    fake.inject({ kind: "reset" }, 2);
    const cli = startCli(["run", "--config", config("storm", ns, "  requestTimeout: 500ms")], env());
    await waitFor(() => delivered(ns).length >= 4, "four datums through the faults");
    const { code } = await cli.stop();
    assert.equal(code, 0);
    const got = delivered(ns);
    assert.deepEqual(got, collected(cli.stdout()));
    assert.equal(new Set(got).size, got.length, "no duplicates");
    assert.ok(got.length >= 4);
  });

  it("replays the outbox after SIGKILL: every datum collected before the kill arrives once", async () => {
    const ns = "Delivery/Crash";
    const { file, collected: before, code: killedCode } = await crashWithBacklog("crash", ns, 2);
    assert.equal(killedCode, null);
    assert.deepEqual(delivered(ns), [], "nothing was delivered before the kill");

    const second = startCli(["run", "--config", file], env());
    await second.waitForLine(/replaying \d+ undelivered datums?/, 30_000);
    await waitFor(() => before.every((t) => delivered(ns).includes(t)), "the replayed datums");
    const { code } = await second.stop();
    assert.equal(code, 0);
    const expected = [...before, ...collected(second.stdout())].sort();
    assert.deepEqual(delivered(ns), expected);
  });

  it("delivers the other 999 when CloudWatch rejects one datum of 1000", async () => {
    const ns = "Delivery/OneBad";
    const metrics = Array.from(
      { length: 1000 },
      (_, i) => `  - { name: M${i}, source: { type: constant, value: ${i} } }`,
    );
    const file = join(dir, "one-bad.yaml");
    writeFileSync(file, `defaults:\n  namespace: ${ns}\nmetrics:\n${metrics.join("\n")}\n`);
    fake.rejectMetricNamed("M500");
    const r = await runCli(["once", "--config", file], { env: env({ LOG_LEVEL: "info" }) });
    assert.equal(r.code, 3);
    const names = new Set(fake.datums.filter((d) => d.namespace === ns).map((d) => d.name));
    assert.equal(names.size, 999);
    assert.ok(!names.has("M500"));
    const logs = jsonLines(r.stdout);
    assert.ok(
      logs.some(
        (l) =>
          l.message ===
          'metric "M500": CloudWatch rejected the datum (InvalidParameterValueException: The value M500 for parameter MetricData.member.501.MetricName is invalid.); dropped it',
      ),
    );
    // By the reasons that are not zero, so a new reason elsewhere does not change this test.
    const dropped = Object.entries(logs.at(-1)!.dropped as Record<string, number>).filter(([, n]) => n > 0);
    assert.deepEqual(Object.fromEntries(dropped), { rejected: 1 });
  });

  it("keeps datums when the credentials are refused, logging the fix once, and counts them lost at shutdown", async () => {
    const ns = "Delivery/Creds";
    const cli = startCli(
      ["run", "--config", config("creds", ns, "  requestTimeout: 1s")],
      env({ AWS_SECRET_ACCESS_KEY: "not-the-secret", LOG_LEVEL: "info" }),
    );
    await cli.waitForLine(/AWS credentials problem \(SignatureDoesNotMatch\)/, 30_000);
    await sleep(2_000); // more refused requests, which must not be logged again
    const { code } = await cli.stop();
    assert.equal(code, 0);
    const logs = jsonLines(cli.stdout());
    const refused = logs.filter((l) =>
      String(l.message).startsWith("AWS credentials problem (SignatureDoesNotMatch)"),
    );
    assert.equal(refused.length, 1, "logged once a minute, not per request");
    assert.match(String(refused[0]!.message), /check AWS_SECRET_ACCESS_KEY and the system time/);
    const final = logs.at(-1)!;
    const dropped = final.dropped as Record<string, number>;
    assert.equal(dropped.rejected, 0, "nothing thrown away as invalid");
    assert.equal(dropped.shutdown, final.collected, "every datum accounted for as lost at shutdown");
    assert.ok(
      logs.some((l) =>
        /undelivered datums? (was|were) lost at shutdown \(no outbox directory/.test(String(l.message)),
      ),
    );
    assert.doesNotMatch(cli.stdout(), new RegExp(TEST_ACCESS_KEY_ID));
  });

  it("keeps working in memory, loudly, when the outbox directory cannot be used", async () => {
    const notADir = join(dir, "plain-file");
    writeFileSync(notADir, "x");
    const before = fake.datums.length;
    const r = await runCli(["once"], {
      env: env({ OUTBOX_DIR: join(notADir, "outbox"), LOG_LEVEL: "info" }),
    });
    assert.equal(r.code, 0);
    assert.equal(fake.datums.length, before + 1);
    assert.match(
      r.stdout,
      /OUTBOX NOT DURABLE: the outbox directory .*plain-file\/outbox cannot be used \(ENOTDIR/,
    );
  });

  it("once replays what a crash left, delivers it with its own reads, exits 0 and counts the backlog apart", async () => {
    const ns = "Delivery/OnceReplay";
    const crashed = await crashWithBacklog("once-replay", ns, 3);
    const file = crashed.file;
    const backlog = crashed.collected.length;
    const r = await runCli(["once", "--config", file], { env: env({ LOG_LEVEL: "info" }) });
    assert.equal(r.code, 0, r.stdout);
    const last = jsonLines(r.stdout).at(-1)!;
    assert.match(
      String(last.message),
      new RegExp(
        `^once: 1 metric, 1 read, 1 published in \\d+ requests?, 0 read failures, 0 dropped; outbox backlog: ${backlog} replayed, ${backlog} published, 0 left$`,
      ),
    );
    assert.equal(delivered(ns).length, backlog + 1);
  });
});
