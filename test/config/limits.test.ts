/**
 * Configs built to exhaust the loader, loaded in this process (its own, by node:test) so that its
 * peak memory is the loader's: each ends as an invalid config, never an abort or exit 70.
 */
import assert from "node:assert/strict";
import { mkdtempSync, openSync, closeSync, ftruncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { formatConfigError } from "../../src/config/issue.js";
import { loadConfigFile } from "../../src/config/load.js";

const dir = mkdtempSync(join(tmpdir(), "cwp-limits-"));
const MiB = 1024 * 1024;

/** The most this process has ever held, in MiB. */
function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

describe("config limits", () => {
  it("refuses a 50 MB config with a clear error, without reading it", async () => {
    const file = join(dir, "huge.yaml");
    const fd = openSync(file, "w");
    ftruncateSync(fd, 50 * 1000 * 1000);
    closeSync(fd);
    const result = await loadConfigFile(file, {});
    assert.ok(!result.ok);
    assert.deepEqual(result.errors.map(formatConfigError), [
      `${file}: the file is larger than 4194304 bytes (4 MiB), the most a config may be; split the metrics over several publishers`,
    ]);
    assert.ok(peakRssMiB() < 200, `peak RSS ${Math.round(peakRssMiB())} MiB`);
  });

  it("accepts a config of just under 4 MiB", async () => {
    const file = join(dir, "just-under.yaml");
    const head = "metrics:\n  - { name: A, namespace: N, source: { type: constant, value: 1 } }\n";
    writeFileSync(file, head + "#".repeat(4 * MiB - head.length - 1) + "\n");
    const result = await loadConfigFile(file, {});
    assert.ok(result.ok, result.ok ? "" : result.errors.map(formatConfigError).join("\n"));
  });

  it("stops an alias bomb at 1000 expansions, with a located error", async () => {
    const file = join(dir, "bomb.yaml");
    const levels = Array.from({ length: 12 }, (_, i) => `l${i}`);
    const lines = levels.map((name, i) =>
      i === 0
        ? `${name}: &${name} [x, x, x, x, x, x, x, x, x, x]`
        : `${name}: &${name} [${Array(10)
            .fill(`*${levels[i - 1]!}`)
            .join(", ")}]`,
    );
    writeFileSync(file, `${lines.join("\n")}\nmetrics: [*l11]\n`);
    const result = await loadConfigFile(file, {});
    assert.ok(!result.ok);
    assert.deepEqual(result.errors.map(formatConfigError), [
      `${file}:2:10: (yaml): YAML aliases (*name) expand to more than 1000 copies, which looks like an "alias bomb"; write the values out instead`,
    ]);
    assert.ok(peakRssMiB() < 200, `peak RSS ${Math.round(peakRssMiB())} MiB`);
  });

  it("lists at most 100 errors, however many metrics are broken", async () => {
    const file = join(dir, "broken.yaml");
    writeFileSync(file, `metrics:\n${"  - 1\n".repeat(100_000)}`);
    const result = await loadConfigFile(file, {});
    assert.ok(!result.ok);
    assert.equal(result.errors.length, 101);
    assert.equal(result.moreErrors, true);
    assert.equal(result.errors[0]!.message, "must be a map (key: value) (got number 1)");
    assert.equal(
      formatConfigError(result.errors[100]!),
      `${file}: more errors were found than the 100 listed; fix these, then check again`,
    );
  });
});
