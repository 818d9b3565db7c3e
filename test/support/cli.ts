/** Runs the built CLI as a user would: a real process, its exit code and its two output streams. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { assertNoSecrets, PLANTED_SECRETS } from "./secrets.js";

export const CLI_PATH = fileURLToPath(new URL("../../src/cli.js", import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A minimal environment: PATH, so a developer's own AWS or CONFIG_FILE settings never leak in, and
 * the planted secrets, which no output may ever show. Under `npm run coverage` also NODE_V8_COVERAGE,
 * so the CLIs the tests start count towards the coverage of src/.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const coverage = process.env.NODE_V8_COVERAGE;
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    ...(coverage === undefined ? {} : { NODE_V8_COVERAGE: coverage }),
    ...PLANTED_SECRETS,
    ...extra,
  };
}

/**
 * The environment a CLI the tests start gets: no test may reach the real instance metadata address
 * (169.254.169.254), so unless the test points AWS_EC2_METADATA_SERVICE_ENDPOINT at a fake on
 * loopback, instance metadata is disabled; ECS task metadata is asked only when a test sets its URI.
 */
export function offPlatform(env: Record<string, string>): Record<string, string> {
  if (env.AWS_EC2_METADATA_SERVICE_ENDPOINT !== undefined || env.AWS_EC2_METADATA_DISABLED !== undefined)
    return env;
  return { ...env, AWS_EC2_METADATA_DISABLED: "true" };
}

export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; uid?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      env: offPlatform(options.env ?? cleanEnv()),
      cwd: options.cwd ?? REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: options.timeoutMs ?? 20_000,
      // As the image's user (10001), where the tests run as root, whom no file mode stops.
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      try {
        assertNoSecrets(stdout + stderr, `cloudwatch-publisher ${args.join(" ")}`);
        resolve({ code, signal, stdout, stderr });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/** A long-running CLI process (`run`), with its output as it comes. */
export interface RunningCli {
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first line of stdout (or `from`) matching; rejects after timeoutMs. */
  waitForLine(pattern: RegExp, timeoutMs?: number, from?: "stdout" | "stderr"): Promise<string>;
  /** Sends the signal and resolves with the exit code and how long the process took to exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `nodeArgs` go before the script: `--import` of a preload that plants a fault, say. */
export function startCli(
  args: readonly string[],
  env: Record<string, string>,
  options: { nodeArgs?: readonly string[] } = {},
): RunningCli {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), CLI_PATH, ...args], {
    env: offPlatform(env),
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    for (const listener of listeners) listener();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) =>
    child.on("close", (code, signal) => {
      try {
        assertNoSecrets(stdout + stderr, `cloudwatch-publisher ${args.join(" ")}`);
        resolve({ code, signal });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    }),
  );
  exited.catch(() => undefined); // reported to whoever awaits it (stop() does)
  // Never leave a stray daemon behind a failed test.
  const killer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  killer.unref();
  void exited.finally(() => clearTimeout(killer)).catch(() => undefined);
  return {
    pid: child.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForLine(pattern, timeoutMs = 10_000, from = "stdout") {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = (from === "stdout" ? stdout : stderr).split("\n").find((l) => pattern.test(l));
          if (line === undefined) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(line);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(
              `no line matching ${String(pattern)} within ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`,
            ),
          );
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async stop(signal = "SIGTERM") {
      const started = performance.now();
      child.kill(signal);
      const { code } = await exited;
      return { code, ms: performance.now() - started };
    },
  };
}

/** Parses JSON log lines (LOG_FORMAT=json), skipping anything else. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
