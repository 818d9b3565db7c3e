/**
 * Where this process's own cgroup is: its path from /proc/self/cgroup, joined to where that hierarchy
 * is mounted (from /proc/self/mountinfo, whose root field says which part of the hierarchy the mount
 * shows: a container without a cgroup namespace sees its own cgroup mounted as the root).
 * Each controller is read from v1 when v1 has it (a hybrid system keeps memory and cpu there) and
 * from v2 otherwise.
 */
import { readKernelFile } from "./kernel-file.js";
import { parseMountinfo, type MountEntry } from "./mountinfo.js";
import { parseProcCgroup } from "./proc-cgroup.js";
import type { SystemRoots } from "./roots.js";

export type MemoryCgroup = { readonly version: 1 | 2; readonly dir: string };
export type CpuCgroup =
  | { readonly version: 2; readonly dir: string }
  | { readonly version: 1; readonly cpuDir: string; readonly cpuacctDir: string };

export interface OwnCgroup {
  /** The cgroup path as the process sees it (`/`, `/docker/abc...`, `/kubepods/...`). */
  readonly path: string;
  readonly memory: MemoryCgroup | undefined;
  readonly cpu: CpuCgroup | undefined;
}

/** This process's cgroup, or undefined when it is in none this process can see (not Linux, say). */
export function findOwnCgroup(roots: SystemRoots): OwnCgroup | undefined {
  const cgroupFile = `${roots.ownProc}/self/cgroup`;
  const mountinfoFile = `${roots.ownProc}/self/mountinfo`;
  const cgroup = parseProcCgroup(readKernelFile(cgroupFile), cgroupFile);
  const mounts = parseMountinfo(readKernelFile(mountinfoFile), mountinfoFile);

  const v1Dir = (controller: string) => {
    const path = cgroup.v1.get(controller);
    if (path === undefined) return undefined;
    const mount = mounts.find((m) => m.fsType === "cgroup" && m.superOptions.split(",").includes(controller));
    return mount && dirOf(mount, path, roots.ownRoot);
  };
  const v2Dir = () => {
    if (cgroup.v2 === undefined) return undefined;
    for (const mount of mounts.filter((m) => m.fsType === "cgroup2")) {
      const dir = dirOf(mount, cgroup.v2, roots.ownRoot);
      if (dir !== undefined) return dir;
    }
    return undefined;
  };

  const v2 = v2Dir();
  const v1Memory = v1Dir("memory");
  const v1Cpu = v1Dir("cpu");
  const v1Cpuacct = v1Dir("cpuacct");
  const inV2 = v2 === undefined ? undefined : ({ version: 2, dir: v2 } as const);
  const memory: MemoryCgroup | undefined = v1Memory !== undefined ? { version: 1, dir: v1Memory } : inV2;
  const cpu: CpuCgroup | undefined =
    v1Cpu !== undefined && v1Cpuacct !== undefined
      ? { version: 1, cpuDir: v1Cpu, cpuacctDir: v1Cpuacct }
      : inV2;
  if (memory === undefined && cpu === undefined) return undefined;
  const path = (v1Memory !== undefined ? cgroup.v1.get("memory") : cgroup.v2) ?? cgroup.v1.get("cpu") ?? "/";
  return { path, memory, cpu };
}

/** The directory of cgroup `path` under a mount of its hierarchy, if the mount shows it. */
function dirOf(mount: MountEntry, path: string, ownRoot: string): string | undefined {
  let below: string;
  if (mount.root === "/") below = path;
  else if (path === mount.root || path.startsWith(`${mount.root}/`)) below = path.slice(mount.root.length);
  else return undefined;
  return `${ownRoot}${mount.mountPath}${below === "/" ? "" : below}`;
}
