/**
 * The open periods of an AggregateWindow as one JSON file next to the outbox, so a restart (or a
 * SIGKILL, if the caller saved recently) does not lose the samples of the period under way. What a
 * crash loses is exactly the reads added since the last save; saving after each close() also keeps
 * a closed period from being restored and published twice.
 */
import { join } from "node:path";
import { AGGREGATE_MODES, addSample, type AggregateMode, type AggregateWindow } from "./aggregate-window.js";
import { readStateFile, writeStateFile, type StateFileWrite } from "./state-file.js";

export const AGGREGATE_STATE_FILE = "aggregate-open-periods.json";
export const AGGREGATE_STATE_VERSION = 1;

/** One open period: `values` as [value, count] pairs, or `statistics` as [count, sum, min, max]. */
interface SavedPeriod {
  readonly key: string;
  readonly periodMs: number;
  readonly mode: AggregateMode;
  readonly start: number;
  readonly samples: readonly (readonly number[])[];
}

interface AggregateStateFile {
  readonly version: number;
  readonly savedAt: number;
  readonly periods: readonly SavedPeriod[];
}

export function aggregateStatePath(outboxDir: string): string {
  return join(outboxDir, AGGREGATE_STATE_FILE);
}

export function saveAggregateState(
  outboxDir: string,
  window: AggregateWindow<unknown>,
  nowMs: number,
): StateFileWrite {
  const periods: SavedPeriod[] = [];
  for (const { key, period } of window.openPeriods()) {
    const samples =
      period.stats !== undefined
        ? [[period.stats.count, period.stats.sum, period.stats.min, period.stats.max]]
        : [...period.counts!];
    periods.push({
      key,
      periodMs: period.rule.periodMs,
      mode: period.rule.mode,
      start: period.start,
      samples,
    });
  }
  const file: AggregateStateFile = { version: AGGREGATE_STATE_VERSION, savedAt: nowMs, periods };
  return writeStateFile(aggregateStatePath(outboxDir), file);
}

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function parsePeriod(raw: unknown): SavedPeriod | string {
  if (typeof raw !== "object" || raw === null) return "a period is not an object";
  const { key, periodMs, mode, start, samples } = raw as Record<string, unknown>;
  if (typeof key !== "string") return "a period has no series key";
  if (!finite(periodMs) || periodMs <= 0 || !finite(start)) return `period of ${key}: bad periodMs or start`;
  if (!(AGGREGATE_MODES as readonly unknown[]).includes(mode)) return `period of ${key}: unknown mode`;
  const width = mode === "values" ? 2 : 4;
  if (
    !Array.isArray(samples) ||
    !samples.every((s) => Array.isArray(s) && s.length === width && s.every(finite))
  )
    return `period of ${key}: samples are not ${width}-number lists`;
  if (mode === "statistics" && samples.length !== 1) return `period of ${key}: statistics need one set`;
  return { key, periodMs, mode: mode as AggregateMode, start, samples: samples as number[][] };
}

function parseAggregateState(
  json: unknown,
): { ok: true; value: AggregateStateFile } | { ok: false; reason: string } {
  if (typeof json !== "object" || json === null) return { ok: false, reason: "not a JSON object" };
  const { version, savedAt, periods } = json as Record<string, unknown>;
  if (version !== AGGREGATE_STATE_VERSION)
    return {
      ok: false,
      reason: `version ${JSON.stringify(version)}; this publisher reads version ${AGGREGATE_STATE_VERSION}`,
    };
  if (!finite(savedAt) || !Array.isArray(periods)) return { ok: false, reason: "savedAt or periods missing" };
  const parsed: SavedPeriod[] = [];
  for (const raw of periods) {
    const period = parsePeriod(raw);
    if (typeof period === "string") return { ok: false, reason: period };
    parsed.push(period);
  }
  return { ok: true, value: { version, savedAt, periods: parsed } };
}

export interface AggregateRestore {
  /** Periods put back into the window. */
  readonly restored: number;
  /** Saved reads whose series the config no longer has: not published; the caller logs and counts them. */
  readonly droppedSamples: number;
  /** Why the whole file was ignored, for one log line; undefined when it was used or absent. */
  readonly problem: string | undefined;
}

/**
 * Puts the saved open periods back into `window`; `resolve` maps a series key to the caller's series
 * (undefined: no longer configured). Periods that ended meanwhile are emitted by the next close().
 */
export function restoreAggregateState<S>(
  outboxDir: string,
  window: AggregateWindow<S>,
  resolve: (key: string) => S | undefined,
): AggregateRestore {
  const read = readStateFile(aggregateStatePath(outboxDir), parseAggregateState);
  if (read.kind === "missing") return { restored: 0, droppedSamples: 0, problem: undefined };
  if (read.kind === "unusable")
    return {
      restored: 0,
      droppedSamples: 0,
      problem: `${read.reason}; the open aggregation periods start empty`,
    };
  let restored = 0;
  let droppedSamples = 0;
  for (const saved of read.value.periods) {
    const series = resolve(saved.key);
    if (series === undefined) {
      droppedSamples +=
        saved.mode === "values" ? saved.samples.reduce((n, s) => n + s[1]!, 0) : saved.samples[0]![0]!;
      continue;
    }
    const period = window.periodFor(
      saved.key,
      series,
      { periodMs: saved.periodMs, mode: saved.mode },
      saved.start,
    );
    if (saved.mode === "values") for (const [value, count] of saved.samples) addSample(period, value!, count);
    else {
      const [count, sum, min, max] = saved.samples[0]!;
      const stats = period.stats!;
      stats.count += count!;
      stats.sum += sum!;
      stats.min = Math.min(stats.min, min!);
      stats.max = Math.max(stats.max, max!);
    }
    restored++;
  }
  return { restored, droppedSamples, problem: undefined };
}
