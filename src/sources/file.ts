/**
 * The first number in a file (sysfs, procfs, a file another program writes). A read never outlives
 * the metric's timeout, and never blocks one of Node's shared I/O threads on a file that can block:
 * the file is opened without blocking and checked with fstat, and anything but a regular file (a
 * named pipe, a device) is refused unless the source sets `allowSpecialFile: true`; such a file is
 * then read without blocking (see special-file.ts). Every call into the file system goes through
 * the pool guard, so even a hung network file system cannot take all of the pool.
 */
import { close, constants, fstat, open, read, type Stats } from "node:fs";
import { promisify } from "node:util";
import { fileKind } from "../common/file-kind.js";
import { Redactor } from "../common/redactor.js";
import { fileProblem } from "../common/file-problem.js";
import { fileSourceGuard, PoolSlotsTakenError, type IoPoolGuard } from "./io-pool-guard.js";
import { firstNumber, sample } from "./number.js";
import { readSpecialFile } from "./special-file.js";
import { abortedWording, SourceError, type ValueSource } from "./types.js";

/** Only the start of a file is read: the number is expected near the top. */
export const MAX_FILE_BYTES_READ = 64 * 1024;

/** Never blocks in open(): a FIFO without a writer, a serial line without carrier. Never becomes our terminal. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

const openFd = promisify(open);
const fstatFd = promisify(fstat);
const readFd = promisify(read);
const closeFd = promisify(close);

export interface FileSourceOptions {
  /** Read a named pipe or a device too (without blocking, bounded by the timeout); default false. */
  readonly allowSpecialFile?: boolean;
  /** Hides the config's secrets (what a `${VAR}` put into the path) from the errors' wording. */
  readonly redactor?: Redactor;
  /** For tests: the guard over the I/O pool. */
  readonly guard?: IoPoolGuard;
}

/** Rejects when the signal aborts, whatever `work` does; `work` keeps running (and cleans up) in the background. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      reject(onAbort());
    };
    signal.addEventListener("abort", abort, { once: true });
    work.then(resolve, reject).finally(() => {
      signal.removeEventListener("abort", abort);
    });
  });
}

export function fileSource(path: string, options: FileSourceOptions = {}): ValueSource {
  const guard = options.guard ?? fileSourceGuard;
  const allowSpecial = options.allowSpecialFile === true;
  const shown = (options.redactor ?? new Redactor()).redact(path);

  async function readText(signal: AbortSignal): Promise<string> {
    const fd = await guard.run(() => openFd(path, OPEN_FLAGS), signal);
    let handedOver = false;
    try {
      const stats: Stats = await guard.run(() => fstatFd(fd), signal);
      if (stats.isFile()) {
        const buffer = Buffer.alloc(MAX_FILE_BYTES_READ);
        const { bytesRead } = await guard.run(() => readFd(fd, buffer, 0, MAX_FILE_BYTES_READ, 0), signal);
        return buffer.toString("utf8", 0, bytesRead);
      }
      if (stats.isDirectory()) throw new SourceError(`file ${shown} is a directory, not a file`);
      if (!allowSpecial) {
        throw new SourceError(
          `file ${shown} is ${fileKind(stats)}, not a regular file; reading one can wait forever, so it is read only with allowSpecialFile: true on the source`,
        );
      }
      handedOver = true;
      return await readSpecialFile(fd, stats, signal, guard, MAX_FILE_BYTES_READ);
    } finally {
      if (!handedOver) await guard.run(() => closeFd(fd)).catch(() => undefined);
    }
  }

  return {
    async read(signal) {
      const started = performance.now();
      let text: string;
      try {
        text = await untilAborted(
          readText(signal),
          signal,
          () =>
            new SourceError(
              `file ${shown} ${abortedWording(signal)} after ${Math.round(performance.now() - started)} ms`,
            ),
        );
      } catch (cause) {
        if (cause instanceof SourceError) throw cause;
        if (cause instanceof PoolSlotsTakenError)
          throw new SourceError(`file ${shown} not read: ${cause.message}`);
        throw new SourceError(`file ${shown} ${fileProblem(cause)}`, { cause });
      }
      const value = firstNumber(text);
      if (value === undefined)
        throw new SourceError(`file ${shown} holds no number (starts with ${sample(text)})`);
      return value;
    },
  };
}
