/**
 * The `system` source through the built CLI and the fake CloudWatch: a fixture host (HOST_PROC,
 * HOST_SYS, HOST_MOUNT_PREFIX) publishes exactly the values worked out by hand, one series per
 * filesystem with the metric's dimensions merged in; the real machine's memory and disk agree with
 * /proc/meminfo and df; hostile roots fail the metric with a one-line reason, never the process.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statfsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { REPO_ROOT, runCli } from "../support/cli.js";
import { e2eHarness } from "../support/e2e.js";
import { netDev, SystemTree } from "../support/system-tree.js";

const h = e2eHarness("cwp-e2e-system-");
const MIB = 1024 * 1024;

/** The datums of a namespace as `name {dimensions} = value`, sorted. */
function published(namespace: string): string[] {
  return h
    .fake()
    .datums.filter((d) => d.namespace === namespace)
    .map((d) => `${d.name} ${JSON.stringify(d.dimensions)} ${d.unit} = ${d.value}`)
    .sort();
}

function fixtureHost(): { tree: SystemTree; hostfs: string; env: Record<string, string> } {
  const tree = new SystemTree();
  tree
    .write(
      "host/proc/meminfo",
      "MemTotal: 8000000 kB\nMemFree: 1000000 kB\nMemAvailable: 6000000 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n",
    )
    .write("host/proc/loadavg", "0.50 1.25 2.00 3/456 7890\n")
    .write("host/proc/1/net/dev", netDev("    lo: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0"))
    .write(
      "host/proc/1/mountinfo",
      "21 26 0:20 / /proc rw - proc proc rw\n26 1 8:1 / / rw - ext4 /dev/sda1 rw\n",
    )
    .mkdir("host/proc/42")
    .mkdir("host/sys");
  // statfs of the host's "/" is asked at HOST_MOUNT_PREFIX + "/": a real directory of this machine.
  const hostfs = join(tree.dir, "hostfs");
  mkdirSync(hostfs);
  const env = h.env({
    HOST_PROC: join(tree.dir, "host/proc"),
    HOST_SYS: join(tree.dir, "host/sys"),
    HOST_MOUNT_PREFIX: hostfs,
  });
  return { tree, hostfs, env };
}

/** df's Use% of a directory's filesystem, unrounded: used / (used + available to users). */
function dfPercent(path: string): number {
  const s = statfsSync(path);
  const used = s.blocks - s.bfree;
  return (used / (used + s.bavail)) * 100;
}

describe("the system source through the CLI", () => {
  it("publishes the fixture host's values, one series per filesystem, the metric's dimensions merged in", async () => {
    const { tree, hostfs, env } = fixtureHost();
    try {
      const config = h.writeConfig(
        "fixture.yaml",
        `defaults: { namespace: Sys/Fixture, dimensions: { InstanceId: i-0abc } }
metrics:
  - { name: MemoryUtilization, unit: Percent, source: { type: system, metric: memory.utilization } }
  - { name: MemoryUsed, unit: Megabytes, scale: ${1 / MIB}, source: { type: system, metric: memory.used } }
  - { name: Load1, source: { type: system, metric: load.1 } }
  - { name: Processes, unit: Count, source: { type: system, metric: processes.count } }
  - { name: DiskSpaceUtilization, unit: Percent, source: { type: system, metric: disk.utilization } }
  - { name: RxBytes, unit: Bytes, source: { type: system, metric: network.rx.bytes, interfaces: [lo] } }
`,
      );
      const before = dfPercent(hostfs);
      const result = await runCli(["once", "--config", config], { env });
      assert.equal(result.code, 0, result.stdout + result.stderr);
      const after = dfPercent(hostfs);
      const instance = { InstanceId: "i-0abc" };
      const disk = published("Sys/Fixture").find((line) => line.startsWith("DiskSpaceUtilization"));
      assert.ok(disk !== undefined, "a disk series");
      assert.match(
        disk,
        /^DiskSpaceUtilization \{"InstanceId":"i-0abc","MountPath":"\/","Filesystem":"\/dev\/sda1"\} Percent = /,
      );
      const value = Number(disk.split(" = ")[1]);
      assert.ok(
        value >= Math.min(before, after) - 0.5 && value <= Math.max(before, after) + 0.5,
        `${value} vs ${before}`,
      );
      assert.deepEqual(
        published("Sys/Fixture").filter((line) => line !== disk),
        [
          `Load1 ${JSON.stringify(instance)} None = 0.5`,
          `MemoryUsed ${JSON.stringify(instance)} Megabytes = ${(2_000_000 * 1024) / MIB}`,
          `MemoryUtilization ${JSON.stringify(instance)} Percent = 25`,
          `Processes ${JSON.stringify(instance)} Count = 2`,
        ],
        "a counter's first read only sets its baseline: no RxBytes from `once`",
      );
      const lines = result.stdout;
      assert.match(
        lines,
        /metric \\"MemoryUtilization\\": system memory.utilization, scope auto: host \(HOST_PROC is /,
      );
    } finally {
      tree.cleanup();
    }
  });

  it("on this machine: memory within 2 points of /proc/meminfo, / within 1 point of df", async () => {
    const config = h.writeConfig(
      "real.yaml",
      `defaults: { namespace: Sys/Real }
metrics:
  - { name: MemoryUtilization, unit: Percent, source: { type: system, metric: memory.utilization, scope: host } }
  - { name: Root, unit: Percent, source: { type: system, metric: disk.utilization, scope: host, mounts: ["/"] } }
`,
    );
    const result = await runCli(["once", "--config", config], { env: h.env() });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const meminfo = readFileSync("/proc/meminfo", "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(meminfo)![1]);
    const expectedMemory = ((kb("MemTotal") - kb("MemAvailable")) / kb("MemTotal")) * 100;
    const datums = h.fake().datums.filter((d) => d.namespace === "Sys/Real");
    const memory = datums.find((d) => d.name === "MemoryUtilization")!;
    assert.ok(Math.abs(memory.value - expectedMemory) <= 2, `${memory.value} vs ${expectedMemory}`);
    const line = execFileSync("df", ["-P", "/"], { encoding: "utf8" }).trim().split("\n")[1]!;
    const df = Number(/ (\d+)% /.exec(line)![1]);
    const root = datums.find((d) => d.name === "Root")!;
    assert.ok(Math.abs(root.value - df) <= 1, `ours ${root.value}, df ${df}`);
    assert.equal(root.dimensions.MountPath, "/");
  });

  it("config/system.yaml as shipped: mon-put-instance-data's names, units and dimensions", async () => {
    const result = await runCli(["once", "--config", join(REPO_ROOT, "config/system.yaml")], {
      env: h.env({ INSTANCE_ID: "i-0123456789abcdef0" }),
    });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const datums = h.fake().datums.filter((d) => d.namespace === "System/Linux");
    const units = Object.fromEntries(datums.map((d) => [d.name, d.unit]));
    assert.deepEqual(units, {
      MemoryUtilization: "Percent",
      MemoryUsed: "Megabytes",
      MemoryAvailable: "Megabytes",
      SwapUtilization: "Percent",
      SwapUsed: "Megabytes",
      DiskSpaceUtilization: "Percent",
      DiskSpaceUsed: "Gigabytes",
      DiskSpaceAvailable: "Gigabytes",
    });
    assert.ok(datums.every((d) => d.dimensions.InstanceId === "i-0123456789abcdef0"));
    const root = datums.find((d) => d.name === "DiskSpaceUsed" && d.dimensions.MountPath === "/");
    assert.ok(root, "the root filesystem is among the disk series");
    const s = statfsSync("/");
    const usedGiB = ((s.blocks - s.bfree) * s.bsize) / 1024 ** 3;
    assert.ok(Math.abs(root.value - usedGiB) < 0.5, `${root.value} GiB vs statfs ${usedGiB} GiB`);
    const used = datums.find((d) => d.name === "MemoryUsed")!.value;
    const available = datums.find((d) => d.name === "MemoryAvailable")!.value;
    const meminfo = readFileSync("/proc/meminfo", "utf8");
    const totalMiB = Number(/^MemTotal:\s+(\d+) kB$/m.exec(meminfo)![1]) / 1024;
    assert.ok(
      Math.abs(used + available - totalMiB) < 256,
      `${used} + ${available} MiB vs MemTotal ${totalMiB} MiB`,
    );
  });

  it("hostile roots fail each metric with a one-line reason and exit 3, never hang or crash", async () => {
    const { tree, env } = fixtureHost();
    try {
      execFileSync("mkfifo", [join(tree.dir, "fifo")]);
      tree.remove("host/proc/meminfo");
      execFileSync("mkfifo", [join(tree.dir, "host/proc/meminfo")]);
      tree.mkdir("empty");
      const config = h.writeConfig(
        "hostile.yaml",
        `defaults: { namespace: Sys/Hostile }
metrics:
  - { name: Memory, source: { type: system, metric: memory.used } }
  - { name: Load, source: { type: system, metric: load.1 } }
`,
      );
      const pipe = await runCli(["once", "--config", config], { env, timeoutMs: 15_000 });
      assert.equal(pipe.code, 3, pipe.stdout + pipe.stderr);
      assert.match(
        pipe.stdout,
        /meminfo is a named pipe \(FIFO\), not a file of the kernel's \(check HOST_PROC and HOST_SYS\)/,
      );
      for (const [root, problem] of [
        [join(tree.dir, "fifo"), "fifo/loadavg cannot be read (ENOTDIR"],
        [join(tree.dir, "empty"), "empty/loadavg does not exist"],
      ] as const) {
        const result = await runCli(["once", "--config", config], {
          env: { ...env, HOST_PROC: root },
          timeoutMs: 15_000,
        });
        assert.equal(result.code, 3, result.stdout + result.stderr);
        assert.ok(result.stdout.includes(problem), `${problem} in ${result.stdout}`);
        assert.equal(result.stderr.includes("    at "), false, "no stack trace");
      }
    } finally {
      tree.cleanup();
    }
  });
});
