/**
 * One small JSON state file kept next to the outbox (counter baselines, an open aggregation
 * period). Written whole to a temporary file, fsynced, renamed over the old one and the directory
 * fsynced, so a crash or a power loss leaves the old file or the new one, never half of one. Read
 * failures are values: a missing file is "nothing saved", anything else is a reason to start fresh.
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
  fstatSync,
} from "node:fs";
import { dirname } from "node:path";

/** The outbox directory's own mode (outbox-log.ts): only the publisher's user may read it. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

export type StateFileRead<T> =
  | { readonly kind: "loaded"; readonly value: T }
  | { readonly kind: "missing" }
  /** The file exists but cannot be used; `reason` says why, for one log line. */
  | { readonly kind: "unusable"; readonly reason: string };

/** Checks parsed JSON and returns the typed value, or a reason it is not one. */
export type StateParser<T> = (json: unknown) => { ok: true; value: T } | { ok: false; reason: string };

/** Larger state files are not read: 1,000,000 series' baselines take about 100 MB. */
export const MAX_STATE_FILE_BYTES = 256 * 1024 * 1024;

export function readStateFile<T>(path: string, parse: StateParser<T>): StateFileRead<T> {
  let text: string;
  try {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      // A FIFO or a device put in its place could block or never end: only a regular file is read.
      const stat = fstatSync(fd);
      if (!stat.isFile()) return { kind: "unusable", reason: `${path} is not a regular file` };
      if (stat.size > MAX_STATE_FILE_BYTES)
        return {
          kind: "unusable",
          reason: `${path} is ${stat.size} bytes, more than ${MAX_STATE_FILE_BYTES}`,
        };
      text = readFileSync(fd, "utf8");
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { kind: "missing" };
    return { kind: "unusable", reason: `cannot read ${path}: ${(error as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: "unusable", reason: `${path} is not valid JSON (${(error as Error).message})` };
  }
  const parsed = parse(json);
  return parsed.ok
    ? { kind: "loaded", value: parsed.value }
    : { kind: "unusable", reason: `${path}: ${parsed.reason}` };
}

export type StateFileWrite = { readonly ok: true } | { readonly ok: false; readonly error: Error };

/** Replaces the file atomically with `value` as JSON; creates the directory (0700) if needed. */
export function writeStateFile(path: string, value: unknown): StateFileWrite {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const dir = dirname(path);
    mkdirSync(dir, { recursive: true, mode: DIR_MODE });
    const fd = openSync(
      temp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      FILE_MODE,
    );
    try {
      writeSync(fd, JSON.stringify(value));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    const dirFd = openSync(dir, constants.O_RDONLY);
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    return { ok: true };
  } catch (cause) {
    try {
      unlinkSync(temp);
    } catch {
      // Not created, or already renamed: nothing to clean up.
    }
    return { ok: false, error: new Error(`cannot write ${path}: ${(cause as Error).message}`, { cause }) };
  }
}
