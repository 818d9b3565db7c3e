/** The status file the running process rewrites every few seconds and `healthcheck` reads. */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Environment } from "../config/interpolate.js";
import type { HealthStatus } from "./assess.js";

/** `$HEALTH_FILE`, else a file in the temp directory (a tmpfs in a read-only container). */
export function statusFilePath(env: Environment): string {
  const fromEnv = env.HEALTH_FILE;
  return fromEnv !== undefined && fromEnv !== ""
    ? fromEnv
    : join(tmpdir(), "cloudwatch-publisher-health.json");
}

/** Written whole to a temporary name and renamed, so a reader never sees half a file. */
export function writeStatusFile(path: string, status: HealthStatus): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(status));
  renameSync(temp, path);
}

export function readStatusFile(path: string): HealthStatus {
  return JSON.parse(readFileSync(path, "utf8")) as HealthStatus;
}
