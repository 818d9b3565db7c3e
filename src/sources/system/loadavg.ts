/** /proc/loadavg: `0.20 0.18 0.12 1/80 11206` (load over 1, 5 and 15 minutes; runnable/total; last PID). */
import { sample } from "../number.js";
import { SourceError } from "../types.js";

export interface Loadavg {
  readonly load1: number;
  readonly load5: number;
  readonly load15: number;
}

const LOADAVG = /^\s*(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s/;

export function parseLoadavg(text: string, path: string): Loadavg {
  const match = LOADAVG.exec(text);
  if (match === null) throw new SourceError(`${path} is not in the loadavg format: ${sample(text)}`);
  return { load1: Number(match[1]), load5: Number(match[2]), load15: Number(match[3]) };
}
