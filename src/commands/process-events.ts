/**
 * What the operating system and the runtime can do to the `run` process, handled in one place:
 * SIGTERM and SIGINT stop it in order (a second one exits at once); SIGHUP asks for a reload of the
 * config once the publisher runs (onReload), and is logged and ignored before that and while it
 * stops; an uncaught exception or an unhandled rejection
 * is logged as one line and also stops it in order, keeping what is undelivered in the outbox. The
 * handlers are installed before anything else, so a signal during start-up is never the default
 * (fatal) one.
 */
import type { Output } from "../cli/context.js";
import { ExitCode } from "../exit-codes.js";
import type { Logger } from "../log.js";

/** Exit code when a second signal cuts the shutdown short (128 + SIGINT, as shells report it). */
export const EXIT_ON_SECOND_SIGNAL = 130;

export type StopCause =
  | { readonly kind: "signal"; readonly signal: NodeJS.Signals }
  | {
      readonly kind: "fatal";
      readonly origin: "uncaughtException" | "unhandledRejection";
      readonly error: unknown;
    };

function ignoreSignal(): void {
  // Between the end of run and the exit, a SIGHUP must not kill the process either.
}

interface Note {
  readonly level: "warn" | "error";
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

export class ProcessEvents {
  /** Resolves with the first reason to stop. */
  readonly stopped: Promise<StopCause>;
  private readonly controller = new AbortController();
  private resolveStopped!: (cause: StopCause) => void;
  private cause: StopCause | undefined;
  private logger: Logger | undefined;
  /** Lines to log once the logger exists (a signal during start-up). */
  private readonly notes: Note[] = [];

  private readonly onStopSignal = (signal: NodeJS.Signals) => {
    if (this.cause !== undefined) {
      this.log({
        level: "warn",
        message: `${signal} received again; exiting without finishing the shutdown`,
      });
      process.exit(EXIT_ON_SECOND_SIGNAL);
    }
    this.stop({ kind: "signal", signal });
  };

  /** Set once the publisher runs: what SIGHUP does. */
  private reload: (() => void) | undefined;

  private readonly onHangup = () => {
    if (this.reload !== undefined && this.cause === undefined) {
      this.reload();
      return;
    }
    // Starting (the config being loaded is the file as it is now) or stopping: the signal must not kill the process.
    this.log({
      level: "warn",
      message: `SIGHUP received; ignored (the publisher is ${this.cause === undefined ? "starting: the config it loads is the file as it is now" : "stopping"})`,
    });
  };

  private readonly onUncaughtException = (error: unknown) => {
    this.fatal("uncaughtException", error);
  };

  private readonly onUnhandledRejection = (error: unknown) => {
    this.fatal("unhandledRejection", error);
  };

  constructor(private readonly stderr: Output) {
    this.stopped = new Promise((resolve) => (this.resolveStopped = resolve));
    process.on("SIGTERM", this.onStopSignal);
    process.on("SIGINT", this.onStopSignal);
    process.on("SIGHUP", this.onHangup);
    process.on("uncaughtException", this.onUncaughtException);
    process.on("unhandledRejection", this.onUnhandledRejection);
  }

  /** Aborts when the first reason to stop arrives: for work that must not outlast it (loading the config). */
  get stopSignal(): AbortSignal {
    return this.controller.signal;
  }

  /** From now on SIGHUP calls `reload` (until a reason to stop arrives). */
  onReload(reload: () => void): void {
    this.reload = reload;
  }

  /** From now on, lines go to the logger (and those noted before it existed are written). */
  useLogger(logger: Logger): void {
    this.logger = logger;
    for (const note of this.notes.splice(0)) this.log(note);
  }

  /** Removes the handlers (SIGHUP stays ignored until the process exits); lines that never reached a logger go to stderr. */
  dispose(): void {
    this.writeNotesToStderr();
    process.off("SIGTERM", this.onStopSignal);
    process.off("SIGINT", this.onStopSignal);
    if (!process.listeners("SIGHUP").includes(ignoreSignal)) process.on("SIGHUP", ignoreSignal);
    process.off("SIGHUP", this.onHangup);
    process.off("uncaughtException", this.onUncaughtException);
    process.off("unhandledRejection", this.onUnhandledRejection);
  }

  private stop(cause: StopCause): void {
    if (this.cause !== undefined) return;
    this.cause = cause;
    this.controller.abort();
    this.resolveStopped(cause);
  }

  private fatal(origin: "uncaughtException" | "unhandledRejection", error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const fields = {
      origin,
      error: error instanceof Error ? error.name : typeof error,
      stack: error instanceof Error ? error.stack : undefined,
    };
    if (this.cause !== undefined) {
      // A second failure while stopping: the orderly path itself is broken.
      this.log({
        level: "error",
        message: `internal error (${origin}) while shutting down: ${message}; exiting`,
        fields,
      });
      this.writeNotesToStderr();
      process.exit(ExitCode.INTERNAL);
    }
    this.log({
      level: "error",
      message: `internal error (${origin}): ${message}; shutting down, undelivered datums are kept in the outbox`,
      fields,
    });
    this.stop({ kind: "fatal", origin, error });
  }

  private writeNotesToStderr(): void {
    for (const note of this.notes.splice(0)) this.stderr.write(`cloudwatch-publisher: ${note.message}\n`);
  }

  private log(note: Note): void {
    if (this.logger === undefined) this.notes.push(note);
    else this.logger.log(note.level, note.message, note.fields ?? {});
  }
}
