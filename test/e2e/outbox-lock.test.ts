/**
 * Two publishers on one outbox directory from separate PID namespaces (as two containers on one
 * volume: both are PID 1), through `unshare --pid`, which needs root. The lock must hold across
 * namespaces, and a killed holder's directory must be taken over, with nothing lost.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CLI_PATH, cleanEnv, jsonLines, offPlatform, REPO_ROOT, startCli } from "../support/cli.js";
import { collectedKeys, deliveredKeys } from "../support/datums.js";
import { FakeCloudWatch } from "../support/fake-cloudwatch.js";
import { sleep, waitFor } from "../support/wait.js";

const dir = mkdtempSync(join(tmpdir(), "cwp-lock-e2e-"));
const canUnshare =
  spawnSync("unshare", ["--pid", "--fork", "--mount-proc", "--kill-child", "true"]).status === 0;
const skip = canUnshare ? false : "needs `unshare --pid` (root) to run publishers in separate PID namespaces";

/**
 * `run` as PID 1 of a PID namespace of its own; killing it kills the publisher (--kill-child). It is
 * added to `started`, which the test SIGKILLs when it ends, passed or failed.
 */
function startInNamespace(args: readonly string[], env: Record<string, string>, started: (() => void)[]) {
  const child = spawn(
    "unshare",
    ["--pid", "--fork", "--mount-proc", "--kill-child", process.execPath, CLI_PATH, ...args],
    { env: offPlatform(env), cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.resume();
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const publisher = { stdout: () => stdout, exited, kill: () => child.kill("SIGKILL") };
  started.push(publisher.kill);
  return publisher;
}

/** Runs `work` with a fake CloudWatch of its own; every publisher it adds to `started` is SIGKILLed at the end. */
async function withFake(
  work: (fake: FakeCloudWatch, started: (() => void)[]) => Promise<void>,
): Promise<void> {
  const fake = await FakeCloudWatch.start();
  const started: (() => void)[] = [];
  try {
    await work(fake, started);
  } finally {
    for (const kill of started) kill();
    await fake.close();
  }
}

function config(name: string, namespace: string, outboxDir: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `delivery: { outboxDir: ${outboxDir} }\nmetrics:\n  - { name: Tick, namespace: ${namespace}, schedule: "* * * * * *", runOnStart: true, source: { type: constant, value: 1 } }\n`,
  );
  return file;
}

function lockHolder(outboxDir: string): { pid: number; token: string } {
  return JSON.parse(readFileSync(join(outboxDir, "LOCK"), "utf8")) as { pid: number; token: string };
}

describe("one publisher per outbox directory across PID namespaces", { concurrency: true, skip }, () => {
  it(
    "keeps the second out while the first runs; after SIGKILL of both, a third takes over within 15 s and loses nothing",
    { timeout: 120_000 },
    async () => {
      await withFake(async (fake, started) => {
        const ns = "Lock/Shared";
        const outboxDir = join(dir, "shared");
        const file = config("shared", ns, outboxDir);
        const env = cleanEnv({ ...fake.env(), LOG_FORMAT: "json", LOG_LEVEL: "debug" });
        await fake.refuseConnections(); // everything collected waits in the outbox
        const first = startInNamespace(["run", "--config", file], env, started);
        await waitFor(() => collectedKeys(first.stdout()).length >= 2, "the first publisher's datums");
        const held = lockHolder(outboxDir);
        assert.equal(held.pid, 1, "the first publisher is PID 1 of its namespace");

        const second = startInNamespace(["run", "--config", file], env, started);
        await waitFor(
          () => /is in use by process 1 on host .*; waiting up to 20 s/.test(second.stdout()),
          "the second publisher to wait for the lock",
        );
        await sleep(3_000);
        assert.equal(lockHolder(outboxDir).token, held.token, "the lock still names the first");
        assert.doesNotMatch(
          second.stdout(),
          /replaying|collected metric/,
          "the second never opened the directory",
        );

        first.kill();
        second.kill();
        await Promise.all([first.exited, second.exited]);
        const killedAt = performance.now();
        const collected = collectedKeys(first.stdout());
        await fake.resume();

        const third = startCli(["run", "--config", file], env);
        started.push(() => void third.stop("SIGKILL"));
        const takeover = await third.waitForLine(/taking over .*LOCK from process 1 on host/, 30_000);
        const seconds = (performance.now() - killedAt) / 1000;
        assert.ok(seconds <= 15, `taken over ${seconds} s after the kill`);
        assert.match(takeover, /its lock has not been refreshed for \d+ s/);
        await waitFor(() => {
          const got = new Set(deliveredKeys(fake, ns));
          return collected.every((key) => got.has(key));
        }, "every datum the first publisher collected");
        await third.stop();
        const delivered = deliveredKeys(fake, ns);
        assert.equal(new Set(delivered).size, delivered.length, "each datum once");
        assert.deepEqual(delivered, [...collected, ...collectedKeys(third.stdout())].sort());
      });
    },
  );

  it(
    "makes a second publisher that cannot get the lock exit 75 after waiting, naming the holder",
    { timeout: 120_000 },
    async () => {
      await withFake(async (fake, started) => {
        const outboxDir = join(dir, "held");
        const file = config("held", "Lock/Held", outboxDir);
        const env = cleanEnv({ ...fake.env(), LOG_FORMAT: "json" });
        const first = startInNamespace(["run", "--config", file], env, started);
        await fake.waitForDatums(1, 30_000);
        const second = startInNamespace(["run", "--config", file], env, started);
        const code = await second.exited;
        assert.equal(code, 75);
        const last = jsonLines(second.stdout()).at(-1)!;
        assert.match(
          String(last.message),
          /^cannot start: the outbox directory .*held is in use by process 1 on host .* \(.*LOCK, refreshed \d+ s ago\); each publisher needs its own outbox directory$/,
        );
        assert.equal(lockHolder(outboxDir).pid, 1);
        first.kill();
        await first.exited;
      });
    },
  );
});
