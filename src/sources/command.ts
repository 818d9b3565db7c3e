/**
 * A program run at every read, argv style (no shell unless the argv asks for one). The first number
 * it prints on stdout is the value. It runs in its own process group so that on timeout the whole
 * tree (a shell and what it started) is killed, not only the first process.
 */
import { spawn } from "node:child_process";
import { firstNumber, sample } from "./number.js";
import { abortedWording, SourceError, type ValueSource } from "./types.js";

/** More output than this is cut: a metric's value is expected in the first lines. */
export const MAX_COMMAND_OUTPUT_BYTES = 64 * 1024;

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

export function commandSource(argv: readonly [string, ...string[]]): ValueSource {
  const [program, ...args] = argv;
  return {
    read(signal) {
      return new Promise<number>((resolve, reject) => {
        const started = performance.now();
        const elapsed = () => `${Math.round(performance.now() - started)} ms`;
        const child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
        let stdout = "";
        let stderr = "";
        let settled = false;
        const finish = (error: SourceError | undefined, value?: number) => {
          if (settled) return;
          settled = true;
          signal.removeEventListener("abort", onAbort);
          if (error === undefined) resolve(value!);
          else reject(error);
        };
        const onAbort = () => {
          killGroup(child.pid);
          finish(
            new SourceError(
              `command ${sample(argv.join(" "))} ${abortedWording(signal)} after ${elapsed()}; killed its process group`,
            ),
          );
        };
        if (signal.aborted) {
          onAbort();
          return;
        }
        signal.addEventListener("abort", onAbort, { once: true });
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          if (stdout.length < MAX_COMMAND_OUTPUT_BYTES) stdout += chunk;
        });
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
          if (stderr.length < MAX_COMMAND_OUTPUT_BYTES) stderr += chunk;
        });
        child.on("error", (cause: NodeJS.ErrnoException) => {
          const reason =
            cause.code === "ENOENT"
              ? `command not found: ${program}`
              : `command ${program} could not start: ${cause.message}`;
          finish(new SourceError(reason, { cause }));
        });
        child.on("close", (code, killedBy) => {
          // Orphans the command left in its group must not outlive the read.
          killGroup(child.pid);
          const firstErrorLine = stderr.trim().split("\n")[0] ?? "";
          const detail = firstErrorLine === "" ? "" : `: ${sample(firstErrorLine, 200)}`;
          if (killedBy !== null) {
            finish(
              new SourceError(`command ${program} was killed by ${killedBy} after ${elapsed()}${detail}`),
            );
          } else if (code !== 0) {
            finish(new SourceError(`command ${program} exited ${String(code)} after ${elapsed()}${detail}`));
          } else {
            const value = firstNumber(stdout);
            if (value === undefined) {
              finish(
                new SourceError(
                  `command ${program} printed no number on stdout (got ${sample(stdout)})${detail}`,
                ),
              );
            } else {
              finish(undefined, value);
            }
          }
        });
      });
    },
  };
}
