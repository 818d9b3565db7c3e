/** /proc/uptime: `350735.47 234388.90` (seconds since boot; seconds all CPUs spent idle). */
import { sample } from "../number.js";
import { SourceError } from "../types.js";

const UPTIME = /^\s*(\d+(?:\.\d+)?)\s/;

/** Seconds since boot. */
export function parseUptime(text: string, path: string): number {
  const match = UPTIME.exec(text);
  if (match === null) throw new SourceError(`${path} is not in the uptime format: ${sample(text)}`);
  return Number(match[1]);
}
