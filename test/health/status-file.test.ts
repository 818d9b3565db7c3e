/** The status file in a shared /tmp: written by rename, never through a link someone planted. */
import assert from "node:assert/strict";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { HealthStatus } from "../../src/health/assess.js";
import { readStatusFile, writeStatusFile } from "../../src/health/status-file.js";
import { healthyStatus } from "../support/health-status.js";

const status: HealthStatus = healthyStatus(Date.now(), { pid: process.pid });

describe("the status file", () => {
  it("replaces a symbolic link planted at its name instead of writing through it", () => {
    const dir = mkdtempSync(join(tmpdir(), "cwp-status-"));
    const victim = join(dir, "victim");
    writeFileSync(victim, "precious");
    const path = join(dir, "health.json");
    symlinkSync(victim, path);
    // The names an attacker could guess for the temporary file, too.
    symlinkSync(victim, `${path}.${process.pid}.tmp`);
    writeStatusFile(path, status);
    assert.equal(readFileSync(victim, "utf8"), "precious");
    assert.ok(lstatSync(path).isFile());
    assert.deepEqual(readStatusFile(path), status);
    assert.deepEqual(readdirSync(dir).sort(), ["health.json", `health.json.${process.pid}.tmp`, "victim"]);
  });

  it("is not read through a symbolic link", () => {
    const dir = mkdtempSync(join(tmpdir(), "cwp-status-"));
    const elsewhere = join(dir, "elsewhere.json");
    writeFileSync(elsewhere, JSON.stringify(status));
    const path = join(dir, "health.json");
    symlinkSync(elsewhere, path);
    assert.throws(() => readStatusFile(path), { code: "ELOOP" });
  });
});
