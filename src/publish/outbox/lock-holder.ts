/**
 * Who holds an outbox lock, named so that no two processes anywhere share a name: the host, the
 * kernel's boot, the PID namespace, the PID and the process's start time, and a random token. A
 * PID alone is not enough: two containers on one volume are both PID 1, and a PID is reused.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";

export interface LockHolder {
  readonly host: string;
  /** /proc/sys/kernel/random/boot_id: the same for every container of one boot of one kernel. */
  readonly bootId: string;
  /** The PID namespace (`pid:[4026531836]`): PIDs are comparable only within one. */
  readonly pidNamespace: string;
  readonly pid: number;
  /** The process's start time in clock ticks since boot (/proc/PID/stat field 22): tells a reused PID apart. */
  readonly startTicks: number;
  /** Random: unique even where /proc is unavailable. */
  readonly token: string;
  /** When the holder took the lock (ISO 8601), for messages. */
  readonly since: string;
}

function readOr(read: () => string, fallback: string): string {
  try {
    return read().trim();
  } catch {
    return fallback;
  }
}

/** The start time of a process in clock ticks since boot, or undefined when there is no such process. */
export function startTicksOf(pid: number | "self"): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // After "pid (comm) ": the state is field 3 of proc(5), the start time field 22.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[19]);
  return Number.isSafeInteger(ticks) ? ticks : undefined;
}

let self: LockHolder | undefined;

/** This process, as a lock holder (the same object for the life of the process). */
export function thisProcess(): LockHolder {
  self ??= Object.freeze({
    host: hostname(),
    bootId: readOr(() => readFileSync("/proc/sys/kernel/random/boot_id", "utf8"), ""),
    pidNamespace: readOr(() => readlinkSync("/proc/self/ns/pid"), ""),
    pid: process.pid,
    startTicks: startTicksOf("self") ?? 0,
    token: randomBytes(12).toString("hex"),
    since: new Date().toISOString(),
  });
  return self;
}

/** A holder read back from a lock file, or undefined when the text is not one (damaged, or an older format). */
export function parseHolder(text: string): LockHolder | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const h = value as Record<string, unknown>;
  const strings = ["host", "bootId", "pidNamespace", "token", "since"].every((k) => typeof h[k] === "string");
  const numbers = ["pid", "startTicks"].every((k) => Number.isSafeInteger(h[k]));
  return strings && numbers && h.token !== "" ? (value as LockHolder) : undefined;
}

/**
 * Whether the holder has provably exited: true when it ran under this kernel boot and in this PID
 * namespace and no process with its PID and start time exists; false when that process exists;
 * undefined when this process cannot see it (another host, container or boot): then only a lock
 * that stops being refreshed tells.
 */
export function holderIsGone(holder: LockHolder): boolean | undefined {
  const me = thisProcess();
  if (me.bootId === "" || me.pidNamespace === "") return undefined;
  if (holder.bootId !== me.bootId || holder.pidNamespace !== me.pidNamespace) return undefined;
  const ticks = startTicksOf(holder.pid);
  return ticks === undefined || ticks !== holder.startTicks;
}

export function describeHolder(holder: LockHolder | undefined): string {
  if (holder === undefined) return "a process that left no readable name in the lock";
  return `process ${holder.pid} on host ${holder.host} (running since ${holder.since})`;
}
