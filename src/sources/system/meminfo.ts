/** /proc/meminfo: memory and swap of the host (or of whatever the kernel shows this mount namespace). */
import { SourceError } from "../types.js";

export interface Meminfo {
  readonly totalBytes: number;
  /** The kernel's estimate of memory available to new work without swapping (Linux ≥ 3.14). */
  readonly availableBytes: number;
  readonly swapTotalBytes: number;
  readonly swapFreeBytes: number;
}

const KIB = 1024;
const LINE = /^([A-Za-z0-9_()]+):\s+(\d+)(?: kB)?$/gm;

/** Parses meminfo; `path` names the file in errors. A missing field is an error, never a zero. */
export function parseMeminfo(text: string, path: string): Meminfo {
  const fields = new Map<string, number>();
  for (const match of text.matchAll(LINE)) fields.set(match[1]!, Number(match[2]) * KIB);
  const field = (name: string, why = "") => {
    const value = fields.get(name);
    if (value === undefined) throw new SourceError(`${path} has no ${name} line${why}`);
    return value;
  };
  return {
    totalBytes: field("MemTotal"),
    availableBytes: field("MemAvailable", " (it appeared in Linux 3.14)"),
    swapTotalBytes: field("SwapTotal"),
    swapFreeBytes: field("SwapFree"),
  };
}
