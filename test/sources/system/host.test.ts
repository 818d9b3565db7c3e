/**
 * Host scope against a fixture tree standing in for a host's /proc and /sys mounted into a container
 * (HOST_PROC, HOST_SYS, HOST_MOUNT_PREFIX): every metric gives exactly the value worked out by hand,
 * counters across two reads (and a third where one wraps or resets).
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createSystemReader } from "../../../src/sources/system/create-system-reader.js";
import type { SystemReading } from "../../../src/sources/system/sample.js";
import type { SystemOptions } from "../../../src/config/system-options.js";
import type { SystemReader } from "../../../src/sources/system/system-reader.js";
import { diskstats, FIXTURE_MOUNT_PREFIX, netDev, SystemTree } from "../../support/system-tree.js";

let tree: SystemTree;
const host = (options: Omit<SystemOptions, "scope">): SystemReader =>
  createSystemReader({ ...options, scope: "host" }, tree.context);
/** The samples of a read as `dimension values → value`, "" for a sample without dimensions. */
const values = (reading: SystemReading) =>
  Object.fromEntries(reading.samples.map((s) => [Object.values(s.dimensions).join(" "), s.value]));
/** The one value of a metric without dimensions. */
const read = async (metric: string) => values(await host({ metric }).read())[""];
const near = (actual: number | undefined, expected: number) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

beforeEach(() => {
  tree = new SystemTree();
  tree
    .write(
      "host/proc/meminfo",
      "MemTotal:        8000000 kB\nMemFree:         1000000 kB\nMemAvailable:    6000000 kB\nCached:  3000000 kB\nSwapTotal:       2000000 kB\nSwapFree:        1500000 kB\n",
    )
    .write("host/proc/loadavg", "0.50 1.25 2.00 3/456 7890\n")
    .write("host/proc/uptime", "12345.67 23456.78\n")
    .write(
      "host/proc/stat",
      "cpu  1000 100 500 8000 200 0 100 0 0 0\ncpu0 500 50 250 4000 100 0 50 0 0 0\ncpu1 500 50 250 4000 100 0 50 0 0 0\nintr 1 2\n",
    )
    .write(
      "host/proc/diskstats",
      diskstats(
        [8, 0, "sda", 1000, 2000, 500],
        [8, 1, "sda1", 900, 1900, 400],
        [7, 0, "loop0", 5, 5, 5],
        [259, 0, "nvme0n1", 10_000, 0, 4294967000],
      ),
    )
    .mkdir("host/sys/block/sda")
    .mkdir("host/sys/block/nvme0n1")
    .mkdir("host/sys/block/loop0")
    .write(
      "host/proc/1/net/dev",
      netDev(
        "    lo: 1000 10 0 0 0 0 0 0 1000 10 0 0 0 0 0 0",
        "  eth0:4294967000 100 3 0 0 0 0 0 5000 50 1 0 0 0 0 0",
        "  eth1: 7000 70 0 0 0 0 0 0 7000 70 0 0 0 0 0 0",
      ),
    )
    .write(
      "host/proc/1/mountinfo",
      [
        "21 26 0:20 / /proc rw,relatime - proc proc rw",
        "26 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw",
        "27 26 8:2 / /mnt/my\\040data rw - xfs /dev/sda2 rw",
        "28 26 8:1 /var/lib/docker /var/lib/docker rw - ext4 /dev/sda1 rw",
        "29 26 0:50 / /mnt/nfs rw - nfs4 server:/export rw",
        "30 26 0:30 / /dev/shm rw - tmpfs tmpfs rw",
        "",
      ].join("\n"),
    )
    .mkdir("host/proc/42")
    .mkdir("host/proc/1337")
    .mkdir("host/proc/self")
    .write("host/proc/version", "Linux\n");
  // The container's own view differs, so reading it by mistake shows.
  tree.write("host/proc/self/net/dev", netDev("  veth0: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0"));
  tree.filesystems.set(`${FIXTURE_MOUNT_PREFIX}/`, {
    bsize: 4096,
    blocks: 1000,
    bfree: 400,
    bavail: 200,
    files: 200,
    ffree: 50,
  });
  tree.filesystems.set(`${FIXTURE_MOUNT_PREFIX}/mnt/my data`, {
    bsize: 1024,
    blocks: 500,
    bfree: 500,
    bavail: 500,
    files: 0,
    ffree: 0,
  });
  tree.filesystems.set(`${FIXTURE_MOUNT_PREFIX}/mnt/nfs`, {
    bsize: 1024,
    blocks: 100,
    bfree: 10,
    bavail: 10,
    files: 10,
    ffree: 1,
  });
});
afterEach(() => tree.cleanup());

describe("system source, host scope: values from a fixture tree", () => {
  it("memory and swap: used = MemTotal - MemAvailable", async () => {
    assert.equal(await read("memory.utilization"), 25);
    assert.equal(await read("memory.used"), 2_048_000_000);
    assert.equal(await read("memory.available"), 6_144_000_000);
    assert.equal(await read("swap.utilization"), 25);
    assert.equal(await read("swap.used"), 512_000_000);
  });

  it("no swap at all is 0 %, not a division by zero", async () => {
    tree.write(
      "host/proc/meminfo",
      "MemTotal: 100 kB\nMemAvailable: 50 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n",
    );
    assert.deepEqual(values(await host({ metric: "swap.utilization" }).read()), { "": 0 });
  });

  it("load averages, uptime and the count of processes (numbered /proc entries, not threads)", async () => {
    assert.equal(await read("load.1"), 0.5);
    assert.equal(await read("load.5"), 1.25);
    assert.equal(await read("load.15"), 2);
    assert.equal(await read("uptime"), 12345.67);
    assert.equal(await read("processes.count"), 3);
  });

  it("cpu: busy and iowait shares of the ticks between reads; guest ticks are not counted twice", () => {
    const all = host({ metric: "cpu.utilization" });
    const perCpu = host({ metric: "cpu.utilization", perCpu: true });
    const iowait = host({ metric: "cpu.iowait" });
    for (const reader of [all, perCpu, iowait])
      assert.deepEqual(reader.readNow!(), { samples: [], skipped: [] });
    // +300 user, +100 system, +500 idle, +100 iowait (+40 guest, already in user): 1000 ticks, 400 busy.
    tree.write(
      "host/proc/stat",
      "cpu  1300 100 600 8500 300 0 100 0 40 0\ncpu0 700 50 300 4200 150 0 50 0 40 0\ncpu1 600 50 300 4300 150 0 50 0 0 0\n",
    );
    assert.deepEqual(values(all.readNow!()), { "": 40 });
    assert.deepEqual(values(iowait.readNow!()), { "": 10 });
    // cpu0: +200 user +50 system +200 idle +50 iowait = 500, 250 busy; cpu1: +100 +50 +300 +50 = 500, 150 busy.
    assert.deepEqual(perCpu.readNow!().samples, [
      { dimensions: { Cpu: "cpu0" }, value: 50 },
      { dimensions: { Cpu: "cpu1" }, value: 30 },
    ]);
    // iowait steps back 5 ticks (proc(5) allows it): no time, not minus five; +100 user +100 idle.
    tree.write("host/proc/stat", "cpu  1400 100 600 8600 295 0 100 0 40 0\n");
    assert.deepEqual(values(all.readNow!()), { "": 50 });
    // Nothing passed at all: said so, not 0 % and not NaN.
    assert.deepEqual(all.readNow!(), {
      samples: [],
      skipped: [{ dimensions: {}, reason: "no CPU time passed on cpu since the previous read" }],
    });
  });

  it("network: increases per interface, lo left out, a 64-bit counter passing 2^32 and a reset", () => {
    const rx = host({ metric: "network.rx.bytes" });
    const rxErrors = host({ metric: "network.rx.errors" });
    const tx = host({ metric: "network.tx.bytes" });
    const txErrors = host({ metric: "network.tx.errors" });
    const withLo = host({ metric: "network.rx.bytes", interfaces: ["*"] });
    const readers = [rx, rxErrors, tx, txErrors, withLo];
    for (const reader of readers) assert.deepEqual(reader.readNow!().samples, []);
    tree.write(
      "host/proc/1/net/dev",
      netDev(
        "    lo: 2000 10 0 0 0 0 0 0 1000 10 0 0 0 0 0 0",
        "  eth0:4294968000 100 5 0 0 0 0 0 9000 50 1 0 0 0 0 0",
        "  eth1: 300 70 0 0 0 0 0 0 7500 70 2 0 0 0 0 0",
      ),
    );
    const [rxNow, rxErrorsNow, txNow, txErrorsNow, withLoNow] = readers.map((r) => values(r.readNow!()));
    // eth1 went from 7000 to 300: the interface came back, so its counter restarted from zero.
    assert.deepEqual(rxNow, { eth0: 1000, eth1: 300 });
    assert.deepEqual(rxErrorsNow, { eth0: 2, eth1: 0 });
    assert.deepEqual(txNow, { eth0: 4000, eth1: 500 });
    assert.deepEqual(txErrorsNow, { eth0: 0, eth1: 2 });
    assert.deepEqual(withLoNow, { lo: 1000, eth0: 1000, eth1: 300 });
    assert.deepEqual(
      rx.readNow!().samples.map((s) => s.dimensions),
      [{ Interface: "eth0" }, { Interface: "eth1" }],
    );
  });

  it("network: an interface that appears only sets its baseline; one that goes is forgotten", () => {
    const rx = host({ metric: "network.rx.bytes" });
    rx.readNow!();
    tree.write(
      "host/proc/1/net/dev",
      netDev("  eth0:4294967100 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", "  eth2: 50 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"),
    );
    assert.deepEqual(values(rx.readNow!()), { eth0: 100 });
    tree.write(
      "host/proc/1/net/dev",
      netDev("  eth2: 80 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", "  eth1: 7100 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"),
    );
    // eth1 was absent from the last read: it starts again from a baseline rather than from 7000.
    assert.deepEqual(values(rx.readNow!()), { eth2: 30 });
  });

  it("network: falls back to the host /proc's own net/dev where PID 1 cannot be read", () => {
    tree.remove("host/proc/1/net");
    const rx = host({ metric: "network.rx.bytes" });
    rx.readNow!();
    tree.write("host/proc/self/net/dev", netDev("  veth0: 11 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0"));
    assert.deepEqual(values(rx.readNow!()), { veth0: 10 });
  });

  it("disk I/O: bytes and busy time of whole disks, a 32-bit I/O time that wraps and sectors that reset", () => {
    const reads = host({ metric: "diskio.read.bytes" });
    const write = host({ metric: "diskio.write.bytes" });
    const util = host({ metric: "diskio.utilization" });
    const partitions = host({ metric: "diskio.read.bytes", devices: ["sda*", "loop*"] });
    const readers = [reads, write, util, partitions];
    for (const reader of readers) assert.deepEqual(reader.readNow!().samples, []);
    tree.nowMs += 1000;
    tree.write(
      "host/proc/diskstats",
      diskstats(
        [8, 0, "sda", 3000, 2500, 750],
        [8, 1, "sda1", 1000, 2000, 500],
        [7, 0, "loop0", 7, 5, 5],
        // The I/O time wraps at 2^32 ms: 4294967000 → 204 is 500 ms. Sectors read restarted: 400.
        [259, 0, "nvme0n1", 400, 0, 204],
      ),
    );
    const [readNow, writeNow, utilNow, partitionsNow] = readers.map((r) => values(r.readNow!()));
    assert.deepEqual(readNow, { sda: 2000 * 512, nvme0n1: 400 * 512 });
    assert.deepEqual(writeNow, { sda: 500 * 512, nvme0n1: 0 });
    assert.deepEqual(utilNow, { sda: 25, nvme0n1: 50 });
    assert.deepEqual(partitionsNow, { sda: 2000 * 512, sda1: 100 * 512, loop0: 2 * 512 });
    // Busy longer than the clock says (the two are read a moment apart): capped at 100, as iostat does.
    tree.nowMs += 100;
    tree.write("host/proc/diskstats", diskstats([8, 0, "sda", 3000, 2500, 860]));
    assert.deepEqual(values(util.readNow!()), { sda: 100 });
  });

  it("disk space: df's used / (used + available), each local filesystem once, at the host mount prefix", async () => {
    const readDisk = async (metric: string, mounts?: string[]) =>
      await host({ metric, ...(mounts && { mounts }) }).read();
    const util = await readDisk("disk.utilization");
    // 600 blocks used, 200 available to users (200 more reserved for root): 75 %.
    assert.deepEqual(util.samples, [
      { dimensions: { MountPath: "/", Filesystem: "/dev/sda1" }, value: 75 },
      { dimensions: { MountPath: "/mnt/my data", Filesystem: "/dev/sda2" }, value: 0 },
    ]);
    assert.deepEqual(util.skipped, []);
    assert.deepEqual(values(await readDisk("disk.used")), {
      "/ /dev/sda1": 600 * 4096,
      "/mnt/my data /dev/sda2": 0,
    });
    assert.deepEqual(values(await readDisk("disk.available")), {
      "/ /dev/sda1": 200 * 4096,
      "/mnt/my data /dev/sda2": 500 * 1024,
    });
    const inodes = await readDisk("disk.inodes.utilization");
    assert.deepEqual(values(inodes), { "/ /dev/sda1": 75 });
    assert.deepEqual(inodes.skipped, [
      {
        dimensions: { MountPath: "/mnt/my data", Filesystem: "/dev/sda2" },
        reason: "reports no inode counts",
      },
    ]);
    // An explicit glob takes any filesystem: NFS, and /proc, which has no blocks to report.
    const chosen = await readDisk("disk.utilization", ["/mnt/nfs", "/proc"]);
    assert.deepEqual(values(chosen), { "/mnt/nfs server:/export": 90 });
    assert.deepEqual(chosen.skipped, [
      {
        dimensions: { MountPath: "/proc", Filesystem: "proc" },
        reason: "statfs /hostfs/proc: does not exist",
      },
    ]);
    tree.filesystems.set(`${FIXTURE_MOUNT_PREFIX}/proc`, {
      bsize: 4096,
      blocks: 0,
      bfree: 0,
      bavail: 0,
      files: 0,
      ffree: 0,
    });
    assert.deepEqual((await readDisk("disk.utilization", ["/proc"])).skipped, [
      {
        dimensions: { MountPath: "/proc", Filesystem: "proc" },
        reason: "reports no blocks (a pseudo filesystem?)",
      },
    ]);
    assert.equal("readNow" in host({ metric: "disk.used", mounts: ["/"] }), false, "a glob may name NFS");
    assert.deepEqual(values(host({ metric: "disk.used" }).readNow!()), {
      "/ /dev/sda1": 600 * 4096,
      "/mnt/my data /dev/sda2": 0,
    });
  });

  it("disk space: a mount that comes or goes between two reads of one reader is seen at the next", () => {
    const used = host({ metric: "disk.used" });
    assert.deepEqual(Object.keys(values(used.readNow!())), ["/ /dev/sda1", "/mnt/my data /dev/sda2"]);
    tree.write(
      "host/proc/1/mountinfo",
      "26 1 8:1 / / rw - ext4 /dev/sda1 rw\n31 26 8:3 / /srv rw - ext4 /dev/sdb rw\n",
    );
    tree.filesystems.set(`${FIXTURE_MOUNT_PREFIX}/srv`, {
      bsize: 512,
      blocks: 10,
      bfree: 4,
      bavail: 4,
      files: 1,
      ffree: 1,
    });
    assert.deepEqual(values(used.readNow!()), { "/ /dev/sda1": 600 * 4096, "/srv /dev/sdb": 6 * 512 });
  });

  it("disk space: the host's mounts through PID 1; its own mounts where PID 1 is hidden", async () => {
    tree.remove("host/proc/1/mountinfo");
    tree.write("host/proc/self/mountinfo", "26 1 8:9 / / rw - ext4 /dev/sdz rw\n");
    const util = await host({ metric: "disk.utilization" }).read();
    assert.deepEqual(
      util.samples.map((s) => s.dimensions),
      [{ MountPath: "/", Filesystem: "/dev/sdz" }],
    );
  });

  it("fails with the path when a file is missing or not in the kernel's format", async () => {
    tree.remove("host/proc/meminfo");
    await assert.rejects(host({ metric: "memory.used" }).read(), {
      name: "SourceError",
      message: `${tree.roots.hostProc}/meminfo does not exist`,
    });
    tree.write("host/proc/loadavg", "high\n");
    assert.throws(() => host({ metric: "load.1" }).readNow!(), {
      message: `${tree.roots.hostProc}/loadavg is not in the loadavg format: "high"`,
    });
  });

  it("a failed read keeps the last good baseline", () => {
    const rx = host({ metric: "network.rx.bytes" });
    rx.readNow!();
    tree.write("host/proc/1/net/dev", netDev("  eth0: garbage"));
    assert.throws(() => rx.readNow!(), {
      message: `${tree.roots.hostProc}/1/net/dev has a malformed line: "eth0: garbage"`,
    });
    tree.write("host/proc/1/net/dev", netDev("  eth0:4294967500 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"));
    assert.deepEqual(values(rx.readNow!()), { eth0: 500 });
  });

  it("near: utilization stays a float (no rounding)", async () => {
    tree.write("host/proc/meminfo", "MemTotal: 3 kB\nMemAvailable: 2 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n");
    near(values(await host({ metric: "memory.utilization" }).read())[""], 100 / 3);
  });
});
