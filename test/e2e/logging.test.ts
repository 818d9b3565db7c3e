/**
 * LOG_FORMAT and LOG_LEVEL as a user sets them, against the built CLI: the text format line by line,
 * the level filter, and a bad value refused in one line with exit code 2 (README: Exit codes).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cleanEnv, jsonLines, runCli } from "../support/cli.js";
import { e2eHarness } from "../support/e2e.js";

const { env, writeConfig } = e2eHarness("cwp-logging-");

/** An ISO time, the level padded to 5, the message, then key=value fields. */
const TEXT_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (error|warn |info |debug) \S/;

function mixedConfig(namespace: string): string {
  return writeConfig(
    `${namespace.replace(/\W/g, "-")}.yaml`,
    `defaults: { namespace: ${namespace} }
metrics:
  - { name: Fine, source: { type: constant, value: 2 } }
  - { name: Missing, source: { type: file, path: /nonexistent/value } }
`,
  );
}

describe("LOG_FORMAT=text", () => {
  it("writes one readable line per entry: time, level, message, then the fields as key=value", async () => {
    const r = await runCli(["once", "--config", mixedConfig("E2E/Text")], {
      env: env({ LOG_FORMAT: "text", LOG_LEVEL: "debug" }),
    });
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.equal(r.stderr, "");
    const lines = r.stdout.trimEnd().split("\n");
    for (const line of lines) assert.match(line, TEXT_LINE);
    assert.deepEqual(jsonLines(r.stdout), [], "no JSON line");
    const levels = new Set(lines.map((line) => line.split(" ")[1]));
    assert.deepEqual([...levels].sort(), ["debug", "error", "info", "warn"]);

    const started = lines.find((line) => line.includes(" info  cloudwatch-publisher once started "));
    assert.ok(started, r.stdout);
    assert.match(started, / metrics=2 /);
    assert.match(started, / region=us-east-1 /);
    const failed = lines.find((line) => line.includes('metric "Missing"'));
    assert.match(
      failed!,
      / warn {2}metric "Missing": file \/nonexistent\/value does not exist metric=Missing$/,
    );
    const collected = lines.find((line) => line.includes('collected metric "Fine"'));
    assert.match(collected!, / debug collected metric "Fine" metric=Fine value=2 scheduledAt=\S+Z seq=\d+$/);
    // The summary is an error (once exits 3); its nested counters are JSON inside the line.
    const summary = lines.at(-1)!;
    assert.match(
      summary,
      / error once: 2 metrics, 1 read, 1 published in 1 request, 1 read failure, 0 dropped /,
    );
    assert.match(summary, / dropped=\{"invalid":0,/);
  });

  it("is accepted in any case, as LOG_LEVEL is", async () => {
    const r = await runCli(["once", "--dry-run"], {
      env: cleanEnv({ LOG_FORMAT: "TEXT", LOG_LEVEL: "Info" }),
    });
    assert.equal(r.code, 0, r.stderr);
    // In a dry run the logs go to stderr; stdout is the request.
    for (const line of r.stderr.trimEnd().split("\n")) assert.match(line, TEXT_LINE);
  });
});

describe("LOG_LEVEL", () => {
  it("warn keeps warnings and errors and drops the rest", async () => {
    const r = await runCli(["once", "--config", mixedConfig("E2E/Warn")], {
      env: env({ LOG_LEVEL: "warn" }),
    });
    assert.equal(r.code, 3);
    const levels = new Set(jsonLines(r.stdout).map((l) => l.level));
    assert.ok(levels.has("warn") && levels.has("error"), r.stdout);
    assert.ok(!levels.has("info") && !levels.has("debug"), r.stdout);
  });

  it("an empty LOG_LEVEL or LOG_FORMAT means the default, as for every other variable", async () => {
    const r = await runCli(["once", "--dry-run"], { env: cleanEnv({ LOG_LEVEL: "", LOG_FORMAT: "" }) });
    assert.equal(r.code, 0, r.stderr);
    const logs = jsonLines(r.stderr); // not a terminal: JSON
    assert.ok(
      logs.some((l) => l.level === "info"),
      r.stderr,
    );
    assert.ok(!logs.some((l) => l.level === "debug"));
  });

  for (const [variable, value, expected] of [
    ["LOG_LEVEL", "verbose", 'LOG_LEVEL must be one of error, warn, info, debug (got "verbose")'],
    ["LOG_FORMAT", "xml", 'LOG_FORMAT must be json or text (got "xml")'],
  ] as const) {
    it(`a bad ${variable} is one line on stderr and exit 2 (usage), before anything starts`, async () => {
      for (const command of ["run", "once"]) {
        const r = await runCli([command], { env: env({ [variable]: value }) });
        assert.equal(r.code, 2, `${command}: ${r.stdout}${r.stderr}`);
        assert.equal(r.stdout, "", "nothing else is printed");
        assert.equal(
          r.stderr,
          `cloudwatch-publisher: ${expected}; see cloudwatch-publisher --help\n`,
          `${command}: one line, no stack trace`,
        );
      }
    });
  }
});
