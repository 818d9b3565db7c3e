/**
 * Finding what a command left behind outside its process group. A descendant that calls setsid (or
 * double-forks into a new group) is out of reach of killing the group, and may hold our output
 * pipes open forever. Every command runs with a marker in its environment, which its descendants
 * inherit, so they can be found under /proc and killed (the technique Jenkins' ProcessTreeKiller
 * uses). Linux only: elsewhere nothing is found, and the pipes are just closed on our side.
 */
import { readdir, readFile } from "node:fs/promises";

/** The environment variable that marks the processes of one read: `CWP_COMMAND_READ=<pid>-<n>`. */
export const READ_MARKER_VARIABLE = "CWP_COMMAND_READ";

let reads = 0;

/** A marker unique to one read of one process. */
export function newReadMarker(): string {
  reads += 1;
  return `${process.pid}-${reads}`;
}

/** The processes (other than this one) whose environment carries the marker. */
export async function markedProcesses(marker: string): Promise<number[]> {
  const entry = Buffer.from(`${READ_MARKER_VARIABLE}=${marker}\0`);
  let pids: number[];
  try {
    pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
  const found: number[] = [];
  await Promise.all(
    pids
      .filter((pid) => pid !== process.pid)
      .map(async (pid) => {
        const environ = await readFile(`/proc/${pid}/environ`).catch(() => undefined); // gone, or not ours
        if (environ === undefined) return;
        const at = environ.indexOf(entry);
        if (at === 0 || (at > 0 && environ[at - 1] === 0)) found.push(pid);
      }),
  );
  return found;
}

/** SIGKILLs every process carrying the marker; resolves with how many there were. */
export async function killMarkedProcesses(marker: string): Promise<number> {
  const pids = await markedProcesses(marker);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  return pids.length;
}
