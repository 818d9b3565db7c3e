/**
 * Host or container. `auto` picks the container's own cgroup when the process runs in a container
 * whose cgroup sets a memory limit or a CPU quota, and the host otherwise. A cgroup with limits alone
 * is not enough: systemd puts every service in one, and a host agent capped with MemoryMax= must
 * still report the host. A container is recognised by what runtimes leave in the cgroup path, or
 * by a cgroup namespace (the process sees its cgroup as `/`, yet `/` has limits, which the real
 * root cgroup never has).
 */
import { readCpuQuota, readMemoryLimit } from "./cgroup-usage.js";
import { findOwnCgroup, type OwnCgroup } from "./own-cgroup.js";
import type { SystemRoots } from "./roots.js";
import { SourceError } from "../types.js";

import type { Scope } from "../../config/system-options.js";

export type { Scope };
export type ResolvedScope = "host" | "container";

/** Cgroup path segments that container runtimes create: Docker, Kubernetes, containerd, CRI-O, Podman, LXC, ECS. */
const CONTAINER_SEGMENT =
  /^(?:docker|kubepods|cri-containerd|containerd|crio|libpod|lxc|ecs|actions_job)(?:$|[-.:_])/;

export interface ScopeResolution {
  readonly scope: ResolvedScope;
  /** Why, for the startup log: `auto: container (cgroup /docker/3f2a..., memory limit 268435456 bytes)`. */
  readonly reason: string;
  /** The process's cgroup: always present for container scope. */
  readonly cgroup: OwnCgroup | undefined;
}

/** A segment such as `docker-3f2a.scope` or `kubepods`; `docker.service` is the daemon's own unit, not a container. */
export function looksLikeContainer(cgroupPath: string): boolean {
  return cgroupPath
    .split("/")
    .some((segment) => CONTAINER_SEGMENT.test(segment) && !segment.endsWith(".service"));
}

/** Throws a SourceError when `container` is asked for and no cgroup of this process can be found. */
export function resolveScope(requested: Scope, roots: SystemRoots): ScopeResolution {
  if (requested === "host") return { scope: "host", reason: "host (as configured)", cgroup: undefined };
  // Whoever mounted the host's /proc and named it wants the host, even from a container with limits.
  if (requested === "auto" && roots.hostProcNamed)
    return { scope: "host", reason: `auto: host (HOST_PROC is ${roots.hostProc})`, cgroup: undefined };
  let cgroup: OwnCgroup | undefined;
  let problem = "this process is in no cgroup it can see";
  try {
    cgroup = findOwnCgroup(roots);
  } catch (error) {
    if (requested === "container") throw error;
    problem = (error as Error).message;
  }
  if (requested === "container") {
    if (cgroup === undefined) throw new SourceError(`scope container: ${problem}`);
    return { scope: "container", reason: `container (as configured; cgroup ${cgroup.path})`, cgroup };
  }
  if (cgroup === undefined) return { scope: "host", reason: `auto: host (${problem})`, cgroup };
  const limits = limitsOf(cgroup);
  const inContainer = looksLikeContainer(cgroup.path) || (cgroup.path === "/" && limits.length > 0);
  if (!inContainer)
    return { scope: "host", reason: `auto: host (cgroup ${cgroup.path} is not a container's)`, cgroup };
  if (limits.length === 0)
    return { scope: "host", reason: `auto: host (container cgroup ${cgroup.path} sets no limit)`, cgroup };
  return {
    scope: "container",
    reason: `auto: container (cgroup ${cgroup.path}, ${limits.join(", ")})`,
    cgroup,
  };
}

/** The limits the cgroup sets, described; unreadable files count as no limit. */
function limitsOf(cgroup: OwnCgroup): string[] {
  const limits: string[] = [];
  const quietly = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch {
      return undefined;
    }
  };
  const memory = cgroup.memory && quietly(() => readMemoryLimit(cgroup.memory!));
  if (memory !== undefined) limits.push(`memory limit ${memory} bytes`);
  const cpus = cgroup.cpu && quietly(() => readCpuQuota(cgroup.cpu!));
  if (cpus !== undefined) limits.push(`CPU quota ${cpus} CPUs`);
  return limits;
}
