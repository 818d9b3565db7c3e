/** The status file the running process rewrites every few seconds and `healthcheck` reads. */
import { closeSync, constants, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Environment } from "../environment.js";
import type { HealthStatus } from "./assess.js";

/** `$HEALTH_FILE`, else a file in the temp directory (a tmpfs in a read-only container). */
export function statusFilePath(env: Environment): string {
  const fromEnv = env.HEALTH_FILE;
  return fromEnv !== undefined && fromEnv !== ""
    ? fromEnv
    : join(tmpdir(), "cloudwatch-publisher-health.json");
}

/**
 * Written whole to a new temporary file and renamed over the status file, so a reader never sees
 * half a file, and nothing is ever written through a symbolic link someone planted in a shared
 * /tmp: the temporary name is unpredictable and created exclusively (O_EXCL does not follow links),
 * and rename replaces a link at the final name rather than following it.
 */
export function writeStatusFile(path: string, status: HealthStatus): void {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = openSync(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o644,
  );
  try {
    writeSync(fd, JSON.stringify(status));
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
}

/** Reads the status file; a symbolic link at its name is refused (ELOOP), not followed. */
export function readStatusFile(path: string): HealthStatus {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    return JSON.parse(readFileSync(fd, "utf8")) as HealthStatus;
  } finally {
    closeSync(fd);
  }
}
