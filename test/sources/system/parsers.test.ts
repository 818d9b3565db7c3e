/** The pure parts of the system source: the kernel's formats, counters, globs and the choice of mounts. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  cpuQuotaV1,
  parseCgroupMax,
  parseCgroupV1Limit,
  parseCpuMax,
  parseFlatKeyed,
} from "../../../src/sources/system/cgroup-files.js";
import { counterIncrease } from "../../../src/sources/system/counter.js";
import { parseDiskstats } from "../../../src/sources/system/diskstats.js";
import { globFilter } from "../../../src/sources/system/glob.js";
import { parseLoadavg } from "../../../src/sources/system/loadavg.js";
import { parseMeminfo } from "../../../src/sources/system/meminfo.js";
import { selectMounts } from "../../../src/sources/system/mount-selection.js";
import { parseMountinfo, unescapeMountField } from "../../../src/sources/system/mountinfo.js";
import { parseNetDev } from "../../../src/sources/system/net-dev.js";
import { parseProcCgroup } from "../../../src/sources/system/proc-cgroup.js";
import { parseProcStat } from "../../../src/sources/system/proc-stat.js";
import { rootsFromEnv } from "../../../src/sources/system/roots.js";
import { parseUptime } from "../../../src/sources/system/uptime.js";
import { diskstats, netDev } from "../../support/system-tree.js";

const MEMINFO = `MemTotal:        8000000 kB
MemFree:         1000000 kB
MemAvailable:    6000000 kB
Buffers:           84844 kB
Active(file):     534580 kB
SwapTotal:       2000000 kB
SwapFree:        1500000 kB
HugePages_Total:       0
`;

describe("parseMeminfo", () => {
  it("reads total, available and swap in bytes", () => {
    assert.deepEqual(parseMeminfo(MEMINFO, "meminfo"), {
      totalBytes: 8_192_000_000,
      availableBytes: 6_144_000_000,
      swapTotalBytes: 2_048_000_000,
      swapFreeBytes: 1_536_000_000,
    });
  });
  it("names a missing MemAvailable and the kernel that added it, rather than guessing", () => {
    assert.throws(() => parseMeminfo(MEMINFO.replace(/^MemAvailable.*\n/m, ""), "/p/meminfo"), {
      name: "SourceError",
      message: "/p/meminfo has no MemAvailable line (it appeared in Linux 3.14)",
    });
  });
});

describe("parseProcStat", () => {
  const stat = `cpu  1000 100 500 8000 200 10 20 30 40 50
cpu0 500 50 250 4000 100 5 10 15 20 25
cpu1 500 50 250 4000 100 5 10 15 20 25
intr 534288 0 0 0
ctxt 2188206
procs_running 2
`;
  it("keeps the eight fields that make up CPU time, dropping guest (already in user and nice)", () => {
    const parsed = parseProcStat(stat, "stat");
    assert.deepEqual(parsed.all, [1000, 100, 500, 8000, 200, 10, 20, 30]);
    assert.deepEqual([...parsed.perCpu.keys()], ["cpu0", "cpu1"]);
    assert.deepEqual(parsed.perCpu.get("cpu1"), [500, 50, 250, 4000, 100, 5, 10, 15]);
  });
  it("pads the fields an old kernel does not print with zeros", () => {
    assert.deepEqual(parseProcStat("cpu 1 2 3 4\n", "stat").all, [1, 2, 3, 4, 0, 0, 0, 0]);
  });
  it("rejects a malformed cpu line and a file without one", () => {
    assert.throws(
      () => parseProcStat("cpu 1 2 x 4\n", "stat"),
      /stat has a malformed cpu line: "cpu 1 2 x 4"/,
    );
    assert.throws(() => parseProcStat("intr 1\n", "/p/stat"), /^SourceError: \/p\/stat has no cpu line$/);
  });
});

describe("parseLoadavg and parseUptime", () => {
  it("reads the three load averages", () => {
    assert.deepEqual(parseLoadavg("0.50 1.25 2.00 3/456 7890\n", "loadavg"), {
      load1: 0.5,
      load5: 1.25,
      load15: 2,
    });
  });
  it("reads seconds since boot", () => {
    assert.equal(parseUptime("12345.67 23456.78\n", "uptime"), 12345.67);
  });
  it("rejects text in another format", () => {
    assert.throws(() => parseLoadavg("busy\n", "/p/loadavg"), {
      message: '/p/loadavg is not in the loadavg format: "busy"',
    });
    assert.throws(() => parseUptime("", "/p/uptime"), {
      message: '/p/uptime is not in the uptime format: ""',
    });
  });
});

describe("parseDiskstats", () => {
  it("reads sectors and I/O time by device, from kernels with 11, 15 or 17 fields", () => {
    const text = [
      "   8       0 sda 100 0 1000 0 50 0 2000 0 0 500 0",
      diskstats([259, 0, "nvme0n1", 3, 4, 5]).trim(),
      " 254       0 vda 34992 6939 1547994 10042 45996 113269 6085536 91452 0 16708 111405 11294 50 555952 5169",
      "",
    ].join("\n");
    assert.deepEqual(parseDiskstats(text, "diskstats"), [
      { device: "sda", sectorsRead: 1000, sectorsWritten: 2000, ioMs: 500 },
      { device: "nvme0n1", sectorsRead: 3, sectorsWritten: 4, ioMs: 5 },
      { device: "vda", sectorsRead: 1547994, sectorsWritten: 6085536, ioMs: 16708 },
    ]);
  });
  it("rejects a short line", () => {
    assert.throws(() => parseDiskstats("8 0 sda 1 2 3\n", "d"), {
      message: 'd has a malformed line: "8 0 sda 1 2 3"',
    });
  });
});

describe("parseNetDev", () => {
  it("splits the name at the last colon, even when a count touches it", () => {
    const text = netDev(
      "    lo: 1578281    1002    0    0    0     0          0         0  1578281    1002    0    0    0     0       0          0",
      "  eth0:627194068   27709    3    0    0     0          0         0  2514723   21078    4    0    0     0       0          0",
    );
    assert.deepEqual(parseNetDev(text, "dev"), [
      { name: "lo", rxBytes: 1578281, rxErrors: 0, txBytes: 1578281, txErrors: 0 },
      { name: "eth0", rxBytes: 627194068, rxErrors: 3, txBytes: 2514723, txErrors: 4 },
    ]);
  });
  it("rejects a line without its sixteen counters", () => {
    assert.throws(
      () => parseNetDev(netDev("  eth0: 1 2 3"), "dev"),
      /^SourceError: dev has a malformed line/,
    );
  });
});

describe("parseMountinfo", () => {
  it("reads device, root, mount point, type and source, undoing the kernel's octal escapes", () => {
    const text = [
      "26 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard",
      "36 35 98:0 /mnt1 /mnt/my\\040data\\011x rw,noatime master:1 shared:2 - ext3 /dev/my\\134disk rw,errors=continue",
      "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct",
      "",
    ].join("\n");
    assert.deepEqual(parseMountinfo(text, "mountinfo"), [
      {
        device: "254:0",
        root: "/",
        mountPath: "/",
        fsType: "ext4",
        source: "/dev/vda",
        superOptions: "rw,discard",
      },
      {
        device: "98:0",
        root: "/mnt1",
        mountPath: "/mnt/my data\tx",
        fsType: "ext3",
        source: "/dev/my\\disk",
        superOptions: "rw,errors=continue",
      },
      {
        device: "0:28",
        root: "/",
        mountPath: "/sys/fs/cgroup/cpu,cpuacct",
        fsType: "cgroup",
        source: "cgroup",
        superOptions: "rw,cpu,cpuacct",
      },
    ]);
  });
  it("unescapes newlines too, and leaves other backslashes alone", () => {
    assert.equal(unescapeMountField("a\\012b\\x"), "a\nb\\x");
  });
  it("rejects a line without the separator", () => {
    assert.throws(
      () => parseMountinfo("26 1 254:0 / / rw ext4 /dev/vda rw\n", "m"),
      /^SourceError: m has a malformed line/,
    );
  });
});

describe("parseProcCgroup", () => {
  it("tells the v2 line from v1 controllers, and keeps colons inside a path", () => {
    const parsed = parseProcCgroup(
      "12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/a:b\n0::/docker/abc\n",
      "c",
    );
    assert.equal(parsed.v2, "/docker/abc");
    assert.deepEqual(
      [...parsed.v1],
      [
        ["memory", "/docker/abc"],
        ["cpu", "/docker/abc"],
        ["cpuacct", "/docker/abc"],
        ["name=systemd", "/a:b"],
      ],
    );
  });
  it("reads a v2-only system", () => {
    const parsed = parseProcCgroup("0::/\n", "c");
    assert.equal(parsed.v2, "/");
    assert.equal(parsed.v1.size, 0);
  });
});

describe("cgroup files", () => {
  it("reads v2 limits, `max` being none", () => {
    assert.equal(parseCgroupMax("268435456\n", "memory.max"), 268435456);
    assert.equal(parseCgroupMax("max\n", "memory.max"), undefined);
    assert.throws(() => parseCgroupMax("lots\n", "/c/memory.max"), {
      message: '/c/memory.max does not hold an integer: "lots"',
    });
  });
  it("reads v1 limits, the unlimited marker of 4 KiB and 64 KiB pages being none", () => {
    assert.equal(parseCgroupV1Limit("536870912\n", "l"), 536870912);
    assert.equal(parseCgroupV1Limit("9223372036854771712\n", "l"), undefined);
    assert.equal(parseCgroupV1Limit("9223372036854710272\n", "l"), undefined);
  });
  it("reads CPU quotas as a number of CPUs", () => {
    assert.equal(parseCpuMax("50000 100000\n", "cpu.max"), 0.5);
    assert.equal(parseCpuMax("max 100000\n", "cpu.max"), undefined);
    assert.throws(() => parseCpuMax("soon\n", "/c/cpu.max"), {
      message: '/c/cpu.max is not a cpu.max: "soon"',
    });
    assert.equal(cpuQuotaV1(200000, 100000), 2);
    assert.equal(cpuQuotaV1(-1, 100000), undefined);
  });
  it("reads flat keyed files", () => {
    assert.deepEqual(
      [...parseFlatKeyed("usage_usec 5\nuser_usec 3\n\n")],
      [
        ["usage_usec", 5],
        ["user_usec", 3],
      ],
    );
  });
});

describe("counterIncrease", () => {
  const cases: [string, number, number, 32 | 64, number][] = [
    ["a counter that grew", 100, 250, 64, 150],
    ["a 32-bit counter that wrapped", 4294967000, 204, 32, 500],
    ["a 64-bit counter that was reset (restarted from zero)", 10_000, 400, 64, 400],
    ["a 32-bit counter larger than 32 bits cannot have wrapped: reset", 2 ** 33, 7, 32, 7],
    ["a 64-bit counter growing past 2^32 is no wrap", 4294967000, 4294968000, 64, 1000],
  ];
  for (const [what, previous, current, bits, increase] of cases)
    it(what, () => assert.equal(counterIncrease(previous, current, bits), increase));
});

describe("globFilter", () => {
  const cases: [readonly string[], string, boolean][] = [
    [["eth*"], "eth0", true],
    [["eth*"], "veth1", false],
    [["/data*"], "/data/logs", true],
    [["/"], "/data", false],
    [["nvme?n1"], "nvme0n1", true],
    [["nvme?n1"], "nvme10n1", false],
    [["*", "!veth*"], "veth9", false],
    [["*", "!veth*"], "lo", true],
    [["!docker*"], "eth0", true],
    [["!docker*"], "docker0", false],
    [["a.b"], "axb", false],
    [["/mnt/[x]"], "/mnt/[x]", true],
  ];
  for (const [globs, name, expected] of cases)
    it(`${JSON.stringify(globs)} ${expected ? "selects" : "leaves out"} ${name}`, () =>
      assert.equal(globFilter(globs)(name), expected));
});

describe("selectMounts", () => {
  const mounts = parseMountinfo(
    [
      "21 26 0:20 / /proc rw - proc proc rw",
      "26 1 8:1 / / rw - ext4 /dev/sda1 rw",
      "27 26 8:2 / /data rw - xfs /dev/sda2 rw",
      "28 26 8:1 /var/lib/docker /var/lib/docker rw - ext4 /dev/sda1 rw",
      "29 26 0:50 / /mnt/nfs rw - nfs4 server:/export rw",
      "30 26 0:51 / /mnt/sshfs rw - fuse.sshfs me@host: rw",
      "31 26 0:30 / /dev/shm rw - tmpfs tmpfs rw",
      "32 26 8:3 / /data rw - ext4 /dev/sda3 rw",
      "33 26 0:60 / /var/lib/docker/overlay2/x/merged rw - overlay overlay rw",
      "",
    ].join("\n"),
    "m",
  );
  const paths = (selected: ReturnType<typeof selectMounts>) =>
    selected.map((m) => `${m.mountPath} ${m.source}`);
  it("by default: local disk filesystems, each device once, the mount on top where two share a path", () => {
    assert.deepEqual(paths(selectMounts(mounts, undefined)), ["/ /dev/sda1", "/data /dev/sda3"]);
  });
  it("with globs: whatever matches, pseudo and network filesystems included, duplicates kept", () => {
    assert.deepEqual(paths(selectMounts(mounts, globFilter(["/mnt/*", "/proc", "/var/lib/docker*"]))), [
      "/proc proc",
      "/var/lib/docker /dev/sda1",
      "/mnt/nfs server:/export",
      "/mnt/sshfs me@host:",
      "/var/lib/docker/overlay2/x/merged overlay",
    ]);
  });
  it("keeps the bind mount that shows the whole filesystem, wherever it is listed", () => {
    const binds = parseMountinfo(
      "40 1 8:1 /srv/www /www rw - ext4 /dev/sda1 rw\n41 1 8:1 / /srv rw - ext4 /dev/sda1 rw\n",
      "m",
    );
    assert.deepEqual(paths(selectMounts(binds, undefined)), ["/srv /dev/sda1"]);
  });
});

describe("rootsFromEnv", () => {
  it("takes HOST_PROC, HOST_SYS and HOST_MOUNT_PREFIX, trailing slashes trimmed, blanks as unset", () => {
    assert.deepEqual(
      rootsFromEnv({ HOST_PROC: "/host/proc/", HOST_SYS: " ", HOST_MOUNT_PREFIX: "/hostfs" }),
      {
        hostProc: "/host/proc",
        hostSys: "/sys",
        hostMountPrefix: "/hostfs",
        hostProcNamed: true,
        ownProc: "/proc",
        ownRoot: "",
      },
    );
  });
  it("reads this machine's own files when nothing is set", () => {
    assert.deepEqual(rootsFromEnv({}), {
      hostProc: "/proc",
      hostSys: "/sys",
      hostMountPrefix: "",
      hostProcNamed: false,
      ownProc: "/proc",
      ownRoot: "",
    });
  });
});
