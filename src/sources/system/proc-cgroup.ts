/**
 * /proc/self/cgroup (cgroups(7)): one line per hierarchy, `hierarchy-id:controllers:path`.
 * cgroup v2 is the line `0::/path`; v1 lines name their controllers (`4:memory:/docker/abc`,
 * `2:cpu,cpuacct:/docker/abc`). A hybrid system has both.
 */
import { sample } from "../number.js";
import { SourceError } from "../types.js";

export interface ProcCgroup {
  /** The v2 path, when the process is in a v2 hierarchy. */
  readonly v2: string | undefined;
  /** The v1 path of each controller (`memory`, `cpu`, `cpuacct`, ...). */
  readonly v1: ReadonlyMap<string, string>;
}

export function parseProcCgroup(text: string, path: string): ProcCgroup {
  let v2: string | undefined;
  const v1 = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const first = line.indexOf(":");
    const second = line.indexOf(":", first + 1);
    if (first < 0 || second < 0) throw new SourceError(`${path} has a malformed line: ${sample(line)}`);
    const controllers = line.slice(first + 1, second);
    const cgroupPath = line.slice(second + 1);
    if (line.slice(0, first) === "0" && controllers === "") v2 = cgroupPath;
    else for (const controller of controllers.split(",")) v1.set(controller, cgroupPath);
  }
  return { v2, v1 };
}
