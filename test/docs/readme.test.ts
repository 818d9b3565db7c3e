/**
 * The README is the user's contract: its host walk-through runs as written in a fresh folder against the
 * fake CloudWatch, the log line it shows is the real one, its tables list what the code reads, its links
 * resolve, and its examples name one region. (The Docker walk-through runs in test/container/.)
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ENVIRONMENT_SETTINGS } from "../../src/config/environment-settings.js";
import { SYSTEM_METRIC_NAMES, SYSTEM_METRICS } from "../../src/config/system-metrics.js";
import { HEARTBEAT_DEFAULTS } from "../../src/config/heartbeat.js";
import { FALLBACK_REGION } from "../../src/publish/cloudwatch-sender.js";
import { cleanEnv, REPO_ROOT, runCli } from "../support/cli.js";
import { FakeCloudWatch } from "../support/fake-cloudwatch.js";
import { describeStep, readme, runWalkthrough, walkthroughSteps } from "../support/walkthrough.js";

const README = readme();

/** The README section that starts with this heading, up to the next heading of the same or a higher level. */
function section(heading: string): string {
  const start = README.indexOf(`${heading}\n`);
  assert.notEqual(start, -1, `README has no "${heading}"`);
  const level = /^#+/.exec(heading)![0].length;
  const rest = README.slice(start + heading.length);
  const next = new RegExp(`\\n#{1,${level}} `).exec(rest);
  return rest.slice(0, next?.index ?? rest.length);
}

describe("the README's walk-through markers", () => {
  it("mark steps for the host and for Docker, each a sh block", () => {
    const steps = walkthroughSteps(README);
    assert.ok(steps.filter((s) => s.target === "host").length >= 4, "host steps");
    assert.ok(steps.filter((s) => s.target === "docker").length >= 6, "docker steps");
    assert.ok(steps.filter((s) => s.output !== undefined).length >= 2, "output blocks");
  });
});

describe("the README's host walk-through, typed as written in a fresh folder", () => {
  let fake: FakeCloudWatch;
  before(async () => (fake = await FakeCloudWatch.start({ region: FALLBACK_REGION })));
  after(() => fake.close());

  it("runs every step, prints what it shows, and publishes to CloudWatch", async () => {
    const home = mkdtempSync(join(tmpdir(), "cwp-readme-home-"));
    const bin = join(home, "walkthrough-bin");
    mkdirSync(bin);
    // `npm ci` and `npm run build` have run just before (npm test runs them; npm ci again would replace
    // node_modules under the tests still running). Every other npm command is the real one.
    const npm = execFileSync("bash", ["-c", "command -v npm"], { encoding: "utf8" }).trim();
    writeFileSync(
      join(bin, "npm"),
      `#!/usr/bin/env bash\ncase "$1" in ci|run) echo "walkthrough: npm $* already ran (npm test runs it)"; exit 0;; esac\nexec '${npm}' "$@"\n`,
    );
    chmodSync(join(bin, "npm"), 0o755);
    const env = cleanEnv({
      ...fake.env(),
      HOME: home,
      // Where `npm config set prefix ~/.local` then `npm link` put the command; the README asks for it on PATH.
      PATH: `${bin}:${home}/.local/bin:${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
      LOG_FORMAT: "json",
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_update_notifier: "false",
    });
    const steps = walkthroughSteps(README).filter((s) => s.target === "host");
    const results = await runWalkthrough(steps, { start: REPO_ROOT, env });
    assert.equal(results.length, steps.length, describeStep(results.at(-1)!));
    for (const result of results) {
      assert.equal(result.code, result.step.exit, describeStep(result));
      const output = result.step.output;
      if (output === undefined) continue;
      if (output.lang === "json") assert.deepEqual(JSON.parse(result.stdout), JSON.parse(output.text));
      else assert.equal(result.stdout, output.text, `README.md:${output.line}`);
    }
    const published = fake.datums
      .filter((d) => d.namespace === "MyApp")
      .map((d) => `${d.name}=${d.value}`)
      .sort();
    assert.deepEqual(published, ["Heartbeat=1", "QueueDepth=7"]);
    assert.ok(
      existsSync(join(home, ".local", "bin", "cloudwatch-publisher")),
      "npm link put the command there",
    );
  });

  it("shows the log line the example's FilesWaiting really writes when its folder is missing", async () => {
    const shown = section("### Logs")
      .split("\n")
      .find((line) => line.includes("FilesWaiting"));
    assert.ok(shown, "the Logs section shows FilesWaiting's line");
    const pattern = new RegExp(
      `^${shown
        .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
        .replace(/after \d+ ms/, "after \\d+ ms")
        .replace('"timestamp":"\\.\\.\\."', '"timestamp":"[^"]+"')}$`,
      "m",
    );
    assert.equal(existsSync("/data/inbox"), false, "this test needs /data/inbox to be missing");
    const r = await runCli(["once", "--dry-run", "--config", join(REPO_ROOT, "config", "example.yaml")], {
      env: cleanEnv({ LOG_FORMAT: "json" }),
    });
    assert.match(r.stderr, pattern);
  });
});

describe("the README's reference sections", () => {
  it("the system metrics table lists every metric with its unit, dimensions and options", () => {
    const table = section("## Memory and disk metrics");
    const rows = new Map(
      [...table.matchAll(/^\| `([a-z0-9.]+)` +\| (\w+) +\| ([^|]*)\| ([^|]*)\|/gm)].map((m) => [m[1]!, m]),
    );
    assert.deepEqual([...rows.keys()], SYSTEM_METRIC_NAMES);
    for (const name of SYSTEM_METRIC_NAMES) {
      const [, , unit, dimensions, options] = rows.get(name)!;
      const info = SYSTEM_METRICS[name];
      assert.equal(unit, info.unit, name);
      assert.deepEqual(
        [...dimensions!.matchAll(/`([A-Z]\w+)`/g)].map((m) => m[1]),
        [...info.dimensions],
        name,
      );
      assert.deepEqual(
        [...options!.matchAll(/`(\w+)`/g)].map((m) => m[1]),
        [...info.options],
        name,
      );
    }
  });

  it("the environment table lists every variable the code reads", () => {
    const table = section("### Environment variables");
    const listed = new Set(
      [...table.matchAll(/^\| (.+?) \|/gm)].flatMap((row) =>
        [...row[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!),
      ),
    );
    const read = new Set<string>([
      ...Object.keys(HEARTBEAT_DEFAULTS),
      ...ENVIRONMENT_SETTINGS.map((s) => s.variable),
    ]);
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
      );
    for (const file of sources(join(REPO_ROOT, "src"))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\benv(?:\.|\[")([A-Z][A-Z0-9_]+)/g)) read.add(m[1]!);
      if (/\btmpdir\(\)/.test(text)) read.add("TMPDIR");
    }
    // Set for the SDK, not read: it only silences the SDK's multi-line warning on Node.js 20.
    read.delete("AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED");
    const missing = [...read].filter((name) => !listed.has(name)).sort();
    assert.deepEqual(missing, [], "variables the code reads that the README's table does not list");
    assert.ok(read.size >= 15, `only ${read.size} variables found: the scan is broken`);
  });

  it("links only to files that exist in a clone", () => {
    const links = [...README.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
    const local = links.filter((link) => !/^[a-z]+:/.test(link));
    assert.ok(local.length >= 5, "the scan found the README's links");
    const dead = local.filter((link) => !existsSync(join(REPO_ROOT, link)));
    assert.deepEqual(dead, []);
  });

  it("every example names the one region the program falls back to", () => {
    const region =
      /\b(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:north|south|east|west|central|southeast|northeast|southwest|northwest)-\d\b/g;
    const files = [
      "README.md",
      "Dockerfile",
      "config/example.yaml",
      "config/minimal.yaml",
      "config/system.yaml",
      "deploy/compose.yaml",
      "deploy/kubernetes/deployment.yaml",
      "deploy/kubernetes/daemonset.yaml",
      "deploy/kubernetes/system-daemonset.yaml",
      "deploy/ecs/task-definition.json",
    ];
    const others: string[] = [];
    for (const file of files) {
      readFileSync(join(REPO_ROOT, file), "utf8")
        .split("\n")
        .forEach((line, i) => {
          // The troubleshooting row shows a wrong region on purpose.
          if (line.includes("where you expected another")) return;
          // The cost estimate names the region whose list price it uses: a fact, not a setting.
          if (line.includes("list price")) return;
          for (const m of line.matchAll(region))
            if (m[0] !== FALLBACK_REGION) others.push(`${file}:${i + 1}: ${m[0]}`);
        });
    }
    assert.deepEqual(others, []);
  });
});
