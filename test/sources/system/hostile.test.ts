/** The system source on hosts at the edge: 1,000 mounts, 256 CPUs, kernel files that are pipes. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createSystemReader } from "../../../src/sources/system/create-system-reader.js";
import { FIXTURE_MOUNT_PREFIX, SystemTree } from "../../support/system-tree.js";

let tree: SystemTree;
beforeEach(() => (tree = new SystemTree()));
afterEach(() => tree.cleanup());

describe("system source at the edges", () => {
  it("1,000 mounted filesystems: one series each, every value df's", async () => {
    const lines = ["1 0 8:0 / / rw - ext4 /dev/root rw"];
    tree.filesystems.set(`${FIXTURE_MOUNT_PREFIX}/`, {
      bsize: 4096,
      blocks: 100,
      bfree: 50,
      bavail: 50,
      files: 1,
      ffree: 1,
    });
    for (let i = 0; i < 1_000; i++) {
      lines.push(`${i + 2} 1 9:${i} / /data/${i} rw - xfs /dev/vd${i} rw`);
      // i blocks used of 1,000, none reserved: i / 10 %.
      tree.filesystems.set(`${FIXTURE_MOUNT_PREFIX}/data/${i}`, {
        bsize: 4096,
        blocks: 1_000,
        bfree: 1_000 - i,
        bavail: 1_000 - i,
        files: 10,
        ffree: 10,
      });
    }
    tree.write("host/proc/1/mountinfo", lines.join("\n") + "\n");
    const reading = await createSystemReader(
      { metric: "disk.utilization", scope: "host" },
      tree.context,
    ).read();
    assert.equal(reading.samples.length, 1_001);
    assert.deepEqual(reading.skipped, []);
    for (let i = 0; i < 1_000; i++) {
      const sample = reading.samples.find((s) => s.dimensions.MountPath === `/data/${i}`)!;
      assert.deepEqual(sample.dimensions, { MountPath: `/data/${i}`, Filesystem: `/dev/vd${i}` });
      assert.ok(Math.abs(sample.value - i / 10) < 1e-9, `${i}: ${sample.value}`);
    }
  });

  it("perCpu on 256 CPUs: one series per CPU with its own share", () => {
    const stat = (step: number) =>
      [
        `cpu  ${256 * step} 0 0 ${256 * 100 * step} 0 0 0 0 0 0`,
        // cpu<n> is busy n ticks of every 256 in a step: n / 256 of its time.
        ...Array.from({ length: 256 }, (_, n) => `cpu${n} ${n * step} 0 0 ${(256 - n) * step} 0 0 0 0 0 0`),
        "",
      ].join("\n");
    tree.write("host/proc/stat", stat(1));
    const reader = createSystemReader(
      { metric: "cpu.utilization", scope: "host", perCpu: true },
      tree.context,
    );
    assert.deepEqual(reader.readNow!().samples, []);
    tree.write("host/proc/stat", stat(2));
    const { samples, skipped } = reader.readNow!();
    assert.equal(samples.length, 256);
    assert.deepEqual(skipped, []);
    for (const { dimensions, value } of samples) {
      const n = Number(dimensions.Cpu!.slice(3));
      assert.ok(Math.abs(value - (n / 256) * 100) < 1e-9, `${dimensions.Cpu}: ${value}`);
    }
  });

  it("a kernel file that is a named pipe fails the read at once, naming it, instead of blocking", () => {
    tree.mkdir("host/proc");
    execFileSync("mkfifo", [join(tree.dir, "host/proc/loadavg")]);
    const reader = createSystemReader({ metric: "load.1", scope: "host" }, tree.context);
    assert.throws(() => reader.readNow!(), {
      name: "SourceError",
      message: `${tree.dir}/host/proc/loadavg is a named pipe (FIFO), not a file of the kernel's (check HOST_PROC and HOST_SYS)`,
    });
  });
});
