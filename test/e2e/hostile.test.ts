/**
 * Hostile inputs and faults, against the built CLI: values CloudWatch refuses, blocking files,
 * signals, oversized configs. Counted exactly: every datum is delivered, or dropped and counted.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cleanEnv, jsonLines, startCli } from "../support/cli.js";
import { FakeCloudWatch } from "../support/fake-cloudwatch.js";

const dir = mkdtempSync(join(tmpdir(), "cwp-hostile-"));
let fake: FakeCloudWatch;

function env(extra: Record<string, string> = {}): Record<string, string> {
  return cleanEnv({ ...fake.env(), LOG_FORMAT: "json", ...extra });
}

function writeConfig(name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

function datumsOf(namespace: string, name?: string) {
  return fake.datums.filter((d) => d.namespace === namespace && (name === undefined || d.name === name));
}

before(async () => {
  fake = await FakeCloudWatch.start();
});
after(async () => {
  await fake.close();
});

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
    await fake.waitForDatums(fake.datums.length + 4, 15_000);
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
    assert.deepEqual(fake.protocolErrors, []);
  });
});
