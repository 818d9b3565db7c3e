/** CONFIG_YAML and `validate-config -`, with the built CLI. */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { CLI_PATH, cleanEnv, jsonLines, runCli } from "../support/cli.js";
import { e2eHarness } from "../support/e2e.js";

const { env, writeConfig, fake } = e2eHarness("cwp-config-yaml-");

const YAML = (ns: string) => `metrics:
  - name: Answer
    namespace: ${ns}
    unit: Count
    source: { type: constant, value: 42 }
`;

/** validate-config with `input` on its standard input. */
function validateStdin(
  args: readonly string[],
  input: string,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, "validate-config", ...args], { env: cleanEnv() });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
    // A CLI that stops reading at the size limit closes the pipe before a larger input is written.
    child.stdin.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") reject(error);
    });
    child.stdin.end(input);
  });
}

describe("CONFIG_YAML", () => {
  it("runs the config it holds, and the start line names it", async () => {
    const r = await runCli(["once"], { env: env({ CONFIG_YAML: YAML("E2E/Yaml") }) });
    assert.equal(r.code, 0, r.stdout);
    const started = jsonLines(r.stdout).find((l) => l.message === "cloudwatch-publisher once started")!;
    assert.equal(started.config, "$CONFIG_YAML");
    assert.equal(started.mode, "config text (environment variable)");
    assert.deepEqual(
      fake()
        .datums.filter((d) => d.namespace === "E2E/Yaml")
        .map((d) => [d.name, d.value, d.unit]),
      [["Answer", 42, "Count"]],
    );
  });

  it("comes after --config and CONFIG_FILE", async () => {
    const file = writeConfig("file.yaml", YAML("E2E/FileWins"));
    const r = await runCli(["once", "--dry-run"], {
      env: env({ CONFIG_FILE: file, CONFIG_YAML: YAML("E2E/YamlLoses") }),
    });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /"Namespace":"E2E\/FileWins"/);
    assert.doesNotMatch(r.stdout, /YamlLoses/);
  });

  it("locates its errors as $CONFIG_YAML:LINE:COL, in run and in validate-config", async () => {
    const broken = YAML("E2E/Broken").replace("unit: Count", "unit: Counts");
    const run = await runCli(["run"], { env: env({ CONFIG_YAML: broken }) });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /invalid config: \$CONFIG_YAML:4:11: metrics\[0\]\.unit: must be one of/);
    const check = await runCli(["validate-config"], { env: cleanEnv({ CONFIG_YAML: broken }) });
    assert.equal(check.code, 1);
    assert.match(
      check.stdout,
      /^\$CONFIG_YAML:4:11: metrics\[0\]\.unit: must be one of .*\(got "Counts"\); did you mean "Count"\?$/m,
    );
    assert.match(check.stdout, /^\$CONFIG_YAML: invalid \(1 error\)$/m);
    const valid = await runCli(["validate-config"], { env: cleanEnv({ CONFIG_YAML: YAML("E2E/Ok") }) });
    assert.equal(valid.stdout, "$CONFIG_YAML: valid (1 metric)\n");
  });

  it("refuses --watch: the variable cannot change while running", async () => {
    const r = await runCli(["run", "--watch"], { env: env({ CONFIG_YAML: YAML("E2E/W") }) });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--watch needs a config file .* the config comes from \$CONFIG_YAML/);
  });

  it("a value over Linux's 128 KiB limit for one variable cannot even start a process (E2BIG), as the README says", () => {
    const big = `# ${"x".repeat(200 * 1024)}\n${YAML("E2E/Big")}`;
    const r = spawnSync(process.execPath, [CLI_PATH, "validate-config"], {
      env: cleanEnv({ CONFIG_YAML: big }),
    });
    assert.equal((r.error as NodeJS.ErrnoException | undefined)?.code, "E2BIG");
  });
});

describe("validate-config -", () => {
  it("reads the config from standard input, located as (stdin), beside named files", async () => {
    const file = writeConfig("named.yaml", YAML("E2E/Named"));
    const ok = await validateStdin(["-", file], YAML("E2E/Stdin"));
    assert.equal(ok.code, 0);
    assert.equal(ok.stdout, `(stdin): valid (1 metric)\n${file}: valid (1 metric)\n`);
    const bad = await validateStdin(["-"], YAML("E2E/Stdin").replace("value: 42", "value: forty-two"));
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^\(stdin\):5:38: metrics\[0\]\.source\.value: /m);
  });

  it("refuses more than a config may hold without reading all of it", async () => {
    const r = await validateStdin(["-"], `# ${"y".repeat(5 * 1024 * 1024)}\n`);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^\(stdin\): holds \d+ bytes; a config may have at most 4194304/m);
  });
});
