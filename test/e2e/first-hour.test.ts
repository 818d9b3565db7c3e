/**
 * What a new user meets in the first hour, through the real CLI: the commands agree with each other,
 * mistakes get their fix, and what is printed is true (issue 11).
 */
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cleanEnv, jsonLines, runCli, startCli } from "../support/cli.js";
import { FakeCloudWatch } from "../support/fake-cloudwatch.js";
import { freePort } from "../support/http.js";

const dir = mkdtempSync(join(tmpdir(), "cwp-first-hour-"));
chmodSync(dir, 0o755);
let fake: FakeCloudWatch;
before(async () => (fake = await FakeCloudWatch.start()));
after(() => fake.close());

function config(name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  chmodSync(file, 0o644);
  return file;
}

const heartbeat = (namespace: string) =>
  `metrics:\n  - { name: Beat, namespace: ${namespace}, source: { type: constant, value: 1 } }\n`;

/** As the image's user, when the tests run as root (whom no file mode stops). */
const IMAGE_UID = process.getuid?.() === 0 ? 10001 : process.getuid!();

describe("the command line agrees with itself", () => {
  it("--help lists every exit code, 130 included", async () => {
    const r = await runCli(["--help"]);
    assert.equal(r.code, 0);
    for (const code of [
      "0 ok",
      "1 invalid config",
      "2 usage error",
      "3 not delivered",
      "70 internal",
      "130 ",
    ]) {
      assert.ok(r.stdout.includes(code), `--help lacks "${code}":\n${r.stdout}`);
    }
  });

  it("every command that reads a config takes --config", async () => {
    const missing = join(dir, "missing.yaml");
    for (const command of ["run", "once", "validate-config", "iam-policy"]) {
      const r = await runCli([command, "--config", missing], { env: cleanEnv({ LOG_FORMAT: "json" }) });
      assert.equal(r.code, 2, `${command}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout + r.stderr, /missing\.yaml: does not exist/, command);
      assert.doesNotMatch(r.stderr, /Unknown option/, command);
    }
    const good = config("good.yaml", heartbeat("First/Validate"));
    const r = await runCli(["validate-config", "-c", good, "--config", good]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${good}: valid (1 metric)\n${good}: valid (1 metric)\n`);
  });

  it("suggests the option or command meant", async () => {
    const cases: [string[], string][] = [
      [["once", "--confg", "x.yaml"], "once: Unknown option '--confg'; did you mean --config?"],
      [["run", "--dryrun"], "run: Unknown option '--dryrun'; did you mean --dry-run?"],
      [
        ["validate-config", "--fromat", "json"],
        "validate-config: Unknown option '--fromat'; did you mean --format?",
      ],
      [["healthcheck", "--liev"], "healthcheck: Unknown option '--liev'; did you mean --live?"],
      [["iam-policy", "--conifg=x"], "iam-policy: Unknown option '--conifg'; did you mean --config?"],
      [["vaildate-config"], 'unknown command "vaildate-config"; did you mean "validate-config"?'],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      assert.equal(r.code, 2, args.join(" "));
      assert.equal(r.stderr, `cloudwatch-publisher: ${message}; see cloudwatch-publisher --help\n`);
    }
  });

  it("healthcheck --live speaks of liveness only", async () => {
    const healthFile = join(dir, "live-status.json");
    writeFileSync(
      healthFile,
      JSON.stringify({
        pid: 1,
        beatAt: Date.now() - 2_000,
        schedulerRunning: true,
        credentialsFailing: true,
        oldestUndeliveredAgeMs: 120_000,
        maxUndeliveredAgeMs: 60_000,
        counters: {},
      }),
    );
    const env = cleanEnv({ HEALTH_FILE: healthFile });
    const live = await runCli(["healthcheck", "--live"], { env });
    assert.equal(live.code, 0);
    assert.match(live.stdout, /^healthy: alive \(the scheduler is running; last report [23] s ago\)\n$/);
    const ready = await runCli(["healthcheck"], { env });
    assert.equal(ready.code, 1);
    assert.match(
      ready.stdout,
      /^unhealthy: CloudWatch refuses the credentials; the oldest undelivered datum/,
    );
  });

  it("iam-policy says on stderr which config it describes; stdout is the policy alone", async () => {
    const file = config("iam.yaml", heartbeat("First/Iam"));
    const fromFile = await runCli(["iam-policy", "--config", file]);
    assert.equal(fromFile.code, 0);
    assert.equal(fromFile.stderr, `iam-policy: the policy for ${file} (namespace "First/Iam")\n`);
    JSON.parse(fromFile.stdout);
    const heartbeatMode = await runCli(["iam-policy"], { env: cleanEnv({ METRIC_NAMESPACE: "Fleet" }) });
    assert.equal(heartbeatMode.code, 0);
    assert.equal(
      heartbeatMode.stderr,
      `iam-policy: no config (--config, $CONFIG_FILE, $CONFIG_YAML or /config/config.yaml), so this is heartbeat mode's policy, for namespace "Fleet" (METRIC_NAMESPACE); pass --config FILE for a config's\n`,
    );
    JSON.parse(heartbeatMode.stdout);
  });
});

describe("what is printed is true", () => {
  it("a read cut short by the shutdown says so, not that it timed out", async () => {
    const file = config(
      "slow.yaml",
      `metrics:\n  - { name: Slow, namespace: First/Slow, timeout: 1m, runOnStart: true, schedule: "@hourly", source: { type: command, command: [sleep, "30"] } }\n`,
    );
    const cli = startCli(["run", "--config", file], cleanEnv({ ...fake.env(), LOG_FORMAT: "json" }));
    await cli.waitForLine(/run started/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { code } = await cli.stop();
    assert.equal(code, 0);
    const line = jsonLines(cli.stdout()).find((l) => l.metric === "Slow");
    assert.ok(line, cli.stdout());
    assert.match(
      String(line.message),
      /^metric "Slow": command sleep was cut short by the shutdown after \d+ ms; killed its process group$/,
    );
  });

  it("once stops waiting at the first refusal of the credentials", async () => {
    const file = config("refused.yaml", heartbeat("First/Refused"));
    const before = fake.requests.length;
    const r = await runCli(["once", "--config", file], {
      env: cleanEnv({ ...fake.env(), AWS_ACCESS_KEY_ID: "AKIAWRONGKEY", LOG_FORMAT: "json" }),
    });
    assert.equal(r.code, 3);
    assert.match(r.stdout, /AWS credentials problem \(InvalidClientTokenId\)/);
    const refused = fake.requests.slice(before);
    assert.ok(refused.length >= 1 && refused.every((q) => q.status === 403), JSON.stringify(refused));
    // The SDK does not retry a refusal; before, once retried every 250 ms until its 8 s deadline.
    assert.ok(refused.length <= 3, `${refused.length} requests after the refusal`);
  });

  it("the log's timestamp is always the ISO time of the line; a datum's time has its own key", async () => {
    const file = config("debug.yaml", heartbeat("First/Debug"));
    const r = await runCli(["once", "--config", file], {
      env: cleanEnv({ ...fake.env(), LOG_FORMAT: "json", LOG_LEVEL: "debug" }),
    });
    assert.equal(r.code, 0, r.stdout);
    const lines = jsonLines(r.stdout);
    for (const line of lines)
      assert.match(String(line.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const collected = lines.find((l) => String(l.message).startsWith("collected metric"));
    assert.ok(collected, r.stdout);
    assert.match(String(collected.scheduledAt), /^\d{4}-\d\d-\d\dT/);
  });

  it("once --dry-run writes nothing: no outbox from the config or OUTBOX_DIR", async () => {
    const fromFile = join(dir, "dry-file-outbox");
    const fromEnv = join(dir, "dry-env-outbox");
    mkdirSync(fromEnv);
    const withDir = config("dry.yaml", `delivery: { outboxDir: ${fromFile} }\n${heartbeat("First/Dry")}`);
    const withoutDir = config("dry-env.yaml", heartbeat("First/DryEnv"));
    for (const file of [withDir, withoutDir]) {
      const r = await runCli(["once", "--dry-run", "--config", file], {
        env: cleanEnv({ OUTBOX_DIR: fromEnv, LOG_FORMAT: "json" }),
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /"Namespace":"First\/Dry/);
    }
    assert.equal(existsSync(fromFile), false, "the config's outbox directory was created");
    assert.deepEqual(readdirSync(fromEnv), [], "OUTBOX_DIR was written");
  });
});

describe("the environment applies with a config file too", () => {
  it("OUTBOX_DIR keeps a config's outbox on disk when the config names none", async () => {
    const outbox = join(dir, "env-outbox");
    const file = config("outbox.yaml", heartbeat("First/Outbox"));
    const r = await runCli(["once", "--config", file], {
      env: cleanEnv({ ...fake.env(), OUTBOX_DIR: outbox, LOG_FORMAT: "json" }),
    });
    assert.equal(r.code, 0, r.stdout);
    assert.ok(existsSync(outbox) && readdirSync(outbox).length > 0, "nothing was written to OUTBOX_DIR");
  });

  it("HEALTH_PORT serves the probes for a config that sets no health.port; the file's port wins", async () => {
    const [envPort, filePort] = [await freePort(), await freePort()];
    for (const [yaml, port] of [
      [heartbeat("First/HealthEnv"), envPort],
      [`health: { port: ${filePort} }\n${heartbeat("First/HealthFile")}`, filePort],
    ] as const) {
      const file = config(`health-${port}.yaml`, yaml);
      const cli = startCli(
        ["run", "--config", file],
        cleanEnv({
          ...fake.env(),
          LOG_FORMAT: "json",
          HEALTH_PORT: String(envPort),
          HEALTH_FILE: join(dir, `status-${port}.json`),
        }),
      );
      await cli.waitForLine(new RegExp(`health endpoint listening on port ${port}`));
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
      assert.equal((await cli.stop()).code, 0);
    }
  });
});

describe("permission errors name the UID and the fix", () => {
  it("an outbox folder the process may not write", async () => {
    const locked = join(dir, "locked-outbox");
    mkdirSync(locked);
    chmodSync(locked, 0o755);
    const file = config("locked.yaml", heartbeat("First/Locked"));
    const r = await runCli(["once", "--config", file], {
      env: cleanEnv({ ...fake.env(), OUTBOX_DIR: locked, LOG_FORMAT: "json", HOME: dir }),
      uid: IMAGE_UID,
    });
    const line = jsonLines(r.stdout).find((l) => String(l.message).startsWith("OUTBOX NOT DURABLE"));
    assert.ok(line, r.stdout + r.stderr);
    assert.ok(
      String(line.message).endsWith(
        `this process runs as UID ${IMAGE_UID}: give it the folder, e.g. chown -R ${IMAGE_UID}:${IMAGE_UID} on the host's folder (or chmod a+rwx it)`,
      ),
      String(line.message),
    );
  });
});
