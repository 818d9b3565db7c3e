/**
 * The arrows between the folders of src/, as docs/architecture.md draws them, checked on every
 * import (static, dynamic, and worker URLs), plus the size rules: no file over 250 lines, at most five
 * files at the root of src/. A failure names the file and the import that break a rule.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, posix, relative } from "node:path";
import { describe, it } from "node:test";
import { REPO_ROOT } from "./support/cli.js";

const SRC = join(REPO_ROOT, "src");
export const MAX_LINES = 250;
export const MAX_ROOT_FILES = 5;

interface Import {
  /** The importing file, relative to src/ ("config/build.ts"). */
  readonly file: string;
  /** As written. */
  readonly specifier: string;
  /** The imported file relative to src/ ("cloudwatch/limits.ts"); undefined for a package, a node: module or a file outside src/. */
  readonly target: string | undefined;
}

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [relative(SRC, join(dir, entry.name)).split("\\").join("/")]
        : [],
  );
}

// `from "x"`, `import "x"`, `import("x")`, `new URL("x", import.meta.url)`: every way a module reaches another.
const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(?\s*|new URL\(\s*)["']([^"']+)["']/g;

export function importsOf(file: string, text: string): Import[] {
  return [...text.matchAll(SPECIFIERS)].map(([, specifier]) => {
    const spec = specifier!;
    const resolved = posix.normalize(posix.join(posix.dirname(file), spec));
    // Outside src/ (the schema, package.json, read at run time) is not a module of ours.
    const ours = spec.startsWith(".") && !resolved.startsWith("../") && resolved.endsWith(".js");
    const target = ours ? resolved.replace(/\.js$/, ".ts") : undefined;
    return { file, specifier: spec, target };
  });
}

// Statements that load a module when this one loads: not `import type`, not a dynamic import().
const RUNTIME = /(?:^|\n)\s*(?:import|export)\s+(?!type\b)(?:[^;"']*?\bfrom\s*)?["']([^"']+)["']/g;

/** What loading `file` loads with it (as src/ paths, or package names), following the static imports. */
export function loadedWith(file: string, texts: ReadonlyMap<string, string>): Set<string> {
  const seen = new Set<string>();
  const visit = (current: string) => {
    for (const [, spec] of texts.get(current)!.matchAll(RUNTIME)) {
      const [imp] = importsOf(current, `from "${spec!}"`);
      const key = imp!.target ?? spec!;
      if (seen.has(key)) continue;
      seen.add(key);
      if (texts.has(key)) visit(key);
    }
  };
  visit(file);
  return seen;
}

/** The folder a src/ path belongs to ("config"), or the file itself for a root file ("environment.ts"). */
const layerOf = (path: string) => (path.includes("/") ? path.slice(0, path.indexOf("/")) : path);

interface Rule {
  readonly from: string;
  /** Why, for the failure message. */
  readonly says: string;
  readonly allows: (imp: Import & { target: string }) => boolean;
}

const forbids =
  (...layers: string[]) =>
  (imp: { target: string }) =>
    !layers.includes(layerOf(imp.target));

export const RULES: readonly Rule[] = [
  {
    from: "config",
    says: "config/ imports nothing of the runtime (publish, schedule, sources, pipeline, health, platform but its placeholder catalogue, commands, cli)",
    allows: (imp) =>
      forbids("publish", "schedule", "sources", "pipeline", "health", "commands", "cli", "cli.ts")(imp) &&
      (layerOf(imp.target) !== "platform" || imp.target === "platform/placeholders.ts"),
  },
  {
    from: "platform",
    says: "platform/ (instance and task metadata) imports only itself, common/, environment.ts and the API limits",
    allows: (imp) =>
      ["platform", "common", "environment.ts"].includes(layerOf(imp.target)) ||
      imp.target === "cloudwatch/limits.ts",
  },
  {
    from: "sources",
    says: "sources/ imports nothing of publish/, schedule/, pipeline/, health/, platform/, commands/ or the CLI",
    allows: forbids("publish", "schedule", "pipeline", "health", "platform", "commands", "cli", "cli.ts"),
  },
  {
    from: "cloudwatch",
    says: "cloudwatch/ (the neutral API model) imports only itself and environment.ts",
    allows: (imp) => layerOf(imp.target) === "cloudwatch" || imp.target === "environment.ts",
  },
  {
    from: "common",
    says: "common/ holds helpers every layer may use: it imports only common/",
    allows: (imp) => layerOf(imp.target) === "common",
  },
  {
    from: "environment.ts",
    says: "environment.ts is the bottom module: it imports nothing of ours",
    allows: () => false,
  },
  {
    from: "schedule",
    says: "schedule/ imports no output or composition (publish, pipeline but its counters, health, commands)",
    allows: (imp) =>
      forbids("publish", "health", "platform", "commands", "cli", "cli.ts")(imp) &&
      (layerOf(imp.target) !== "pipeline" || COUNTERS.has(imp.target)),
  },
  {
    from: "publish",
    says: "publish/ imports nothing that composes it (pipeline but its counters, health, commands)",
    allows: (imp) =>
      forbids("schedule", "sources", "health", "platform", "commands", "cli", "cli.ts")(imp) &&
      (layerOf(imp.target) !== "pipeline" || COUNTERS.has(imp.target)),
  },
  {
    from: "output",
    says: "output/ (the EMF encoder and writers) imports only itself, cloudwatch/ and common/",
    allows: (imp) => ["output", "cloudwatch", "common"].includes(layerOf(imp.target)),
  },
  {
    from: "shaping",
    says: "shaping/ (transform, aggregate, rollups, cost) imports only itself, cloudwatch/, common/, environment.ts and config/'s types and cron dialect",
    allows: (imp) =>
      ["shaping", "cloudwatch", "common"].includes(layerOf(imp.target)) ||
      ["environment.ts", "config/types.ts", "config/cron.ts"].includes(imp.target),
  },
  {
    from: "health",
    says: "health/ reads the pipeline's snapshot type and nothing else of the runtime",
    allows: (imp) =>
      forbids("publish", "schedule", "sources", "config", "platform", "commands", "cli", "cli.ts")(imp) &&
      (layerOf(imp.target) !== "pipeline" || imp.target === "pipeline/snapshot.ts"),
  },
];

/** The counters every stage adds to: the one part of pipeline/ the stages below it may import. */
const COUNTERS = new Set(["pipeline/stats.ts", "pipeline/lateness.ts"]);

/** commands/ is reached only through cli.ts's table (and from within commands/). */
const COMMANDS_RULE: Rule = {
  from: "*",
  says: "nothing imports commands/ but cli.ts",
  allows: (imp) =>
    layerOf(imp.target) !== "commands" || imp.file === "cli.ts" || layerOf(imp.file) === "commands",
};

export function violations(imports: readonly Import[]): string[] {
  const found: string[] = [];
  for (const imp of imports) {
    if (imp.target === undefined) continue;
    const local = { ...imp, target: imp.target };
    for (const rule of [...RULES.filter((r) => r.from === layerOf(imp.file)), COMMANDS_RULE])
      if (!rule.allows(local)) found.push(`src/${imp.file} imports "${imp.specifier}": ${rule.says}`);
  }
  return found;
}

describe("the architecture of src/", () => {
  const files = sourceFiles();
  const texts = new Map(files.map((file) => [file, readFileSync(join(SRC, file), "utf8")]));
  const imports = files.flatMap((file) => importsOf(file, texts.get(file)!));

  it("finds the imports it checks: static, dynamic and worker URLs", () => {
    const found = (file: string, specifier: string) =>
      imports.some((imp) => imp.file === file && imp.specifier === specifier);
    assert.ok(found("config/build.ts", "./types.js"), "a static import");
    assert.ok(found("cli.ts", "./commands/run.js"), "a dynamic import()");
    assert.ok(found("config/load-isolated.ts", "./load-worker.js"), "a worker's URL");
    for (const imp of imports)
      if (imp.target !== undefined)
        assert.ok(texts.has(imp.target), `src/${imp.file}: ${imp.specifier} resolves`);
  });

  it("keeps every arrow pointing the allowed way", () => {
    assert.deepEqual(violations(imports), []);
  });

  it("names the file and the import that break a rule", () => {
    const wrong = [
      ...importsOf("config/build.ts", 'import { Delivery } from "../publish/delivery.js";'),
      ...importsOf("cloudwatch/datum.ts", 'import type { MetricConfig } from "../config/types.js";'),
      ...importsOf("sources/file.ts", 'const m = await import("../pipeline/agent.js");'),
      ...importsOf("pipeline/agent.ts", 'import { run } from "../commands/run.js";'),
      ...importsOf("environment.ts", 'import { plural } from "./common/plural.js";'),
      ...importsOf("platform/entity.ts", 'import type { Config } from "../config/types.js";'),
      ...importsOf("config/view.ts", 'import { resolveIdentity } from "../platform/resolve-identity.js";'),
    ];
    assert.deepEqual(violations(wrong), [
      'src/config/build.ts imports "../publish/delivery.js": config/ imports nothing of the runtime (publish, schedule, sources, pipeline, health, platform but its placeholder catalogue, commands, cli)',
      'src/cloudwatch/datum.ts imports "../config/types.js": cloudwatch/ (the neutral API model) imports only itself and environment.ts',
      'src/sources/file.ts imports "../pipeline/agent.js": sources/ imports nothing of publish/, schedule/, pipeline/, health/, platform/, commands/ or the CLI',
      'src/pipeline/agent.ts imports "../commands/run.js": nothing imports commands/ but cli.ts',
      'src/environment.ts imports "./common/plural.js": environment.ts is the bottom module: it imports nothing of ours',
      'src/platform/entity.ts imports "../config/types.js": platform/ (instance and task metadata) imports only itself, common/, environment.ts and the API limits',
      'src/config/view.ts imports "../platform/resolve-identity.js": config/ imports nothing of the runtime (publish, schedule, sources, pipeline, health, platform but its placeholder catalogue, commands, cli)',
    ]);
  });

  it("keeps YAML, the schema and the loader out of the main thread: configs load in the memory-capped worker", () => {
    for (const command of [
      "commands/run.ts",
      "commands/once.ts",
      "commands/validate-config.ts",
      "commands/iam-policy.ts",
    ]) {
      const loaded = loadedWith(command, texts);
      assert.ok(loaded.has("config/load-isolated.ts"), `${command} loads configs through the worker`);
      const heavy = ["config/load.ts", "config/validate.ts", "yaml", "ajv", "ajv/dist/2020.js"].filter((m) =>
        loaded.has(m),
      );
      assert.deepEqual(heavy, [], `loading src/${command} loads these in the main thread`);
    }
    assert.ok(loadedWith("config/load-worker.ts", texts).has("config/load.ts"), "the worker does load them");
  });

  it(`has no file over ${MAX_LINES} lines`, () => {
    const long = files
      .map((file) => [file, texts.get(file)!.split("\n").length - 1] as const)
      .filter(([, lines]) => lines > MAX_LINES)
      .map(([file, lines]) => `src/${file}: ${lines} lines`);
    assert.deepEqual(long, []);
  });

  it(`has at most ${MAX_ROOT_FILES} files at its root`, () => {
    const root = files.filter((file) => !file.includes("/"));
    assert.ok(root.length <= MAX_ROOT_FILES, `src/ holds ${root.length} files: ${root.join(", ")}`);
  });
});
