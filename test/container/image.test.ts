/**
 * The image, built from the project's Dockerfile on local stand-in bases (test/container/standins.sh),
 * run for real with the fake CloudWatch on the host. Containers use --network host so that they
 * reach the fake on 127.0.0.1, as everything in this workplace stays on loopback.
 * Runs under `npm run test:container` (CWP_CONTAINER_TESTS=1); skipped in `npm test`.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { DEFAULT_MAX_BUFFERED_DATUMS } from "../../src/config/types.js";
import { REPO_ROOT } from "../support/cli.js";
import { docker } from "../support/docker.js";
import { FakeCloudWatch } from "../support/fake-cloudwatch.js";
import { fillOutbox } from "../support/filled-outbox.js";

const exec = promisify(execFile);
const IMAGE = process.env.IMAGE ?? "cloudwatch-publisher:test";
const enabled = process.env.CWP_CONTAINER_TESTS === "1";
const dir = mkdtempSync(join(tmpdir(), "cwp-container-"));
chmodSync(dir, 0o755);
let fake: FakeCloudWatch;
const started: string[] = [];

function awsEnv(): string[] {
  return Object.entries(fake.env()).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
}

/** `docker run -d` with the fake's environment; returns the container id. */
async function runDetached(args: string[], command: string[] = []): Promise<string> {
  const r = await docker("run", "-d", "--network", "host", ...awsEnv(), ...args, IMAGE, ...command);
  assert.equal(r.code, 0, r.stderr);
  const id = r.stdout.trim();
  started.push(id);
  return id;
}

function writeConfig(name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  chmodSync(file, 0o644);
  return file;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(
  "the container image",
  { skip: !enabled && "set CWP_CONTAINER_TESTS=1 (npm run test:container)" },
  () => {
    before(async () => {
      fake = await FakeCloudWatch.start();
    });
    after(async () => {
      if (started.length > 0) await docker("rm", "-f", ...started);
      await fake.close();
    });

    it("delivers a heartbeat within seconds in env-only mode, and docker stop exits 0", async () => {
      const before = fake.datums.length;
      const id = await runDetached(["-e", "METRIC_NAMESPACE=Container/Heartbeat"]);
      await fake.waitForDatums(before + 1, 15_000);
      assert.equal(fake.datums.at(-1)!.namespace, "Container/Heartbeat");
      await docker("stop", id);
      const code = await docker("inspect", "--format", "{{.State.ExitCode}}", id);
      assert.equal(code.stdout.trim(), "0");
      const logs = await docker("logs", id);
      assert.match(logs.stdout, /"message":"stopped"/);
      assert.deepEqual(fake.protocolErrors, []);
    });

    it("uses a mounted config file", async () => {
      const config = writeConfig(
        "mounted.yaml",
        "metrics:\n  - { name: FromFile, namespace: Container/Mounted, runOnStart: true, source: { type: command, command: [sh, -c, 'echo 42'] } }\n",
      );
      const before = fake.datums.length;
      await runDetached(["-v", `${config}:/config/config.yaml:ro`]);
      await fake.waitForDatums(before + 1, 15_000);
      const datum = fake.datums.find((d) => d.namespace === "Container/Mounted")!;
      assert.equal(datum.name, "FromFile");
      assert.equal(datum.value, 42);
    });

    it("validate-config on a bad mounted file exits non-zero with the error", async () => {
      const bad = writeConfig(
        "bad.yaml",
        "metrics:\n  - { name: X, namespace: AWS/EC2, source: { type: constant, value: 1 } }\n",
      );
      const r = await docker("run", "--rm", "-v", `${bad}:/config/config.yaml:ro`, IMAGE, "validate-config");
      assert.equal(r.code, 1);
      assert.match(
        r.stdout,
        /^\/config\/config\.yaml:2:27: metrics\[0\]\.namespace: must not start with "AWS\/"/m,
      );
      const good = await docker("run", "--rm", IMAGE, "validate-config", "/app/config/example.yaml");
      assert.equal(good.code, 0, good.stdout + good.stderr);
    });

    it("runs as the non-root UID 10001", async () => {
      const user = await docker("image", "inspect", "--format", "{{.Config.User}}", IMAGE);
      assert.equal(user.stdout.trim(), "10001:10001");
      const r = await docker(
        "run",
        "--rm",
        "--entrypoint",
        "node",
        IMAGE,
        "-e",
        "console.log(process.getuid(), process.getgid())",
      );
      assert.equal(r.stdout.trim(), "10001 10001");
    });

    it("stops within 2 s on docker stop, flushing the datum being read", async () => {
      const config = writeConfig(
        "stop.yaml",
        "metrics:\n  - { name: Slow, namespace: Container/Stop, runOnStart: true, schedule: '@hourly', source: { type: command, command: [sh, -c, 'sleep 0.7; echo 9'] } }\n",
      );
      const id = await runDetached(["-v", `${config}:/config/config.yaml:ro`]);
      for (let i = 0; i < 50 && !(await docker("logs", id)).stdout.includes("run started"); i++)
        await sleep(100);
      const t0 = performance.now();
      await docker("stop", id);
      const ms = performance.now() - t0;
      assert.ok(ms < 2_000, `docker stop took ${Math.round(ms)} ms`);
      assert.equal((await docker("inspect", "--format", "{{.State.ExitCode}}", id)).stdout.trim(), "0");
      assert.deepEqual(
        fake.datums.filter((d) => d.namespace === "Container/Stop").map((d) => d.value),
        [9],
      );
    });

    it("works hardened: read-only root, tmpfs /tmp, no capabilities, no new privileges; turns healthy", async () => {
      const before = fake.datums.length;
      const id = await runDetached([
        "--read-only",
        "--tmpfs",
        "/tmp",
        "--cap-drop",
        "ALL",
        "--security-opt",
        "no-new-privileges",
        "--health-interval",
        "2s",
        "--health-start-period",
        "1s",
        "-e",
        "METRIC_NAMESPACE=Container/Hardened",
      ]);
      await fake.waitForDatums(before + 1, 15_000);
      let health = "";
      for (let i = 0; i < 30 && health !== "healthy"; i++) {
        await sleep(500);
        health = (await docker("inspect", "--format", "{{.State.Health.Status}}", id)).stdout.trim();
      }
      assert.equal(health, "healthy");
      const logs = (await docker("logs", id)).stdout;
      assert.doesNotMatch(logs, /OUTBOX NOT DURABLE|cannot write the health status/);
    });

    it("reaps the orphans of command sources: no zombies accumulate", async () => {
      const config = writeConfig(
        "orphans.yaml",
        "metrics:\n  - { name: Orphans, namespace: Container/Orphans, schedule: '* * * * * *', source: { type: command, command: [sh, -c, '(sleep 0.2 &) ; echo 1'] } }\n",
      );
      const id = await runDetached(["-v", `${config}:/config/config.yaml:ro`]);
      await sleep(5_000);
      const count = await docker(
        "exec",
        id,
        "node",
        "-e",
        "const fs=require('fs');let z=0,n=0;for(const p of fs.readdirSync('/proc')){if(!/^\\d+$/.test(p))continue;n++;try{if(/\\) Z /.test(fs.readFileSync('/proc/'+p+'/stat','utf8')))z++}catch{}}console.log(z,n)",
      );
      const [zombies, processes] = count.stdout.trim().split(" ").map(Number);
      assert.equal(zombies, 0, `zombies: ${count.stdout}`);
      assert.ok(processes! < 10, `${processes} processes`);
      assert.ok(fake.datums.filter((d) => d.namespace === "Container/Orphans").length >= 3);
    });

    /**
     * Runs the image under `limitMiB` on an outbox directory holding `count` undelivered datums, until
     * all are delivered; returns the container's peak memory (cgroup v2's memory.peak, or v1's
     * memory.max_usage_in_bytes: private memory and page cache charged to it).
     */
    async function replayFullOutbox(name: string, limitMiB: number, count: number): Promise<number> {
      const namespace = `Container/${name}`;
      const outbox = join(dir, `outbox-${name}`);
      await fillOutbox(outbox, namespace, count);
      await exec("chown", ["-R", "10001:10001", outbox]);
      const id = await runDetached([
        "--memory",
        `${limitMiB}m`,
        "--memory-swap",
        `${limitMiB}m`,
        "-v",
        `${outbox}:/var/lib/cloudwatch-publisher`,
        "-e",
        "OUTBOX_DIR=/var/lib/cloudwatch-publisher",
        "-e",
        `METRIC_NAMESPACE=${namespace}Heartbeat`,
      ]);
      const delivered = () => fake.datums.filter((d) => d.namespace === namespace).length;
      for (let i = 0; i < 240 && delivered() < count; i++) await sleep(500);
      const peak = await docker(
        "exec",
        id,
        "node",
        "-p",
        "const fs=require('fs');['/sys/fs/cgroup/memory.peak','/sys/fs/cgroup/memory/memory.max_usage_in_bytes'].filter(f=>fs.existsSync(f)).map(f=>fs.readFileSync(f,'utf8'))[0]",
      );
      const state = JSON.parse((await docker("inspect", "--format", "{{json .State}}", id)).stdout) as {
        Running: boolean;
        OOMKilled: boolean;
      };
      const peakMiB = Number(peak.stdout) / 2 ** 20;
      console.log(
        `${count} undelivered datums in ${limitMiB} MiB: the container's memory peaked at ${peakMiB.toFixed(1)} MiB`,
      );
      assert.equal(state.OOMKilled, false);
      assert.equal(state.Running, true);
      assert.equal(delivered(), count, "every datum of the outbox delivered");
      return peakMiB;
    }

    function deployFile(path: string): string {
      return readFileSync(join(REPO_ROOT, "deploy", path), "utf8");
    }

    it("replays a full outbox (100,000 datums) within the deploy examples' memory limit, with a third to spare", async () => {
      const limits = [
        Number(/^\s*mem_limit: (\d+)m\b/m.exec(deployFile("compose.yaml"))![1]),
        Number(/limits: \{ cpu: \w+, memory: (\d+)Mi \}/.exec(deployFile("kubernetes/deployment.yaml"))![1]),
        Number(/"memory": (\d+),/.exec(deployFile("ecs/task-definition.json"))![1]),
      ];
      assert.equal(new Set(limits).size, 1, `the examples agree: ${limits.join(", ")} MiB`);
      // Full but for room for the heartbeats collected meanwhile: one datum more pushes the oldest out.
      const peak = await replayFullOutbox("Full", limits[0]!, DEFAULT_MAX_BUFFERED_DATUMS - 100);
      assert.ok(peak <= (limits[0]! * 2) / 3, `${peak.toFixed(1)} MiB of ${limits[0]}`);
    });

    it("replays the fullest outbox heartbeat mode can hold (two weeks of one a minute) within the DaemonSet's limit", async () => {
      const limit = Number(
        /limits: \{ cpu: \w+, memory: (\d+)Mi \}/.exec(deployFile("kubernetes/daemonset.yaml"))![1],
      );
      // Older datums expire (CloudWatch takes two weeks back, less the 15-minute margin).
      const peak = await replayFullOutbox("HeartbeatFull", limit, 14 * 24 * 60);
      assert.ok(peak <= (limit * 2) / 3, `${peak.toFixed(1)} MiB of ${limit}`);
    });
  },
);
