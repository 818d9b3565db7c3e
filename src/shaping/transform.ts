/**
 * `transform`: what is published for a read of a cumulative counter. `delta` publishes the increase
 * since the previous read, `rate` that increase per second of the time between the two reads'
 * SCHEDULED instants (so a late read does not bend the rate). A value lower than the previous one
 * is a counter reset: the increase is the new value itself, as the counter restarted from zero.
 * Pure: the baselines are a plain object the caller owns and persists (see counter-store.ts).
 */

export { TRANSFORMS, type Transform } from "../config/types.js";
import type { Transform } from "../config/types.js";

/** The previous read of one series: its value and the instant it was scheduled for (ms since the epoch). */
export interface Baseline {
  readonly value: number;
  readonly scheduledAt: number;
}

/** Every series' baseline by series key (series-key.ts); JSON-serialisable as it is. */
export type TransformState = Record<string, Baseline>;

export type TransformOutcome =
  /** Publish this value (already transformed); `reset` when the counter went down. */
  | { readonly kind: "value"; readonly value: number; readonly reset: boolean }
  /** Nothing to publish: this read only set the baseline (the first read of the series). */
  | { readonly kind: "baseline" }
  /** Nothing to publish, and why; the read became the new baseline. */
  | { readonly kind: "skipped"; readonly reason: string };

/**
 * The outcome of one read, given the series' previous read (undefined for the first), and the new
 * baseline. Pure: `applyTransform` below is the form that updates a TransformState.
 */
export function transformStep(
  transform: Transform,
  previous: Baseline | undefined,
  value: number,
  scheduledAt: number,
): { readonly outcome: TransformOutcome; readonly baseline: Baseline | undefined } {
  if (transform === "none") return { outcome: { kind: "value", value, reset: false }, baseline: previous };
  const baseline: Baseline = { value, scheduledAt };
  if (previous === undefined) return { outcome: { kind: "baseline" }, baseline };
  const reset = value < previous.value;
  const increase = reset ? value : value - previous.value;
  if (transform === "delta") return { outcome: { kind: "value", value: increase, reset }, baseline };
  const seconds = (scheduledAt - previous.scheduledAt) / 1000;
  if (!(seconds > 0)) {
    const when = new Date(previous.scheduledAt).toISOString();
    return {
      outcome: {
        kind: "skipped",
        reason: `rate needs a later scheduled instant than the previous read's (${when}); this read is the new baseline`,
      },
      baseline,
    };
  }
  return { outcome: { kind: "value", value: increase / seconds, reset }, baseline };
}

/** transformStep on a state the caller keeps: reads and updates `state[key]`. */
export function applyTransform(
  state: TransformState,
  key: string,
  transform: Transform,
  value: number,
  scheduledAt: number,
): TransformOutcome {
  if (transform === "none") return { kind: "value", value, reset: false };
  const { outcome, baseline } = transformStep(transform, state[key], value, scheduledAt);
  if (baseline !== undefined) state[key] = baseline;
  return outcome;
}
