/** The system source against the machine the tests run on, checked against the kernel's files and df. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { createSystemReader } from "../../../src/sources/system/create-system-reader.js";
import { SYSTEM_METRIC_NAMES, SYSTEM_METRICS } from "../../../src/config/system-metrics.js";

const host = (metric: string, extra: object = {}) => createSystemReader({ metric, scope: "host", ...extra });

function meminfoKb(field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(readFileSync("/proc/meminfo", "utf8"));
  assert.ok(match, field);
  return Number(match[1]);
}

describe("system source on this machine", () => {
  it("memory.utilization is within 2 points of (MemTotal - MemAvailable) / MemTotal", async () => {
    const reading = await host("memory.utilization").read();
    const total = meminfoKb("MemTotal");
    const expected = ((total - meminfoKb("MemAvailable")) / total) * 100;
    const actual = reading.samples[0]!.value;
    assert.ok(Math.abs(actual - expected) <= 2, `${actual} vs ${expected}`);
  });

  it("disk.utilization of / is df's Use% before df rounds it up", async () => {
    const reading = await host("disk.utilization", { mounts: ["/"] }).read();
    // df -P: "Filesystem 1024-blocks Used Available Capacity Mounted on", then the line for /.
    const line = execFileSync("df", ["-P", "/"], { encoding: "utf8" }).trim().split("\n")[1]!;
    const dfPercent = Number(/ (\d+)% /.exec(line)![1]);
    const actual = reading.samples[0]!.value;
    assert.ok(actual <= dfPercent && actual > dfPercent - 1, `ours ${actual}, df ${dfPercent}`);
    assert.deepEqual(reading.samples[0]!.dimensions.MountPath, "/");
    assert.equal(reading.samples[0]!.dimensions.Filesystem, line.split(/\s+/)[0]);
  });

  it("every metric reads, twice, and yields values in its range", async () => {
    const readers = SYSTEM_METRIC_NAMES.map((metric) => host(metric));
    for (const reader of readers) await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const reader of readers) {
      const { samples, skipped } = await reader.read();
      const info = SYSTEM_METRICS[reader.metric];
      assert.deepEqual(skipped, [], reader.metric);
      for (const { value, dimensions } of samples) {
        assert.ok(Number.isFinite(value) && value >= 0, `${reader.metric} ${value}`);
        if (info.unit === "Percent") assert.ok(value <= 100, `${reader.metric} ${value}`);
        assert.deepEqual(Object.keys(dimensions), reader.metric === "cpu.utilization" ? [] : info.dimensions);
      }
      if (!info.counter && info.dimensions.length === 0) assert.equal(samples.length, 1, reader.metric);
    }
  });

  it("processes.count counts processes, not threads", async () => {
    const count = (await host("processes.count").read()).samples[0]!.value;
    const threads = Number(readFileSync("/proc/loadavg", "utf8").split(" ")[3]!.split("/")[1]);
    assert.ok(count >= 1 && count <= threads, `${count} processes, ${threads} threads`);
  });
});
