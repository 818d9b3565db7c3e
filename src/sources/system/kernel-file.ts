/**
 * Reading the kernel's text files. procfs, sysfs and cgroupfs build their text in memory when read and
 * never wait on a disk or a network, so they are read synchronously: a read costs microseconds, where
 * the asynchronous API would pay for four trips through the libuv pool.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync } from "node:fs";
import { fileKind } from "../../common/file-kind.js";
import { fileProblem } from "../../common/file-problem.js";
import { SourceError } from "../types.js";

/**
 * The kernel's files are regular files. Anything else under HOST_PROC or HOST_SYS (a named pipe, a
 * device) is refused before it is read: a synchronous read of a pipe nobody writes would block the
 * whole process. Opened non-blocking so that even the open of a pipe returns at once.
 */
function readRegular(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile())
      throw new SourceError(
        `${path} is ${fileKind(stats)}, not a file of the kernel's (check HOST_PROC and HOST_SYS)`,
      );
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}

export function readKernelFile(path: string): string {
  try {
    return readRegular(path);
  } catch (cause) {
    if (cause instanceof SourceError) throw cause;
    throw new SourceError(`${path} ${fileProblem(cause)}`, { cause });
  }
}

/** The file's text, or undefined when it does not exist (an optional cgroup file, say). */
export function readOptionalKernelFile(path: string): string | undefined {
  try {
    return readRegular(path);
  } catch (cause) {
    if (cause instanceof SourceError) throw cause;
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new SourceError(`${path} ${fileProblem(cause)}`, { cause });
  }
}

export function listKernelDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch (cause) {
    throw new SourceError(`${path} ${fileProblem(cause)}`, { cause });
  }
}

/**
 * The first of several paths that can be read, remembered once found (so a hidden /proc/1 costs one
 * failed open per reader, not one per read). Until one is found every read tries them all in order.
 */
export class FirstReadableFile {
  #chosen: string | undefined;

  constructor(private readonly paths: readonly string[]) {}

  /** The text, and the path it came from (for the messages of its parser). */
  read(): { path: string; text: string } {
    if (this.#chosen !== undefined) return { path: this.#chosen, text: readKernelFile(this.#chosen) };
    let first: unknown;
    for (const path of this.paths) {
      try {
        const text = readKernelFile(path);
        this.#chosen = path;
        return { path, text };
      } catch (error) {
        first ??= error;
      }
    }
    throw first;
  }
}
