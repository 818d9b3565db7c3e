/**
 * Hostile inputs and faults, against the built CLI: values CloudWatch refuses, blocking files,
 * signals, oversized configs. Counted exactly: every datum is delivered, or dropped and counted.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { jsonLines, runCli, startCli } from "../support/cli.js";
import { e2eHarness } from "../support/e2e.js";
import { freePort } from "../support/http.js";
import { waitFor } from "../support/wait.js";

const { dir, env, writeConfig, fake: fakeOf } = e2eHarness("cwp-hostile-");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function fifo(name: string): string {
  const path = join(dir, name);
  execFileSync("mkfifo", [path]);
  return path;
}

function messages(stdout: string): string[] {
  return jsonLines(stdout).map((l) => String(l.message));
}

function datumsOf(namespace: string, name?: string) {
  return fakeOf().datums.filter((d) => d.namespace === namespace && (name === undefined || d.name === name));
}

describe("values CloudWatch would refuse", () => {
  it("drops them at run time with one warning per series per minute, counting every one", async () => {
    const config = writeConfig(
      "tiny.yaml",
      `defaults:
  namespace: E2E/Tiny
  schedule: "* * * * * *"
metrics:
  - { name: Tiny, source: { type: command, command: ["echo", "1e-200"] } }
  - { name: Tiny, dimensions: { Shard: b }, source: { type: command, command: ["echo", "-1e-300"] } }
  - { name: Ok, source: { type: constant, value: 1 } }
`,
    );
    const cli = startCli(["run", "--config", config], env());
    await fakeOf().waitForDatums(fakeOf().datums.length + 4, 15_000);
    while (datumsOf("E2E/Tiny", "Ok").length < 4) await new Promise((r) => setTimeout(r, 100));
    const { code } = await cli.stop();
    assert.equal(code, 0);
    const logs = jsonLines(cli.stdout());
    const warnings = logs.filter((l) => String(l.message).startsWith('metric "Tiny": dropped datum:'));
    assert.deepEqual(
      warnings.map((l) => l.message).sort(),
      [
        'metric "Tiny": dropped datum: value -1e-300 is too close to 0 for CloudWatch: other than 0 itself, a value needs a magnitude of at least 8.51592e-109',
        'metric "Tiny": dropped datum: value 1e-200 is too close to 0 for CloudWatch: other than 0 itself, a value needs a magnitude of at least 8.51592e-109',
      ],
      "one warning per series",
    );
    const stopped = logs.find((l) => l.message === "stopped")!;
    const dropped = (stopped.dropped as Record<string, number>).invalid!;
    assert.equal(datumsOf("E2E/Tiny", "Tiny").length, 0, "none was sent");
    assert.equal(stopped.published, datumsOf("E2E/Tiny").length);
    assert.equal(dropped + stopped.published, stopped.collected, "every datum is accounted for");
    assert.ok(dropped >= 6, `only ${dropped} dropped`);
    assert.deepEqual(fakeOf().protocolErrors, []);
  });
});

describe("files that can block", () => {
  it("four named pipes never stall the others: the constant keeps its schedule and SIGTERM ends it in time", async () => {
    const pipes = [0, 1, 2, 3].map((i) => fifo(`metric${i}.fifo`));
    const fed = fifo("fed.fifo");
    const config = writeConfig(
      "fifos.yaml",
      `defaults:
  namespace: E2E/Fifo
  schedule: "* * * * * *"
  timeout: 3s
metrics:
${pipes.map((path, i) => `  - { name: Opted${i}, source: { type: file, path: ${path}, allowSpecialFile: true } }`).join("\n")}
${pipes.map((path, i) => `  - { name: Refused${i}, source: { type: file, path: ${path} } }`).join("\n")}
  - { name: Fed, source: { type: file, path: ${fed}, allowSpecialFile: true } }
  - { name: Constant, source: { type: constant, value: 1 } }
`,
    );
    // A producer that answers every read of one pipe.
    const producer = spawn("sh", ["-c", 'while :; do echo 42 > "$0"; done', fed], { stdio: "ignore" });
    const cli = startCli(["run", "--config", config], env());
    try {
      while (datumsOf("E2E/Fifo", "Constant").length < 5) await sleep(100);
      const { code, ms } = await cli.stop();
      assert.equal(code, 0);
      assert.ok(ms < 8_000, `SIGTERM took ${ms} ms`);
    } finally {
      producer.kill();
    }
    const ticks = datumsOf("E2E/Fifo", "Constant").map((d) => d.timestamp);
    for (let i = 1; i < ticks.length; i++)
      assert.equal(ticks[i]! - ticks[i - 1]!, 1000, "a tick every second");
    assert.ok(datumsOf("E2E/Fifo", "Fed").length >= 1, "the fed pipe was read");
    assert.ok(datumsOf("E2E/Fifo", "Fed").every((d) => d.value === 42));
    assert.equal(datumsOf("E2E/Fifo").filter((d) => /^(Opted|Refused)/.test(d.name)).length, 0);
    const logs = messages(cli.stdout());
    for (const [i, path] of pipes.entries()) {
      assert.ok(
        logs.includes(
          `metric "Refused${i}": file ${path} is a named pipe (FIFO), not a regular file; reading one can wait forever, so it is read only with allowSpecialFile: true on the source`,
        ),
      );
      assert.ok(logs.some((m) => m.startsWith(`metric "Opted${i}": file ${path} timed out after`)));
    }
  });

  it("refuses a named pipe or a device as the config at once (exit 2)", async () => {
    const path = fifo("config.fifo");
    for (const args of [
      ["run", "--config", path],
      ["once", "--config", path],
      ["validate-config", path],
    ]) {
      const r = await runCli(args, { env: env(), timeoutMs: 10_000 });
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
      assert.match(
        r.stdout + r.stderr,
        /is a named pipe \(FIFO\), not a regular file; give the path of a config file/,
      );
    }
    const zero = await runCli(["validate-config", "/dev/zero"], { env: env(), timeoutMs: 10_000 });
    assert.equal(zero.code, 2);
    assert.equal(
      zero.stdout,
      "/dev/zero: is a character device, not a regular file; give the path of a config file\n",
    );
  });
});

describe("configs that crash or exhaust", () => {
  it("reports an alias bomb at its first alias, exit 1, no stack trace", async () => {
    const levels = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    const lines = levels.map((name, i) =>
      i === 0
        ? `${name}: &${name} ["x","x","x","x","x","x","x","x","x"]`
        : `${name}: &${name} [${Array(9)
            .fill(`*${levels[i - 1]!}`)
            .join(",")}]`,
    );
    const bomb = writeConfig("bomb.yaml", `${lines.join("\n")}\nmetrics: [*i]\n`);
    for (const args of [
      ["validate-config", bomb],
      ["run", "--config", bomb],
    ]) {
      const r = await runCli(args, { env: env() });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(
        r.stdout,
        /bomb\.yaml:2:8: \(yaml\): YAML aliases \(\*name\) expand to more than 1000 copies, which looks like an \\?"alias bomb\\?"; write the values out instead/,
      );
      assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at |internal error/);
    }
  });

  it("refuses a config over 4 MiB before reading it (exit 1)", async () => {
    const big = writeConfig("big.yaml", `metrics:\n${"  # padding\n".repeat(500_000)}`);
    const r = await runCli(["validate-config", big], { env: env() });
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      `${big}: the file is larger than 4194304 bytes (4 MiB), the most a config may be; split the metrics over several publishers\n${big}: invalid (1 error)\n`,
    );
    const run = await runCli(["run", "--config", big], { env: env() });
    assert.equal(run.code, 1);
  });
});

describe("signals", () => {
  it("reloads an unchanged file on SIGHUP, changing nothing and losing nothing, and still stops in order on SIGTERM", async () => {
    const config = writeConfig(
      "hup.yaml",
      `metrics:\n  - { name: Tick, namespace: E2E/Hup, schedule: "* * * * * *", source: { type: constant, value: 1 } }\n`,
    );
    const cli = startCli(["run", "--config", config], env());
    while (datumsOf("E2E/Hup").length < 1) await sleep(50);
    // Two signals sent at once may arrive as one: send the second after the first was handled.
    const reloads = () => messages(cli.stdout()).filter((m) => m === "config reloaded: 1 unchanged").length;
    process.kill(cli.pid, "SIGHUP");
    await waitFor(() => reloads() === 1, "the first reload");
    process.kill(cli.pid, "SIGHUP");
    await waitFor(() => reloads() === 2, "the second reload");
    const after = datumsOf("E2E/Hup").length;
    while (datumsOf("E2E/Hup").length < after + 2) await sleep(50);
    const { code } = await cli.stop("SIGTERM");
    assert.equal(code, 0);
    const logs = jsonLines(cli.stdout());
    assert.equal(
      logs.filter((l) => l.message === "config reloaded: 1 unchanged" && l.level === "info").length,
      2,
    );
    const stopped = logs.find((l) => l.message === "stopped")!;
    assert.equal(stopped.published, stopped.collected, "every datum collected was delivered");
    assert.equal(stopped.published, datumsOf("E2E/Hup").length);
  });

  it("stops while the config loads on SIGTERM, starting nothing; SIGHUP then is ignored too", async () => {
    const metrics = Array.from(
      { length: 40_000 },
      (_, i) => `  - { name: M${i}, source: { type: constant, value: ${i} } }`,
    );
    const config = writeConfig(
      "slow-to-load.yaml",
      `defaults:\n  namespace: E2E/Slow\nmetrics:\n${metrics.join("\n")}\n`,
    );
    // Until the config is loaded, only a dry run knows where its logs go (stderr): elsewhere they are held
    // until the config says whether stdout carries EMF. A dry run shows the load under way.
    const cli = startCli(["run", "--dry-run", "--config", config], env({ LOG_LEVEL: "debug" }));
    await cli.waitForLine(/loading the config from/, 10_000, "stderr");
    process.kill(cli.pid, "SIGHUP");
    await cli.waitForLine(/SIGHUP received; ignored \(the publisher is starting/, 10_000, "stderr");
    const { code } = await cli.stop("SIGTERM");
    assert.equal(code, 0);
    const logs = messages(cli.stderr());
    assert.ok(logs.includes("stopped while loading the config; nothing was started"), logs.join("\n"));
    assert.ok(!logs.some((m) => m.includes("run started")));
    assert.equal(datumsOf("E2E/Slow").length, 0);
  });
});

describe("internal errors", () => {
  const preload = fileURLToPath(new URL("../support/plant-fault.js", import.meta.url));

  for (const [fault, origin, message] of [
    ["exception", "uncaughtException", "planted exception"],
    ["rejection", "unhandledRejection", "planted rejection"],
  ] as const) {
    it(`an ${origin} is logged as one line and ends in an orderly shutdown, the outbox kept (exit 70)`, async () => {
      const ns = `E2E/Fault/${fault}`;
      const outboxDir = join(dir, `outbox-${fault}`);
      const config = writeConfig(
        `fault-${fault}.yaml`,
        `delivery:\n  outboxDir: ${outboxDir}\nmetrics:\n  - { name: Tick, namespace: ${ns}, schedule: "* * * * * *", runOnStart: true, source: { type: constant, value: 1 } }\n`,
      );
      await fakeOf().refuseConnections();
      const first = startCli(
        ["run", "--config", config],
        env({ LOG_LEVEL: "debug", CWP_TEST_FAULT: fault }),
        {
          nodeArgs: ["--import", preload],
        },
      );
      while (jsonLines(first.stdout()).filter((l) => l.message === 'collected metric "Tick"').length < 2)
        await sleep(100);
      process.kill(first.pid, "SIGUSR2");
      const { code } = await first.exited;
      await fakeOf().resume();
      assert.equal(code, 70);
      const logs = jsonLines(first.stdout());
      const line = logs.find((l) => String(l.message).startsWith("internal error"))!;
      assert.equal(
        line.message,
        `internal error (${origin}): ${message}; shutting down, undelivered datums are kept in the outbox`,
      );
      assert.equal(line.level, "error");
      assert.equal(line.origin, origin);
      assert.match(
        String(line.stack),
        new RegExp(`Error: ${message}\\n\\s+at `),
        "the stack is a field of the one line",
      );
      assert.ok(logs.some((l) => /undelivered datums? stays? in the outbox/.test(String(l.message))));
      assert.equal(logs.at(-1)!.message, "stopped");
      const before = logs
        .filter((l) => l.message === 'collected metric "Tick"')
        .map((l) => Date.parse(l.scheduledAt as string));

      const second = startCli(["run", "--config", config], env({ LOG_LEVEL: "debug" }));
      await second.waitForLine(/replaying \d+ undelivered datums?/);
      while (datumsOf(ns).length < before.length + 1) await sleep(100);
      assert.equal((await second.stop()).code, 0);
      const after = jsonLines(second.stdout())
        .filter((l) => l.message === 'collected metric "Tick"')
        .map((l) => Date.parse(l.scheduledAt as string));
      assert.deepEqual(
        datumsOf(ns)
          .map((d) => d.timestamp)
          .sort(),
        [...before, ...after].sort(),
        "every datum collected before the fault arrived, once",
      );
    });
  }
});

describe("the health endpoint under a flood of idle connections", () => {
  it("caps connections and closes idle ones: 1,100 idle sockets neither exhaust descriptors nor stop it", async () => {
    const port = await freePort();
    const config = writeConfig(
      "flood.yaml",
      `health: { port: ${port} }\nmetrics:\n  - { name: Tick, namespace: E2E/Flood, schedule: "* * * * * *", source: { type: constant, value: 1 } }\n`,
    );
    const cli = startCli(["run", "--config", config], env());
    await cli.waitForLine(/health endpoint listening/);
    const descriptors = () => readdirSync(`/proc/${cli.pid}/fd`).length;
    const baseline = descriptors();
    const sockets: Socket[] = [];
    for (let i = 0; i < 1_100; i++) {
      const socket = connect(port, "127.0.0.1");
      socket.on("error", () => undefined); // refused or reset once over the cap: expected
      sockets.push(socket);
    }
    await Promise.all(
      sockets.map(
        (socket) => new Promise((resolve) => socket.once("connect", resolve).once("close", resolve)),
      ),
    );
    await sleep(500);
    const flooded = descriptors();
    assert.ok(flooded <= baseline + 32 + 5, `${flooded} descriptors with the flood, ${baseline} before`);
    const ticks = datumsOf("E2E/Flood").length;
    while (datumsOf("E2E/Flood").length < ticks + 2) await sleep(100);
    // The idle ones are closed after 5 s; then a probe is answered again.
    let answered = false;
    for (let attempt = 0; attempt < 40 && !answered; attempt++) {
      await sleep(500);
      answered = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) }).then(
        (response) => response.status === 200,
        () => false,
      );
    }
    assert.ok(answered, "/healthz answers once the idle connections are closed");
    assert.ok(
      sockets.every((socket) => socket.destroyed || socket.readableEnded),
      "every idle socket was closed by the server",
    );
    for (const socket of sockets) socket.destroy();
    assert.equal((await cli.stop()).code, 0);
  });
});
