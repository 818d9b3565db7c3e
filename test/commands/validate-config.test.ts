/** validate-config as CI runs it: the built CLI in a real process, its output and exit codes. */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cleanEnv, runCli } from "../support/cli.js";

const dir = mkdtempSync(join(tmpdir(), "cwp-validate-"));
const good = join(dir, "good.yaml");
const bad = join(dir, "bad.yaml");
writeFileSync(good, "metrics:\n  - name: A\n    namespace: N\n    source: { type: constant, value: 1 }\n");
writeFileSync(bad, "metrics:\n  - name: A\n    namespace: AWS/X\n    source: { type: http, url: 5 }\n");

describe("validate-config", () => {
  it("exits 0 and says so for a valid file", async () => {
    const r = await runCli(["validate-config", good]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${good}: valid (1 metric)\n`);
    assert.equal(r.stderr, "");
  });

  it("exits 1 with one line per error for an invalid file", async () => {
    const r = await runCli(["validate-config", good, bad]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      [
        `${good}: valid (1 metric)`,
        `${bad}:3:16: metrics[0].namespace: must not start with "AWS/" (reserved for AWS services) or ":"; use your own namespace such as "MyApp" (got "AWS/X")`,
        `${bad}:4:32: metrics[0].source.url: must be an http:// or https:// URL (got number 5)`,
        `${bad}: invalid (2 errors)`,
        "",
      ].join("\n"),
    );
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, "no stack trace");
  });

  it("prints the errors as JSON with --format json", async () => {
    const r = await runCli(["validate-config", "--format", "json", bad]);
    assert.equal(r.code, 1);
    const errors = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.deepEqual(errors[1], {
      file: bad,
      line: 4,
      column: 32,
      path: "metrics[0].source.url",
      message: "must be an http:// or https:// URL (got number 5)",
      severity: "error",
    });
    assert.equal(errors.length, 2);
  });

  it("prints [] for valid files with --format json", async () => {
    const r = await runCli(["validate-config", "--format=json", good]);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });

  it("exits 2 for a file that does not exist, and still checks the others", async () => {
    const missing = join(dir, "missing.yaml");
    const r = await runCli(["validate-config", missing, bad]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, new RegExp(`^${missing}: does not exist$`, "m"));
    assert.match(r.stdout, /invalid \(2 errors\)/);
  });

  it("exits 2 for an unreadable file, naming the UID and the fix", async () => {
    const secret = join(dir, "secret.yaml");
    writeFileSync(secret, "metrics: []\n");
    chmodSync(secret, 0o600);
    chmodSync(dir, 0o755);
    // Run as the image's UID: the tests may run as root, whom no file mode stops.
    const uid = process.getuid?.() === 0 ? 10001 : process.getuid!();
    const r = await runCli(["validate-config", secret], { uid });
    assert.equal(r.code, 2);
    assert.equal(
      r.stdout,
      `${secret}: is not readable (permission denied); this process runs as UID ${uid}: make the file readable for it, e.g. chmod a+r on the host's file (or chown ${uid} it)\n`,
    );
  });

  it("exits 2 for a directory", async () => {
    const r = await runCli(["validate-config", dir]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stdout,
      `${dir}: is a directory, not a file; when the file named in docker run -v does not exist, Docker creates an empty directory in its place: remove that directory (rmdir), create the file, then start the container again\n`,
    );
  });

  it("exits 2 for an unknown flag or format, with a one-line message", async () => {
    const flag = await runCli(["validate-config", "--strict", good]);
    assert.equal(flag.code, 2);
    assert.equal(
      flag.stderr,
      "cloudwatch-publisher: validate-config: Unknown option '--strict'; this command's options: --config, --format, --help; see cloudwatch-publisher --help\n",
    );
    const format = await runCli(["validate-config", "--format", "xml", good]);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format must be text or json \(got "xml"\)/);
  });

  it("checks $CONFIG_FILE when no file is named", async () => {
    const r = await runCli(["validate-config"], { env: cleanEnv({ CONFIG_FILE: bad }) });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /invalid \(2 errors\)/);
  });

  it("falls back to /config/config.yaml", async () => {
    const r = await runCli(["validate-config"]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "/config/config.yaml: does not exist\n");
  });

  it("substitutes variables from the environment it runs in", async () => {
    const file = join(dir, "env.yaml");
    writeFileSync(
      file,
      "metrics:\n  - name: A\n    namespace: ${NS}\n    source: { type: constant, value: 1 }\n",
    );
    assert.equal((await runCli(["validate-config", file])).code, 1);
    assert.equal((await runCli(["validate-config", file], { env: cleanEnv({ NS: "Shop" }) })).code, 0);
  });

  it("never prints the value a ${VAR} was replaced with, in text or JSON", async () => {
    const file = join(dir, "secrets.yaml");
    writeFileSync(
      file,
      `metrics:
  - name: \${METRIC}
    namespace: N
    timeout: \${API_KEY}
    scale: \${TOKEN}
    source:
      type: http
      url: "https://stats.example/?t=\${SPACED}"
`,
    );
    const duplicates = join(dir, "duplicates.yaml");
    writeFileSync(
      duplicates,
      `metrics:
  - name: \${METRIC}
    namespace: N
    source: { type: constant, value: 1 }
  - name: \${METRIC}
    namespace: N
    source: { type: constant, value: 2 }
`,
    );
    const env = cleanEnv({
      API_KEY: "8675309421337",
      TOKEN: "tok-7f3a9c1e5b",
      SPACED: "s3cr3t value",
      METRIC: "metric-name-secret",
    });
    const text = await runCli(["validate-config", file, duplicates], { env });
    const json = await runCli(["validate-config", "--format", "json", file, duplicates], { env });
    assert.equal(text.code, 1);
    assert.equal(json.code, 1);
    for (const secret of ["8675309421337", "tok-7f3a9c1e5b", "s3cr3t", "metric-name-secret"]) {
      assert.ok(
        !(text.stdout + text.stderr + json.stdout + json.stderr).includes(secret),
        `${secret} leaked`,
      );
    }
    assert.equal(
      text.stdout,
      [
        `${file}:4:14: metrics[0].timeout: must be a duration such as "500ms", "10s", "2m" or "1h" (got the value of "\${API_KEY}")`,
        `${file}:5:12: metrics[0].scale: must be a number (got the value of "\${TOKEN}")`,
        `${file}:8:12: metrics[0].source.url: must be an http:// or https:// URL (got the value of "https://stats.example/?t=\${SPACED}")`,
        `${file}: invalid (3 errors)`,
        `${duplicates}:5:5: metrics[1]: publishes the same namespace, name and dimensions on the same schedule as metrics[0] (the value of "\${METRIC}"); remove one or give them different dimensions`,
        `${duplicates}: invalid (1 error)`,
        "",
      ].join("\n"),
    );
  });

  it("warns, without failing, when a ${VAR} is put into a shell script", async () => {
    const file = join(dir, "shell.yaml");
    writeFileSync(
      file,
      `defaults: { namespace: N }
metrics:
  - name: Unsafe
    source:
      type: command
      command: ["sh", "-c", "ls \${DATA_DIR} | wc -l"]
  - name: AsArgument
    source:
      type: command
      command: ["sh", "-c", 'ls "$1" | wc -l', "sh", "\${DATA_DIR}"]
  - name: FromTheEnvironment
    source:
      type: command
      command: ["bash", "-eu", "-o", "pipefail", "-c", 'ls "$DATA_DIR" | wc -l']
`,
    );
    const r = await runCli(["validate-config", file], { env: cleanEnv({ DATA_DIR: "/tmp/x; rm -rf ~" }) });
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      [
        `${file}:6:29: metrics[0].source.command[2]: warning: \${DATA_DIR} is put into the shell script itself, so its value runs as shell code if it holds ; $( ) or quotes; pass it as an argument instead, e.g. ["sh", "-c", "ls \\"$1\\" | wc -l", "sh", "\${DATA_DIR}"], or let the shell read the variable: "ls \\"$DATA_DIR\\" | wc -l"`,
        `${file}: valid (3 metrics, 1 warning)`,
        "",
      ].join("\n"),
    );
    const json = await runCli(["validate-config", "--format", "json", file], {
      env: cleanEnv({ DATA_DIR: "/x" }),
    });
    assert.deepEqual(
      (JSON.parse(json.stdout) as { path: string; severity: string }[]).map((e) => [e.path, e.severity]),
      [["metrics[0].source.command[2]", "warning"]],
    );
  });

  it("needs no network and no credentials", async () => {
    // An unroutable proxy and no AWS settings at all: validation must not care.
    const env = cleanEnv({ HTTPS_PROXY: "http://127.0.0.1:9", AWS_EC2_METADATA_DISABLED: "true" });
    const r = await runCli(["validate-config", good], { env });
    assert.equal(r.code, 0);
  });
});

describe("the CLI's own flags", () => {
  it("--help lists the commands and exit codes", async () => {
    const r = await runCli(["--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /validate-config/);
    assert.match(r.stdout, /Exit codes: 0 ok, 1 invalid config, 2 usage error/);
  });
  it("<command> --help shows that command's usage", async () => {
    const r = await runCli(["validate-config", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: cloudwatch-publisher validate-config/);
  });
  it("--version prints the package version", async () => {
    const r = await runCli(["--version"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
  });
  it("an unknown command exits 2", async () => {
    const r = await runCli(["publish-everything"]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'cloudwatch-publisher: unknown command "publish-everything"; see cloudwatch-publisher --help\n',
    );
  });
  it("print-schema prints the schema as JSON", async () => {
    const r = await runCli(["print-schema"]);
    assert.equal(r.code, 0);
    const schema = JSON.parse(r.stdout) as { $schema: string };
    assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
  });
});
