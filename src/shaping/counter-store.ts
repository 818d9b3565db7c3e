/**
 * The counter baselines of `transform: delta | rate`, kept in one file next to the outbox, so the
 * first read after a restart publishes the increase since the last read before it. A baseline older
 * than MAX_BASELINE_AGE_MS is not used: its increase would be published as one datum at one instant.
 */
import { join } from "node:path";
import { readStateFile, writeStateFile, type StateFileWrite } from "./state-file.js";
import type { Baseline, TransformState } from "./transform.js";

/** The file's name inside `delivery.outboxDir`. */
export const COUNTER_STATE_FILE = "counter-baselines.json";
/** Bumped when the file's shape changes; a file of another version is ignored with a reason. */
export const COUNTER_STATE_VERSION = 1;
/**
 * How old a saved baseline may be and still be used after a restart: one hour. Older, the first
 * read after the restart only sets the baseline again (the increase of the gap is not published as
 * one spike at one instant).
 */
export const MAX_BASELINE_AGE_MS = 60 * 60 * 1000;

export function counterStatePath(outboxDir: string): string {
  return join(outboxDir, COUNTER_STATE_FILE);
}

interface CounterStateFile {
  readonly version: number;
  readonly savedAt: number;
  readonly baselines: TransformState;
}

export interface CounterStateLoad {
  /** The baselines to start from (empty when nothing usable was saved). */
  readonly state: TransformState;
  /** How many saved baselines were too old to use. */
  readonly expired: number;
  /** Why the saved file was ignored as a whole, for one log line; undefined when it was used or absent. */
  readonly problem: string | undefined;
}

function isBaseline(value: unknown): value is Baseline {
  if (typeof value !== "object" || value === null) return false;
  const { value: v, scheduledAt } = value as Record<string, unknown>;
  return (
    typeof v === "number" &&
    Number.isFinite(v) &&
    typeof scheduledAt === "number" &&
    Number.isFinite(scheduledAt)
  );
}

function parseCounterState(
  json: unknown,
): { ok: true; value: CounterStateFile } | { ok: false; reason: string } {
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return { ok: false, reason: "not a JSON object" };
  const { version, savedAt, baselines } = json as Record<string, unknown>;
  if (version !== COUNTER_STATE_VERSION)
    return {
      ok: false,
      reason: `version ${JSON.stringify(version)}; this publisher reads version ${COUNTER_STATE_VERSION}`,
    };
  if (typeof savedAt !== "number" || !Number.isFinite(savedAt))
    return { ok: false, reason: "savedAt is not a number" };
  if (typeof baselines !== "object" || baselines === null || Array.isArray(baselines))
    return { ok: false, reason: "baselines is not a JSON object" };
  const checked: TransformState = Object.create(null) as TransformState;
  for (const [key, baseline] of Object.entries(baselines)) {
    if (!isBaseline(baseline))
      return { ok: false, reason: `the baseline of ${key} is not {value, scheduledAt} numbers` };
    checked[key] = { value: baseline.value, scheduledAt: baseline.scheduledAt };
  }
  return { ok: true, value: { version, savedAt, baselines: checked } };
}

/**
 * The saved baselines younger than `maxAgeMs` at `nowMs`. Never fails: an unreadable or corrupt file
 * means starting fresh, and `problem` says why (the caller logs it once).
 */
export function loadCounterState(
  outboxDir: string,
  nowMs: number,
  maxAgeMs = MAX_BASELINE_AGE_MS,
): CounterStateLoad {
  const path = counterStatePath(outboxDir);
  const read = readStateFile(path, parseCounterState);
  const fresh = Object.create(null) as TransformState;
  if (read.kind === "missing") return { state: fresh, expired: 0, problem: undefined };
  if (read.kind === "unusable")
    return { state: fresh, expired: 0, problem: `${read.reason}; counters start from a new baseline` };
  let expired = 0;
  for (const [key, baseline] of Object.entries(read.value.baselines)) {
    if (nowMs - baseline.scheduledAt > maxAgeMs) expired++;
    else fresh[key] = baseline;
  }
  return { state: fresh, expired, problem: undefined };
}

/** Saves every baseline atomically (state-file.ts); a failure is returned, for the caller to log and count. */
export function saveCounterState(outboxDir: string, state: TransformState, nowMs: number): StateFileWrite {
  const file: CounterStateFile = { version: COUNTER_STATE_VERSION, savedAt: nowMs, baselines: state };
  return writeStateFile(counterStatePath(outboxDir), file);
}
