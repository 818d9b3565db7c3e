/**
 * Container scope: this process's own cgroup, found through a fixture /proc/self/cgroup and
 * /proc/self/mountinfo, read for cgroup v2 and v1 with values worked out by hand; and how `auto`
 * chooses between host and container.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createSystemReader } from "../../../src/sources/system/create-system-reader.js";
import { findOwnCgroup } from "../../../src/sources/system/own-cgroup.js";
import type { SystemReading } from "../../../src/sources/system/sample.js";
import { resolveScope } from "../../../src/sources/system/scope.js";
import type { SystemOptions } from "../../../src/config/system-options.js";
import { SystemTree } from "../../support/system-tree.js";

const MIB = 1024 * 1024;
let tree: SystemTree;
const reader = (options: SystemOptions) => createSystemReader(options, tree.context);
const value = (reading: SystemReading) => {
  assert.equal(reading.samples.length, 1, JSON.stringify(reading));
  return reading.samples[0]!.value;
};
const readValue = async (options: SystemOptions) => value(await reader(options).read());

/** A cgroup v2 container with its own cgroup namespace: it sees its cgroup as `/`. */
function v2Container(): void {
  tree
    .write("own/proc/self/cgroup", "0::/\n")
    .write("own/proc/self/mountinfo", "1 0 0:26 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw,nsdelegate\n")
    .write("own/sys/fs/cgroup/memory.max", `${256 * MIB}\n`)
    .write("own/sys/fs/cgroup/memory.current", `${100 * MIB}\n`)
    // inactive_file 36 MiB: the working set is 64 MiB, a quarter of the limit.
    .write(
      "own/sys/fs/cgroup/memory.stat",
      `anon ${60 * MIB}\nfile ${40 * MIB}\nactive_file ${4 * MIB}\ninactive_file ${36 * MIB}\n`,
    )
    .write("own/sys/fs/cgroup/memory.swap.current", `${16 * MIB}\n`)
    .write("own/sys/fs/cgroup/memory.swap.max", `${64 * MIB}\n`)
    .write("own/sys/fs/cgroup/cpu.max", "50000 100000\n")
    .write("own/sys/fs/cgroup/cpu.stat", "usage_usec 1000000\nuser_usec 600000\nsystem_usec 400000\n")
    .write(
      "own/proc/meminfo",
      "MemTotal: 8388608 kB\nMemAvailable: 4194304 kB\nSwapTotal: 1048576 kB\nSwapFree: 1048576 kB\n",
    )
    .write("own/proc/stat", "cpu  1 1 1 1\ncpu0 1 1 1 1\ncpu1 1 1 1 1\ncpu2 1 1 1 1\ncpu3 1 1 1 1\n");
}

/** A Docker container on cgroup v1 without a cgroup namespace: its cgroup is mounted as the root. */
function v1Container(): void {
  tree
    .write(
      "own/proc/self/cgroup",
      "12:memory:/docker/3f2a\n4:cpu,cpuacct:/docker/3f2a\n1:name=systemd:/docker/3f2a\n0::/docker/3f2a\n",
    )
    .write(
      "own/proc/self/mountinfo",
      [
        "1 0 0:40 / / rw - overlay overlay rw",
        "2 1 0:41 / /sys/fs/cgroup ro - tmpfs tmpfs rw",
        "3 2 0:42 /docker/3f2a /sys/fs/cgroup/cpu,cpuacct ro - cgroup cgroup rw,cpu,cpuacct",
        "4 2 0:43 /docker/3f2a /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory",
        "",
      ].join("\n"),
    )
    .write("own/sys/fs/cgroup/memory/memory.limit_in_bytes", `${512 * MIB}\n`)
    .write("own/sys/fs/cgroup/memory/memory.usage_in_bytes", `${200 * MIB}\n`)
    // v1 counts the subtree in total_*: 72 MiB of it inactive file cache (inactive_file is this cgroup's alone).
    .write(
      "own/sys/fs/cgroup/memory/memory.stat",
      `cache 1\ninactive_file ${1 * MIB}\ntotal_inactive_file ${72 * MIB}\n`,
    )
    .write("own/sys/fs/cgroup/memory/memory.memsw.usage_in_bytes", `${232 * MIB}\n`)
    .write("own/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", `${1024 * MIB}\n`)
    .write("own/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "200000\n")
    .write("own/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n")
    .write("own/sys/fs/cgroup/cpu,cpuacct/cpuacct.usage", "5000000000\n")
    .write(
      "own/proc/meminfo",
      "MemTotal: 8388608 kB\nMemAvailable: 4194304 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n",
    );
}

beforeEach(() => {
  tree = new SystemTree();
  // The host's files, which container scope must not read.
  tree.write("host/proc/meminfo", "MemTotal: 100 kB\nMemAvailable: 1 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n");
});
afterEach(() => tree.cleanup());

describe("system source, container scope, cgroup v2", () => {
  beforeEach(v2Container);

  it("memory: the working set (usage - inactive_file) against memory.max", async () => {
    assert.equal(await readValue({ metric: "memory.utilization", scope: "container" }), 25);
    assert.equal(await readValue({ metric: "memory.used", scope: "container" }), 64 * MIB);
    assert.equal(await readValue({ metric: "memory.available", scope: "container" }), 192 * MIB);
  });

  it("swap: memory.swap.current against memory.swap.max", async () => {
    assert.equal(await readValue({ metric: "swap.utilization", scope: "container" }), 25);
    assert.equal(await readValue({ metric: "swap.used", scope: "container" }), 16 * MIB);
  });

  it("without memory.max, against the host's MemTotal (as docker stats)", async () => {
    tree.write("own/sys/fs/cgroup/memory.max", "max\n");
    assert.equal(await readValue({ metric: "memory.utilization", scope: "container" }), (64 / 8192) * 100);
    assert.equal(await readValue({ metric: "memory.available", scope: "container" }), 8128 * MIB);
  });

  it("cpu: the cgroup's CPU time against the cpu.max quota", async () => {
    const cpu = reader({ metric: "cpu.utilization", scope: "container" });
    assert.deepEqual(await cpu.read(), { samples: [], skipped: [] });
    // 250 ms of CPU in 1 s, with half a CPU allowed: 50 %.
    tree.nowMs += 1000;
    tree.write("own/sys/fs/cgroup/cpu.stat", "usage_usec 1250000\n");
    assert.equal(value(await cpu.read()), 50);
    // Without a quota, against all 4 online CPUs: 1 s of CPU in 1 s is 25 %.
    tree.write("own/sys/fs/cgroup/cpu.max", "max 100000\n");
    tree.nowMs += 1000;
    tree.write("own/sys/fs/cgroup/cpu.stat", "usage_usec 2250000\n");
    assert.equal(value(await cpu.read()), 25);
  });

  it("perCpu is host-only, said when the reader is made", () => {
    assert.throws(() => reader({ metric: "cpu.utilization", scope: "container", perCpu: true }), {
      name: "SourceError",
      message:
        "system cpu.utilization: perCpu needs scope host: a container's cgroup has no time per CPU against its quota",
    });
    assert.throws(() => reader({ metric: "cpu.utilization", perCpu: true }), {
      message:
        /^perCpu needs scope host; the scope is auto: container \(cgroup \/, memory limit 268435456 bytes, CPU quota 0.5 CPUs\)$/,
    });
  });

  it("auto picks the container: its cgroup namespace root sets limits", () => {
    const resolution = resolveScope("auto", tree.roots);
    assert.equal(resolution.scope, "container");
    assert.equal(
      resolution.reason,
      "auto: container (cgroup /, memory limit 268435456 bytes, CPU quota 0.5 CPUs)",
    );
    assert.equal(reader({ metric: "memory.utilization" }).scope, "container");
  });

  it("auto picks the host when the container sets no limit", () => {
    tree.write("own/sys/fs/cgroup/memory.max", "max\n").write("own/sys/fs/cgroup/cpu.max", "max 100000\n");
    assert.equal(resolveScope("auto", tree.roots).scope, "host");
    assert.equal(resolveScope("container", tree.roots).scope, "container");
  });
});

describe("system source, container scope, cgroup v1", () => {
  beforeEach(v1Container);

  it("finds each controller under its mount, whose root is the container's cgroup", () => {
    assert.deepEqual(findOwnCgroup(tree.roots), {
      path: "/docker/3f2a",
      memory: { version: 1, dir: `${tree.dir}/own/sys/fs/cgroup/memory` },
      cpu: {
        version: 1,
        cpuDir: `${tree.dir}/own/sys/fs/cgroup/cpu,cpuacct`,
        cpuacctDir: `${tree.dir}/own/sys/fs/cgroup/cpu,cpuacct`,
      },
    });
  });

  it("memory: usage_in_bytes - total_inactive_file against limit_in_bytes", async () => {
    assert.equal(await readValue({ metric: "memory.utilization", scope: "container" }), 25);
    assert.equal(await readValue({ metric: "memory.used", scope: "container" }), 128 * MIB);
    assert.equal(await readValue({ metric: "memory.available", scope: "container" }), 384 * MIB);
  });

  it("swap: memsw minus memory, against the memsw limit minus the memory limit", async () => {
    assert.equal(await readValue({ metric: "swap.used", scope: "container" }), 32 * MIB);
    assert.equal(await readValue({ metric: "swap.utilization", scope: "container" }), 6.25);
  });

  it("cpu: cpuacct.usage (ns) against cfs_quota_us / cfs_period_us", async () => {
    const cpu = reader({ metric: "cpu.utilization", scope: "container" });
    await cpu.read();
    tree.nowMs += 1000;
    tree.write("own/sys/fs/cgroup/cpu,cpuacct/cpuacct.usage", "6000000000\n");
    assert.equal(value(await cpu.read()), 50);
  });

  it("auto picks the container; a limit of v1's unlimited marker is no limit", () => {
    assert.equal(
      resolveScope("auto", tree.roots).reason,
      "auto: container (cgroup /docker/3f2a, memory limit 536870912 bytes, CPU quota 2 CPUs)",
    );
    tree.write("own/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
    tree.write("own/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
    assert.deepEqual(resolveScope("auto", tree.roots).scope, "host");
  });
});

describe("auto scope", () => {
  const cases: [string, string, string][] = [
    [
      "/system.slice/cloudwatch-publisher.service",
      "host",
      "a systemd service capped with MemoryMax= is not a container",
    ],
    ["/system.slice/docker-3f2a.scope", "container", "Docker with the systemd cgroup driver"],
    ["/system.slice/containerd.service", "host", "the container runtime's own service"],
    [
      "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/cri-containerd-3f2a.scope",
      "container",
      "Kubernetes",
    ],
    ["/ecs/8c1f/3f2a", "container", "ECS on EC2"],
    [
      "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-3f2a.scope",
      "container",
      "rootless Podman",
    ],
  ];
  for (const [path, scope, what] of cases)
    it(`${what}: ${scope}`, () => {
      tree
        .write("own/proc/self/cgroup", `0::${path}\n`)
        .write("own/proc/self/mountinfo", "1 0 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n")
        .write(`own/sys/fs/cgroup${path}/memory.max`, `${256 * MIB}\n`);
      assert.equal(resolveScope("auto", tree.roots).scope, scope);
    });

  it("host when HOST_PROC names the host's /proc, even in a container with limits", () => {
    const path = "/system.slice/docker-3f2a.scope";
    tree
      .write("own/proc/self/cgroup", `0::${path}\n`)
      .write("own/proc/self/mountinfo", "1 0 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n")
      .write(`own/sys/fs/cgroup${path}/memory.max`, `${256 * MIB}\n`);
    assert.equal(resolveScope("auto", tree.roots).scope, "container");
    const named = { ...tree.roots, hostProcNamed: true };
    assert.deepEqual(resolveScope("auto", named), {
      scope: "host",
      reason: `auto: host (HOST_PROC is ${tree.roots.hostProc})`,
      cgroup: undefined,
    });
    assert.equal(resolveScope("container", named).scope, "container", "an explicit scope still decides");
  });

  it("host, with the reason, when this process's cgroup cannot be read", () => {
    assert.deepEqual(resolveScope("auto", tree.roots), {
      scope: "host",
      reason: `auto: host (${tree.dir}/own/proc/self/cgroup does not exist)`,
      cgroup: undefined,
    });
  });

  it("container scope without a cgroup fails when the reader is made, naming the file", () => {
    assert.throws(() => reader({ metric: "memory.used", scope: "container" }), {
      name: "SourceError",
      message: `${tree.dir}/own/proc/self/cgroup does not exist`,
    });
  });

  it("container scope fails when the cgroup lacks the controller the metric needs", () => {
    tree
      .write("own/proc/self/cgroup", "4:cpu,cpuacct:/\n")
      .write(
        "own/proc/self/mountinfo",
        "3 2 0:42 / /sys/fs/cgroup/cpu,cpuacct ro - cgroup cgroup rw,cpu,cpuacct\n",
      );
    assert.throws(() => reader({ metric: "memory.used", scope: "container" }), {
      message: "container (as configured; cgroup /): this process's cgroup has no memory controller to read",
    });
  });
});
