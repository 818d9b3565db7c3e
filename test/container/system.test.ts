/**
 * The `system` source in a real container with `--memory 256m`: container scope measures against the
 * 256 MiB limit, and host scope with the host's /proc mounted (HOST_PROC) measures the host, the
 * machine these tests run on. Runs under `npm run test:container` (CWP_CONTAINER_TESTS=1).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { docker } from "../support/docker.js";
import { FakeCloudWatch } from "../support/fake-cloudwatch.js";

const IMAGE = process.env.IMAGE ?? "cloudwatch-publisher:test";
const enabled = process.env.CWP_CONTAINER_TESTS === "1";
const MIB = 1024 * 1024;
const LIMIT = 256 * MIB;

const CONFIG = `defaults: { namespace: NS }
metrics:
  - { name: Utilization, unit: Percent, source: { type: system, metric: memory.utilization } }
  - { name: Used, unit: Bytes, source: { type: system, metric: memory.used } }
  - { name: Available, unit: Bytes, source: { type: system, metric: memory.available } }
`;

function meminfoBytes(field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(readFileSync("/proc/meminfo", "utf8"));
  return Number(match![1]) * 1024;
}

describe(
  "the system source in a container with --memory 256m",
  { skip: !enabled && "set CWP_CONTAINER_TESTS=1 (npm run test:container)" },
  () => {
    let fake: FakeCloudWatch;
    const dir = mkdtempSync(join(tmpdir(), "cwp-container-system-"));
    chmodSync(dir, 0o755);
    before(async () => {
      fake = await FakeCloudWatch.start();
    });
    after(() => fake.close());

    /** Runs `once` in a 256 MiB container; returns the three values published under `namespace`. */
    async function once(namespace: string, args: string[], extra = ""): Promise<Record<string, number>> {
      const file = join(dir, `${namespace.replace("/", "-")}.yaml`);
      writeFileSync(file, CONFIG.replace("NS", namespace) + extra);
      chmodSync(file, 0o644);
      const env = Object.entries(fake.env()).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
      const r = await docker(
        "run",
        "--rm",
        "--network",
        "host",
        "--memory",
        "256m",
        ...env,
        ...args,
        "-v",
        `${file}:/config/config.yaml:ro`,
        IMAGE,
        "once",
        "--config",
        "/config/config.yaml",
      );
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const values = Object.fromEntries(
        fake.datums.filter((d) => d.namespace === namespace).map((d) => [d.name, d.value]),
      );
      const names = ["Available", ...(extra === "" ? [] : ["Root"]), "Used", "Utilization"];
      assert.deepEqual(Object.keys(values).sort(), names, r.stdout);
      return Object.assign(values, { log: r.stdout });
    }

    it("scope auto picks the container: memory against the 256 MiB limit", async () => {
      const v = await once("Sys/Container", []);
      // Each metric is its own read, so the working set may move a little between them.
      assert.ok(Math.abs(v.Used! + v.Available! - LIMIT) < 8 * MIB, "used + available is the limit");
      assert.ok(Math.abs(v.Utilization! - (v.Used! / LIMIT) * 100) < 3, `${v.Utilization} vs ${v.Used}`);
      assert.ok(v.Used! > 1 * MIB && v.Used! < LIMIT, `a working set of ${v.Used} bytes`);
      assert.match(String(v.log), /scope auto: container \(cgroup .*memory limit 268435456 bytes/);
    });

    it("with the README's flags (the host's /proc, /sys and / mounted, HOST_* set), the host", async () => {
      const flags = ["-v", "/proc:/host/proc:ro", "-v", "/sys:/host/sys:ro", "-v", "/:/hostfs:ro"];
      const named = [
        "-e",
        "HOST_PROC=/host/proc",
        "-e",
        "HOST_SYS=/host/sys",
        "-e",
        "HOST_MOUNT_PREFIX=/hostfs",
      ];
      const root = `  - { name: Root, unit: Percent, source: { type: system, metric: disk.utilization, mounts: ["/"] } }\n`;
      const v = await once("Sys/Host", [...flags, ...named], root);
      const line = execFileSync("df", ["-P", "/"], { encoding: "utf8" }).trim().split("\n")[1]!;
      const df = Number(/ (\d+)% /.exec(line)![1]);
      assert.ok(Math.abs(v.Root! - df) <= 1, `the host's / at ${v.Root} %, df says ${df} %`);
      const total = meminfoBytes("MemTotal");
      assert.ok(
        Math.abs(v.Used! + v.Available! - total) < 64 * MIB,
        "used + available is the host's MemTotal",
      );
      const expected = ((total - meminfoBytes("MemAvailable")) / total) * 100;
      assert.ok(Math.abs(v.Utilization! - expected) <= 2, `${v.Utilization} vs the host's ${expected}`);
      assert.match(String(v.log), /scope auto: host \(HOST_PROC is \/host\/proc\)/);
    });
  },
);
