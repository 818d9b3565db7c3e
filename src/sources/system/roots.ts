/**
 * Where the kernel's files are. Host scope reads the host's /proc and /sys, which a container sees
 * only when they are mounted in and named by HOST_PROC, HOST_SYS and HOST_MOUNT_PREFIX (as Telegraf
 * reads them). Container scope reads this process's own /proc and cgroup. Tests point every root
 * at a fixture tree.
 */
import type { Environment } from "../../environment.js";

export const DEFAULT_PROC = "/proc";
export const DEFAULT_SYS = "/sys";
export const HOST_PROC_VARIABLE = "HOST_PROC";
export const HOST_SYS_VARIABLE = "HOST_SYS";
export const HOST_MOUNT_PREFIX_VARIABLE = "HOST_MOUNT_PREFIX";

export interface SystemRoots {
  /** The host's /proc: `$HOST_PROC`, else /proc. */
  readonly hostProc: string;
  /** The host's /sys: `$HOST_SYS`, else /sys. */
  readonly hostSys: string;
  /** Put before the host's mount points to reach them (`$HOST_MOUNT_PREFIX`, e.g. /hostfs), else "". */
  readonly hostMountPrefix: string;
  /** HOST_PROC was set: the host's /proc was mounted in on purpose, so `auto` scope reads the host. */
  readonly hostProcNamed: boolean;
  /** This process's own /proc: its cgroup, its mounts, its network namespace. */
  readonly ownProc: string;
  /** Put before paths of this process's own mount namespace (cgroup mounts, its own /sys); "" but in tests. */
  readonly ownRoot: string;
}

/** The roots this process should use: the HOST_* variables when set (blank counts as unset). */
export function rootsFromEnv(env: Environment): SystemRoots {
  const named = (variable: string, fallback: string) => {
    const value = env[variable]?.trim();
    return value === undefined || value === "" ? fallback : withoutTrailingSlash(value);
  };
  return {
    hostProc: named(HOST_PROC_VARIABLE, DEFAULT_PROC),
    hostSys: named(HOST_SYS_VARIABLE, DEFAULT_SYS),
    hostMountPrefix: named(HOST_MOUNT_PREFIX_VARIABLE, ""),
    hostProcNamed: named(HOST_PROC_VARIABLE, "") !== "",
    ownProc: DEFAULT_PROC,
    ownRoot: "",
  };
}

/** "/host/proc/" → "/host/proc"; "/" → "" (a prefix of nothing). */
function withoutTrailingSlash(path: string): string {
  return path.replace(/\/+$/, "");
}

/**
 * The files one scope reads. `pids` are the /proc entries whose mounts and network are read, in order
 * of preference: the host's are those of its PID 1 (our own "self" in a mounted host /proc is the
 * container), falling back to "self" where PID 1 is hidden (hidepid) or not ours to read.
 */
export interface ProcView {
  readonly proc: string;
  readonly sys: string;
  readonly mountPrefix: string;
  readonly pids: readonly string[];
}

export function viewOf(scope: "host" | "container", roots: SystemRoots): ProcView {
  return scope === "host"
    ? { proc: roots.hostProc, sys: roots.hostSys, mountPrefix: roots.hostMountPrefix, pids: ["1", "self"] }
    : {
        proc: roots.ownProc,
        sys: `${roots.ownRoot}${DEFAULT_SYS}`,
        mountPrefix: roots.ownRoot,
        pids: ["self"],
      };
}
