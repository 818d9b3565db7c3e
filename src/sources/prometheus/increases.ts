/**
 * The increase of each scraped series of one metric since the previous scrape, before any combining
 * (as Prometheus' `sum(increase(x))`), so a reset of one series never makes the combined value
 * negative or huge. Counters go through shaping/transform.ts — the same rule as `transform:` — and a
 * histogram's buckets reset together: if any bucket went down, the whole series restarted.
 *
 * A series first seen in a later scrape (a new label value: the first 500 error) counts from zero:
 * client libraries create a labelled child at its first increment, so all of its value is new. Only
 * the first scrape after start, for series without a saved baseline, sets baselines and publishes
 * nothing. Baselines live in the pipeline's counter store (saved with the outbox), and those of
 * series gone from the endpoint are forgotten.
 */
import { transformStep } from "../../shaping/transform.js";
import type { Transform } from "../../config/types.js";
import type { CounterBaselines } from "../types.js";

export type Increase<V> =
  | { readonly kind: "value"; readonly value: V }
  /** The first sight of a series on the first scrape: nothing to publish yet. */
  | { readonly kind: "baseline" }
  | { readonly kind: "skipped"; readonly reason: string };

/** A bucket bound as the exposition writes it (`+Inf`). */
const leText = (bound: number): string => (bound === Infinity ? "+Inf" : String(bound));

const BUCKET_SEPARATOR = "\u0002";

export class Increases {
  /** Baseline keys recorded by this scrape, and those of the previous scrape. */
  private recorded = new Set<string>();
  private recordedBefore = new Set<string>();
  /** Series this scrape found but could not read (a NaN, a bucket missing): their baselines are kept. */
  private held = new Set<string>();
  /** The scheduled instant of the previous scrape that found the family, in this process. */
  private previousScrape: number | undefined;

  constructor(
    private readonly baselines: CounterBaselines,
    private readonly transform: Exclude<Transform, "none">,
  ) {}

  /** A counter's increase (or rate) since the previous scrape. */
  counter(series: string, value: number, scheduledAt: number): Increase<number> {
    const unread = this.unreadable(series, [value]);
    if (unread !== undefined) return unread;
    const { outcome, baseline } = transformStep(this.transform, this.previous(series), value, scheduledAt);
    this.record(series, baseline!);
    return outcome.kind === "value" ? { kind: "value", value: outcome.value } : outcome;
  }

  /**
   * Each cumulative bucket's increase, bounds in order (`+Inf` last). A bucket lower than before, or a
   * different set of bounds, is a restart: the increases are the current counts.
   */
  buckets(
    series: string,
    bounds: readonly number[],
    cumulative: readonly number[],
    scheduledAt: number,
  ): Increase<number[]> {
    const unread = this.unreadable(series, cumulative, bounds);
    if (unread !== undefined) return unread;
    const keys = bounds.map((bound) => `${series}${BUCKET_SEPARATOR}${bound}`);
    const saved = keys.map((key) => this.baselines.get(key));
    const previous = keys.map((key) => this.previous(key)?.value);
    keys.forEach((key, i) => {
      this.record(key, { value: cumulative[i]!, scheduledAt });
    });
    if (previous.every((p) => p === undefined)) return { kind: "baseline" };
    // A bound the series did not have (while it had others): its buckets changed, as only a restart does.
    const newBound = saved.some((b) => b === undefined) && saved.some((b) => b !== undefined);
    const restarted = newBound || previous.some((p, i) => p === undefined || cumulative[i]! < p);
    return {
      kind: "value",
      value: restarted ? [...cumulative] : cumulative.map((c, i) => c - previous[i]!),
    };
  }

  /**
   * A series found but not read this scrape: its baselines are kept, so a scrape where it was NaN or
   * lacked its +Inf bucket does not make the next one publish its whole cumulative value.
   */
  hold(series: string): void {
    this.held.add(series);
  }

  /**
   * After a scrape that found the family: baselines of series not seen in it are forgotten, and
   * series new in the next scrape count from zero.
   */
  commit(scheduledAt: number): void {
    const kept = this.recorded;
    for (const key of this.recordedBefore) {
      if (kept.has(key)) continue;
      if (this.held.has(seriesOf(key))) kept.add(key);
      else this.baselines.delete(key);
    }
    this.recordedBefore = kept;
    this.recorded = new Set();
    this.held = new Set();
    this.previousScrape = scheduledAt;
  }

  /** Why a series cannot be read (its baselines then kept): a value no counter takes (NaN, ±Inf, below 0). */
  private unreadable(
    series: string,
    values: readonly number[],
    bounds?: readonly number[],
  ): Increase<never> | undefined {
    const at = values.findIndex((value) => !(Number.isFinite(value) && value >= 0));
    if (at === -1) return undefined;
    this.hold(series);
    const what = bounds === undefined ? "the counter's value" : `its le="${leText(bounds[at]!)}" bucket`;
    return { kind: "skipped", reason: `${what} is ${values[at]}, which no counter takes` };
  }

  private previous(key: string) {
    const saved = this.baselines.get(key);
    if (saved !== undefined || this.previousScrape === undefined) return saved;
    return { value: 0, scheduledAt: this.previousScrape };
  }

  private record(key: string, baseline: { value: number; scheduledAt: number }): void {
    this.baselines.set(key, baseline);
    this.recorded.add(key);
  }
}

/** The series a baseline key belongs to: a counter's key is its series, a bucket's has its bound after it. */
function seriesOf(key: string): string {
  const separator = key.indexOf(BUCKET_SEPARATOR);
  return separator === -1 ? key : key.slice(0, separator);
}
