/**
 * A new user's first hour with the image: the README's Docker quick start typed as written into a fresh
 * folder, the first mistakes it warns about, and the Compose example. The only changes to what the user
 * types are what this sandbox needs: a `docker` wrapper that builds with the host's network and the
 * legacy builder, runs containers on the host network with the fake CloudWatch's address and never pulls;
 * and the test credentials in place of the README's `AKIA...` placeholders.
 * Runs under `npm run test:container` (CWP_CONTAINER_TESTS=1); skipped in `npm test`.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { FALLBACK_REGION } from "../../src/publish/cloudwatch-sender.js";
import { cleanEnv, REPO_ROOT } from "../support/cli.js";
import { docker } from "../support/docker.js";
import { FakeCloudWatch, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY } from "../support/fake-cloudwatch.js";
import { describeStep, readme, runWalkthrough, walkthroughSteps, type Step } from "../support/walkthrough.js";

const IMAGE = process.env.IMAGE ?? "cloudwatch-publisher:test";
const enabled = process.env.CWP_CONTAINER_TESTS === "1";
const exec = promisify(execFile);
const CONTAINERS = ["cwp", "cwp-heartbeat"];
const VOLUMES = ["cwp-outbox", "cwp-test-outbox"];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function removeLeftovers(): Promise<void> {
  await docker("rm", "-f", ...CONTAINERS);
  await docker("volume", "rm", "-f", ...VOLUMES);
}

/** Polls until `check` returns a value, or fails with the last state after `timeoutMs`. */
async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(1_000);
  }
}

/** A fresh HOME, and a `docker` wrapper that adapts the README's commands to this sandbox (see above). */
function sandbox(fake: FakeCloudWatch): { home: string; env: Record<string, string> } {
  const home = mkdtempSync(join(tmpdir(), "cwp-quick-start-"));
  chmodSync(home, 0o755);
  const bin = join(home, "walkthrough-bin");
  mkdirSync(bin);
  writeFileSync(
    join(bin, "docker"),
    `#!/usr/bin/env bash
real=$(PATH=\${PATH#*:} command -v docker)
case "$1" in
  build) shift; DOCKER_BUILDKIT=0 exec "$real" build --network host "$@" ;;
  run) shift; exec "$real" run --pull never --network host -e "AWS_ENDPOINT_URL=${fake.url}" -e AWS_EC2_METADATA_DISABLED=true "$@" ;;
  *) exec "$real" "$@" ;;
esac
`,
  );
  chmodSync(join(bin, "docker"), 0o755);
  return { home, env: cleanEnv({ HOME: home, PATH: `${bin}:${process.env.PATH ?? ""}` }) };
}

/** The README's placeholders for credentials, replaced as a user replaces them with their own. */
function withCredentials(step: Step): Step {
  return {
    ...step,
    code: step.code
      .replaceAll("AWS_ACCESS_KEY_ID=AKIA...", `AWS_ACCESS_KEY_ID=${TEST_ACCESS_KEY_ID}`)
      .replaceAll("AWS_SECRET_ACCESS_KEY=...", `AWS_SECRET_ACCESS_KEY=${TEST_SECRET_ACCESS_KEY}`),
  };
}

const dockerSteps = () => walkthroughSteps(readme()).filter((s) => s.target === "docker");

describe(
  "the README's Docker quick start",
  { skip: !enabled && "set CWP_CONTAINER_TESTS=1 (npm run test:container)" },
  () => {
    let fake: FakeCloudWatch;
    before(async () => {
      fake = await FakeCloudWatch.start({ region: FALLBACK_REGION });
      await removeLeftovers();
    });
    after(async () => {
      await removeLeftovers();
      await fake.close();
    });

    it("typed as written into a fresh folder, reaches (healthy) with the user's own config and publishes it", async () => {
      const { home, env } = sandbox(fake);
      const steps = dockerSteps().map(withCredentials);
      assert.ok(steps.length >= 6, "the quick start's steps are marked");
      const results = await runWalkthrough(steps, { start: REPO_ROOT, env, timeoutMs: 600_000 });
      assert.equal(results.length, steps.length, describeStep(results.at(-1)!));
      for (const result of results) {
        assert.equal(result.code, result.step.exit, describeStep(result));
        const output = result.step.output;
        if (output?.lang === "json") assert.deepEqual(JSON.parse(result.stdout), JSON.parse(output.text));
        else if (output !== undefined) assert.equal(result.stdout, output.text);
      }
      assert.ok(
        statSync(join(home, "cloudwatch-publisher", "config.yaml")).isFile(),
        "config.yaml is a file",
      );

      // "docker ps shows the container Up, and after about 30 seconds (healthy)".
      const status = await until("cwp (healthy) in docker ps", 120_000, async () => {
        const ps = await docker("ps", "--filter", "name=^cwp$", "--format", "{{.Status}}");
        return ps.stdout.includes("(healthy)") ? ps.stdout.trim() : undefined;
      });
      assert.match(status, /^Up .*\(healthy\)$/);
      const logs = (await docker("logs", "cwp")).stdout;
      assert.match(
        logs,
        /"message":"cloudwatch-publisher run started".*"metrics":2.*"region":"ap-southeast-2"/,
      );
      assert.doesNotMatch(logs, /"level":"(error|warn)"/, "no errors and no warnings");
      const mine = fake.datums.filter((d) => d.namespace === "MyApp" && d.dimensions.Host === "web-1");
      assert.ok(
        mine.some((d) => d.name === "Heartbeat" && d.value === 1),
        "the heartbeat arrived",
      );
      const disk = mine.find((d) => d.name === "RootDiskUsed");
      assert.ok(
        disk !== undefined && disk.value >= 0 && disk.value <= 100 && disk.unit === "Percent",
        "disk usage",
      );
      assert.deepEqual(fake.protocolErrors, []);
      // The image's OUTBOX_DIR applies to the mounted config: its outbox is on disk, in the volume.
      const inVolume = await docker(
        "run",
        "--rm",
        "--pull",
        "never",
        "-v",
        "cwp-outbox:/outbox",
        "--entrypoint",
        "node",
        IMAGE,
        "-e",
        "console.log(require('fs').readdirSync('/outbox').join(' '))",
      );
      assert.match(inVolume.stdout, /\S/, `the cwp-outbox volume is empty: ${inVolume.stderr}`);
    });

    it("without config.yaml, step 5 leaves a directory in its place: Restarting (2), and the log says what to do", async () => {
      await removeLeftovers();
      const { home, env } = sandbox(fake);
      const folder = join(home, "no-config-yet");
      mkdirSync(folder);
      const start = dockerSteps()
        .map(withCredentials)
        .find((s) => s.code.includes("--name cwp ") && s.code.includes("--restart unless-stopped"));
      assert.ok(start, "the README's step 5");
      const [result] = await runWalkthrough([start], { start: folder, env });
      assert.equal(result!.code, 0, describeStep(result!));
      const status = await until("Restarting (2) in docker ps", 60_000, async () => {
        const ps = await docker("ps", "-a", "--filter", "name=^cwp$", "--format", "{{.Status}}");
        return /Restarting \(2\)/.test(ps.stdout) ? ps.stdout.trim() : undefined;
      });
      assert.match(status, /^Restarting \(2\)/);
      assert.ok(statSync(join(folder, "config.yaml")).isDirectory(), "Docker made a directory");
      const logs = (await docker("logs", "cwp")).stdout;
      assert.match(
        logs,
        /config file \/config\/config\.yaml: is a directory, not a file; when the file named in docker run -v does not exist, Docker creates an empty directory in its place: remove that directory \(rmdir\), create the file, then start the container again/,
      );
      await removeLeftovers();
      rmSync(join(folder, "config.yaml"), { recursive: true });
    });
  },
);

describe(
  "first mistakes with the image",
  { skip: !enabled && "set CWP_CONTAINER_TESTS=1 (npm run test:container)" },
  () => {
    const dir = mkdtempSync(join(tmpdir(), "cwp-first-mistakes-"));
    chmodSync(dir, 0o755);
    const config = (name: string, mode: number) => {
      const file = join(dir, name);
      writeFileSync(
        file,
        "metrics:\n  - { name: Beat, namespace: Mistakes, source: { type: constant, value: 1 } }\n",
      );
      chmodSync(file, mode);
      return file;
    };
    const once = async (...args: string[]) =>
      docker("run", "--rm", "--network", "host", "--pull", "never", ...args, IMAGE, "once", "--dry-run");

    it("a config.yml in /config: heartbeat mode says which file it found and how to use it", async () => {
      const r = await once("-v", `${config("config.yml", 0o644)}:/config/config.yml:ro`);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stderr,
        /heartbeat mode: there is no \/config\/config\.yaml, but \/config holds config\.yml; to use a file as the config, name it config\.yaml or set CONFIG_FILE \(or --config\) to it/,
      );
    });

    it("a config UID 10001 cannot read names the UID and the chmod", async () => {
      const r = await once("-v", `${config("private.yaml", 0o600)}:/config/config.yaml:ro`);
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /config file \/config\/config\.yaml: is not readable \(permission denied\); this process runs as UID 10001: make the file readable for it, e\.g\. chmod a\+r on the host's file \(or chown 10001 it\)/,
      );
    });

    it("an outbox folder UID 10001 cannot write names the UID and the chown", async () => {
      const outbox = join(dir, "outbox");
      mkdirSync(outbox);
      chmodSync(outbox, 0o755);
      const r = await docker(
        "run",
        "--rm",
        "--network",
        "host",
        "--pull",
        "never",
        "-v",
        `${config("ok.yaml", 0o644)}:/config/config.yaml:ro`,
        "-v",
        `${outbox}:/var/lib/cloudwatch-publisher`,
        "-e",
        "AWS_ENDPOINT_URL=http://127.0.0.1:9",
        "-e",
        `AWS_REGION=${FALLBACK_REGION}`,
        "-e",
        "AWS_ACCESS_KEY_ID=x",
        "-e",
        "AWS_SECRET_ACCESS_KEY=y",
        IMAGE,
        "once",
      );
      assert.match(
        r.stdout,
        /OUTBOX NOT DURABLE: the outbox directory \/var\/lib\/cloudwatch-publisher cannot be used \(EACCES[^)]*\); undelivered datums are kept in memory only; this process runs as UID 10001: give it the folder, e\.g\. chown -R 10001:10001 on the host's folder \(or chmod a\+rwx it\)/,
      );
      assert.deepEqual(readdirSync(outbox), [], "nothing could be written");
    });
  },
);

describe(
  "deploy/compose.yaml",
  { skip: !enabled && "set CWP_CONTAINER_TESTS=1 (npm run test:container)" },
  () => {
    it("passes docker-compose config", async () => {
      let result: { stdout: string; stderr: string };
      try {
        result = await exec("docker-compose", ["-f", "compose.yaml", "config"], {
          cwd: join(REPO_ROOT, "deploy"),
          env: { PATH: process.env.PATH ?? "" },
        });
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string };
        throw new Error(`docker-compose config failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`, {
          cause: error,
        });
      }
      assert.match(result.stdout, /no-new-privileges:true/, result.stderr);
      assert.match(result.stdout, /AWS_REGION: ap-southeast-2/);
    });
  },
);
