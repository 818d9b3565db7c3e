/**
 * A program run at every read, argv style (no shell unless the argv asks for one). The first number
 * it prints on stdout is the value. It runs in its own process group, and the whole group is killed
 * after every read (on timeout, and when the program exits, so that what it left behind dies too);
 * a descendant that left the group but still holds our output pipes is found and killed as well, so
 * neither processes nor descriptors pile up from run to run. Log lines name the program only: its
 * arguments may carry secrets, and what it printed is shown as a short, redacted excerpt.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { Redactor } from "../common/redactor.js";
import { firstNumber, sample } from "./number.js";
import { killMarkedProcesses, newReadMarker, READ_MARKER_VARIABLE } from "./escaped-processes.js";
import { abortedWording, SourceError, type ValueSource } from "./types.js";

/** More output than this is cut: a metric's value is expected in the first lines. */
export const MAX_COMMAND_OUTPUT_BYTES = 64 * 1024;
/** After the program exits, how long its output pipes may stay open (held by a descendant) before they are closed. */
export const OUTPUT_GRACE_MS = 200;

/** Why a process could not be started, in words, by errno code. */
const SPAWN_FAILURES: Readonly<Record<string, string>> = {
  EMFILE: "this process has too many open files (EMFILE)",
  ENFILE: "the system has too many open files (ENFILE)",
  EAGAIN: "the system refused another process (EAGAIN: a process or memory limit)",
  ENOMEM: "not enough memory to start it (ENOMEM)",
  EACCES: "permission denied (is it executable?)",
  ENOEXEC: "it is not an executable the system can run (ENOEXEC)",
  E2BIG: "its arguments and environment are too large (E2BIG)",
};

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

export function commandSource(
  argv: readonly [string, ...string[]],
  redactor: Redactor = new Redactor(),
): ValueSource {
  const [program, ...args] = argv;
  const name = redactor.redact(program);
  return {
    read(signal) {
      return new Promise<number>((resolve, reject) => {
        const started = performance.now();
        const elapsed = () => `${Math.round(performance.now() - started)} ms`;
        let stdout = "";
        let stderr = "";
        let settled = false;
        let exited = false;
        let pipesHeld = false;
        let graceTimer: NodeJS.Timeout | undefined;
        let child: ChildProcess | undefined;
        const errorDetail = () => {
          const firstLine = redactor.redact(stderr.trim().split("\n")[0] ?? "");
          return firstLine === "" ? "" : `: ${sample(firstLine, 200)}`;
        };
        const finish = (error: SourceError | undefined, value?: number) => {
          if (settled) return;
          settled = true;
          clearTimeout(graceTimer);
          signal.removeEventListener("abort", onAbort);
          if (error === undefined) resolve(value!);
          else reject(error);
        };
        const marker = newReadMarker();
        /** Kills the group and every process that escaped it, then closes our ends of the pipes. */
        const cleanUp = (): Promise<number> => {
          killGroup(child?.pid);
          child?.stdout?.destroy();
          child?.stderr?.destroy();
          return killMarkedProcesses(marker);
        };
        const onAbort = () => {
          void cleanUp();
          finish(
            new SourceError(
              `command ${name} ${abortedWording(signal)} after ${elapsed()}; killed its process group`,
            ),
          );
        };
        if (signal.aborted) {
          onAbort();
          return;
        }
        const couldNotStart = (cause: NodeJS.ErrnoException) => {
          const reason =
            cause.code === "ENOENT"
              ? `command not found: ${name}`
              : `command ${name} could not start: ${SPAWN_FAILURES[cause.code ?? ""] ?? redactor.redact(cause.message)}`;
          void cleanUp();
          finish(new SourceError(reason, { cause }));
        };
        try {
          child = spawn(program, args, {
            stdio: ["ignore", "pipe", "pipe"],
            detached: true,
            env: { ...process.env, [READ_MARKER_VARIABLE]: marker },
          });
        } catch (cause) {
          couldNotStart(cause as NodeJS.ErrnoException);
          return;
        }
        // First of all: a failed spawn (EMFILE, EAGAIN) reports here, on the next tick.
        child.on("error", couldNotStart);
        signal.addEventListener("abort", onAbort, { once: true });
        if (!child.stdout || !child.stderr) return; // spawn failed; 'error' follows
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          if (stdout.length < MAX_COMMAND_OUTPUT_BYTES) stdout += chunk;
        });
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
          if (stderr.length < MAX_COMMAND_OUTPUT_BYTES) stderr += chunk;
        });
        const conclude = (code: number | null, killedBy: NodeJS.Signals | null) => {
          if (killedBy !== null) {
            finish(
              new SourceError(`command ${name} was killed by ${killedBy} after ${elapsed()}${errorDetail()}`),
            );
          } else if (code !== 0) {
            finish(
              new SourceError(`command ${name} exited ${String(code)} after ${elapsed()}${errorDetail()}`),
            );
          } else {
            const value = firstNumber(stdout);
            if (value === undefined) {
              finish(
                new SourceError(
                  `command ${name} printed no number on stdout (got ${sample(redactor.redact(stdout))})${errorDetail()}`,
                ),
              );
            } else {
              finish(undefined, value);
            }
          }
        };
        child.on("exit", (code, killedBy) => {
          exited = true;
          // What the program left in its group must not outlive the read.
          killGroup(child.pid);
          // A descendant that escaped the group may still hold the pipes open: give the output a
          // moment to arrive, then close them (and kill the holder) rather than wait forever.
          graceTimer = setTimeout(() => {
            pipesHeld = true;
            void cleanUp().then(() => {
              conclude(code, killedBy);
            });
          }, OUTPUT_GRACE_MS);
        });
        child.on("close", (code, killedBy) => {
          if (pipesHeld) return; // concluded once the escaped processes are gone
          if (!exited) killGroup(child.pid);
          conclude(code, killedBy);
        });
      });
    },
  };
}
