/**
 * Reloading a running publisher, with the built CLI against the fake CloudWatch: SIGHUP with a
 * changed file, a broken file, a refused change, a storm of signals, a FIFO in the file's place,
 * and --watch with the symlink swap kubelet does for a ConfigMap.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { jsonLines, startCli } from "../support/cli.js";
import { e2eHarness } from "../support/e2e.js";
import { sleep, waitFor } from "../support/wait.js";

const { dir, env, writeConfig, fake } = e2eHarness("cwp-reload-");

const metric = (ns: string, name: string, value: number) =>
  `  - { name: ${name}, namespace: ${ns}, schedule: "* * * * * *", source: { type: constant, value: ${value} } }`;

const timestamps = (ns: string, name: string) =>
  fake()
    .datums.filter((d) => d.namespace === ns && d.name === name)
    .map((d) => d.timestamp)
    .sort((a, b) => a - b);

/** Every second from the first to the last, each once. */
function assertEverySecondOnce(ticks: readonly number[], what: string): void {
  assert.ok(ticks.length >= 2, `${what}: ${ticks.length} ticks`);
  const expected = Array.from(
    { length: (ticks.at(-1)! - ticks[0]!) / 1000 + 1 },
    (_, i) => ticks[0]! + i * 1000,
  );
  assert.deepEqual(ticks, expected, `${what}: no tick missed or doubled`);
}

const logMessages = (text: string) => jsonLines(text).map((l) => String(l.message));

describe("reload on SIGHUP", () => {
  it("starts added metrics, stops removed ones, keeps unchanged ones on their ticks, and loses nothing", async () => {
    const ns = "E2E/Reload";
    const config = writeConfig(
      "reload.yaml",
      `metrics:\n${metric(ns, "Keep", 1)}\n${metric(ns, "Gone", 2)}\n`,
    );
    const cli = startCli(["run", "--config", config], env());
    await waitFor(() => timestamps(ns, "Gone").length >= 2, "the first metrics published");
    writeConfig("reload.yaml", `metrics:\n${metric(ns, "New", 3)}\n${metric(ns, "Keep", 1)}\n`);
    process.kill(cli.pid, "SIGHUP");
    const reloaded = JSON.parse(await cli.waitForLine(/config reloaded/)) as {
      message: string;
      timestamp: string;
    };
    assert.equal(
      reloaded.message,
      `config reloaded: 1 added (${ns}/New); 1 removed (${ns}/Gone); 1 unchanged`,
    );
    const at = Date.parse(reloaded.timestamp);
    await waitFor(() => timestamps(ns, "New").length >= 3, "the added metric published");
    const { code } = await cli.stop();
    assert.equal(code, 0);

    assertEverySecondOnce(timestamps(ns, "Keep"), "Keep");
    assertEverySecondOnce(timestamps(ns, "New"), "New");
    assert.ok(timestamps(ns, "New")[0]! > at - 1000, "New starts after the reload");
    assert.ok(timestamps(ns, "Gone").at(-1)! <= at, "Gone stops at the reload");
    assert.ok(timestamps(ns, "Keep").at(-1)! > at + 1000, "Keep goes on after it");
    const stopped = jsonLines(cli.stdout()).find((l) => l.message === "stopped")!;
    assert.equal(stopped.published, stopped.collected);
    assert.equal(stopped.published, fake().datums.filter((d) => d.namespace === ns).length);
  });

  it("keeps the running config when the new file has errors, a restart-only change, or is a FIFO; logs every error located", async () => {
    const ns = "E2E/Broken";
    const file = writeConfig("broken.yaml", `metrics:\n${metric(ns, "Still", 1)}\n`);
    const cli = startCli(["run", "--config", file], env());
    await waitFor(() => timestamps(ns, "Still").length >= 1, "publishing");

    writeConfig(
      "broken.yaml",
      `metrics:\n  - { name: Still, namespace: ${ns}, unit: Bogus, schedule: "61 * * * *", source: { type: constant, value: 1 } }\n`,
    );
    process.kill(cli.pid, "SIGHUP");
    await cli.waitForLine(/reload refused: 2 config errors/);
    const errors = logMessages(cli.stdout()).filter((m) => m.startsWith("reload refused: invalid config: "));
    assert.equal(errors.length, 2);
    for (const error of errors)
      assert.match(
        error,
        new RegExp(`^reload refused: invalid config: ${file}:2:\\d+: metrics\\[0\\]\\.(unit|schedule): `),
      );

    writeConfig("broken.yaml", `output: { type: emf, path: stdout }\nmetrics:\n${metric(ns, "Still", 1)}\n`);
    process.kill(cli.pid, "SIGHUP");
    await cli.waitForLine(/reload refused: output changed/);

    unlinkSync(file);
    execFileSync("mkfifo", [file]);
    process.kill(cli.pid, "SIGHUP");
    const fifo = await cli.waitForLine(/reload refused: config file/);
    assert.match(fifo, /FIFO|named pipe|not a regular file/i);

    const before = timestamps(ns, "Still").length;
    await waitFor(() => timestamps(ns, "Still").length >= before + 2, "still publishing the old config");
    const { code } = await cli.stop();
    assert.equal(code, 0);
    assert.ok(!logMessages(cli.stdout()).some((m) => m.startsWith("config reloaded")));
  });

  it("survives a storm of 100 SIGHUPs: reloads coalesce, nothing is lost or doubled", async () => {
    const ns = "E2E/Storm";
    const file = writeConfig("storm.yaml", `metrics:\n${metric(ns, "Tick", 1)}\n`);
    const cli = startCli(["run", "--config", file], env());
    await waitFor(() => timestamps(ns, "Tick").length >= 1, "publishing");
    for (let i = 0; i < 100; i++) process.kill(cli.pid, "SIGHUP");
    await cli.waitForLine(/config reloaded/);
    await sleep(1_500);
    const after = timestamps(ns, "Tick").length;
    await waitFor(() => timestamps(ns, "Tick").length >= after + 2, "still publishing");
    const { code } = await cli.stop();
    assert.equal(code, 0);
    const reloads = logMessages(cli.stdout()).filter((m) => m === "config reloaded: 1 unchanged").length;
    assert.ok(reloads >= 1 && reloads <= 10, `${reloads} reloads for 100 signals`);
    assertEverySecondOnce(timestamps(ns, "Tick"), "Tick");
  });
});

describe("reload with --watch", () => {
  it("follows a ConfigMap-style symlink swap (..data renamed to a new directory)", async () => {
    const ns = "E2E/Watch";
    const volume = join(dir, "configmap");
    const version = (name: string, yaml: string) => {
      mkdirSync(join(volume, name), { recursive: true });
      writeFileSync(join(volume, name, "config.yaml"), yaml);
    };
    version("..2026_11_29_08_00_00.1", `metrics:\n${metric(ns, "First", 1)}\n`);
    symlinkSync("..2026_11_29_08_00_00.1", join(volume, "..data"));
    symlinkSync("..data/config.yaml", join(volume, "config.yaml"));
    const cli = startCli(["run", "--watch", "--config", join(volume, "config.yaml")], env());
    await cli.waitForLine(/watching .* for changes/);
    await waitFor(() => timestamps(ns, "First").length >= 1, "publishing");

    // kubelet's atomic writer: a new directory, a ..data_tmp link to it renamed over ..data, the old one removed.
    version("..2026_11_29_08_01_00.2", `metrics:\n${metric(ns, "First", 1)}\n${metric(ns, "Second", 2)}\n`);
    symlinkSync("..2026_11_29_08_01_00.2", join(volume, "..data_tmp"));
    renameSync(join(volume, "..data_tmp"), join(volume, "..data"));
    rmSync(join(volume, "..2026_11_29_08_00_00.1"), { recursive: true });

    const line = await cli.waitForLine(/config reloaded/);
    assert.match(line, /"config reloaded: 1 added \(E2E\/Watch\/Second\); 1 unchanged"/);
    assert.match(cli.stdout(), /the config file changed: reloading the config/);
    await waitFor(() => timestamps(ns, "Second").length >= 2, "the added metric published");
    const { code } = await cli.stop();
    assert.equal(code, 0);
    assertEverySecondOnce(timestamps(ns, "First"), "First");
  });
});
