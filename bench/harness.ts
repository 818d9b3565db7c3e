/** What the benchmark's scenarios share: a work directory, configs of N constant metrics, the CLI as a child process. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FakeCloudWatch } from "../test/support/fake-cloudwatch.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = join(ROOT, "dist/src/cli.js");
export const WORK = mkdtempSync(join(tmpdir(), "cwp-bench-"));

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The environment of a publisher pointed at `fake`. */
export function benchEnv(fake: FakeCloudWatch, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: WORK,
    ...fake.env(),
    LOG_FORMAT: "json",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...extra,
  };
}

/** A config of `metrics` constant metrics in namespace Bench/<name>, all on `schedule`. */
export function writeConfig(name: string, metrics: number, schedule: string, extra = ""): string {
  const lines = Array.from(
    { length: metrics },
    (_, i) => `  - { name: M${i}, source: { type: constant, value: ${i} } }`,
  );
  const file = join(WORK, `${name}.yaml`);
  writeFileSync(
    file,
    `${extra}defaults:\n  namespace: Bench/${name}\n  schedule: "${schedule}"\nmetrics:\n${lines.join("\n")}\n`,
  );
  return file;
}

export function start(
  args: string[],
  environment: Record<string, string>,
  script = CLI,
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [script, ...args], {
    env: environment,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  return { child, output: () => output };
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
