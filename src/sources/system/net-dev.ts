/**
 * /proc/net/dev: counters of each network interface of a network namespace. After two header lines,
 * `  eth0: rx-bytes rx-packets rx-errs ... (8 receive fields) tx-bytes tx-packets tx-errs ...`.
 * A large count can touch the colon (`eth0:627194068`), so the name ends at the last colon.
 */
import { sample } from "../number.js";
import { SourceError } from "../types.js";

export interface NetDevStats {
  readonly name: string;
  readonly rxBytes: number;
  readonly rxErrors: number;
  readonly txBytes: number;
  readonly txErrors: number;
}

const HEADER_LINES = 2;
const RECEIVE_FIELDS = 8;
const TRANSMIT_FIELDS = 8;

export function parseNetDev(text: string, path: string): NetDevStats[] {
  const interfaces: NetDevStats[] = [];
  for (const line of text.split("\n").slice(HEADER_LINES)) {
    if (line.trim() === "") continue;
    const colon = line.lastIndexOf(":");
    const fields = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    if (
      colon < 1 ||
      fields.length < RECEIVE_FIELDS + TRANSMIT_FIELDS ||
      fields.some((f) => !Number.isFinite(f))
    )
      throw new SourceError(`${path} has a malformed line: ${sample(line)}`);
    interfaces.push({
      name: line.slice(0, colon).trim(),
      rxBytes: fields[0]!,
      rxErrors: fields[2]!,
      txBytes: fields[RECEIVE_FIELDS]!,
      txErrors: fields[RECEIVE_FIELDS + 2]!,
    });
  }
  return interfaces;
}
