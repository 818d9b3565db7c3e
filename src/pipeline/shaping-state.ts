/**
 * The state the shaping stage starts from, kept in the outbox directory. The counter baselines of one
 * process: those of `transform: delta | rate` (by series key) and those a source keeps itself (the
 * prometheus source's, per scraped series, under its metric's prefix) — one object, one file
 * (shaping/counter-store.ts). And the open aggregation periods (shaping/aggregate-snapshot.ts).
 */
import type { Logger } from "../log.js";
import { plural } from "../common/plural.js";
import { loadCounterState, MAX_BASELINE_AGE_MS } from "../shaping/counter-store.js";
import type { TransformState } from "../shaping/transform.js";
import type { CounterBaselines } from "../sources/types.js";
import type { MetricIdentity } from "../cloudwatch/datum.js";
import type { AggregateWindow } from "../shaping/aggregate-window.js";
import { restoreAggregateState } from "../shaping/aggregate-snapshot.js";
import type { Stats } from "./stats.js";

/** The saved baselines young enough to use (empty without an outbox directory); problems logged once. */
export function loadBaselines(outboxDir: string | undefined, logger: Logger, now: number): TransformState {
  const state = Object.create(null) as TransformState;
  if (outboxDir === undefined) return state;
  const loaded = loadCounterState(outboxDir, now);
  Object.assign(state, loaded.state);
  if (loaded.problem !== undefined) logger.warn(`counter baselines in ${outboxDir}: ${loaded.problem}`);
  if (loaded.expired > 0)
    logger.info(
      `${plural(loaded.expired, "counter baseline")} older than ${MAX_BASELINE_AGE_MS / 60_000} minutes not used: those counters start from a new baseline`,
    );
  return state;
}

/** A source's view of the baselines: its keys under `prefix`; every change calls `changed`. */
export function scopedBaselines(
  state: TransformState,
  prefix: string,
  changed: () => void,
): CounterBaselines {
  return {
    get: (key) => state[prefix + key],
    set: (key, baseline) => {
      state[prefix + key] = baseline;
      changed();
    },
    delete: (key) => {
      if (!(prefix + key in state)) return;
      Reflect.deleteProperty(state, prefix + key);
      changed();
    },
  };
}

/** The open aggregation periods saved in the outbox directory, back in `window` for the series still aggregated. */
export function restoreWindow(
  outboxDir: string,
  window: AggregateWindow<MetricIdentity>,
  byKey: ReadonlyMap<string, MetricIdentity>,
  logger: Logger,
  stats: Stats,
): void {
  const restored = restoreAggregateState(outboxDir, window, (key) => byKey.get(key));
  if (restored.problem !== undefined) logger.warn(`aggregation periods in ${outboxDir}: ${restored.problem}`);
  if (restored.droppedSamples > 0) {
    stats.drop("unconfigured", restored.droppedSamples);
    logger.warn(
      `${plural(restored.droppedSamples, "saved read")} of series no longer aggregated by this config dropped`,
      { reason: "unconfigured", dropped: restored.droppedSamples },
    );
  }
  if (restored.restored > 0)
    logger.info(`${plural(restored.restored, "open aggregation period")} restored from ${outboxDir}`);
}
