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

const BUCKET_SEPARATOR = "\u0002";

export class Increases {
  private seen = new Set<string>();
  private seenBefore = new Set<string>();
  /** The scheduled instant of the previous scrape that found the family, in this process. */
  private previousScrape: number | undefined;

  constructor(
    private readonly baselines: CounterBaselines,
    private readonly transform: Exclude<Transform, "none">,
  ) {}

  /** A counter's increase (or rate) since the previous scrape. */
  counter(series: string, value: number, scheduledAt: number): Increase<number> {
    if (!Number.isFinite(value)) {
      this.seen.add(series); // still on the endpoint: its baseline stays for the next good value
      return { kind: "skipped", reason: `the counter's value is ${value}` };
    }
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
   * After a scrape that found the family: baselines of series not seen in it are forgotten, and
   * series new in the next scrape count from zero.
   */
  commit(scheduledAt: number): void {
    for (const key of this.seenBefore) if (!this.seen.has(key)) this.baselines.delete(key);
    this.seenBefore = this.seen;
    this.seen = new Set();
    this.previousScrape = scheduledAt;
  }

  private previous(key: string) {
    const saved = this.baselines.get(key);
    if (saved !== undefined || this.previousScrape === undefined) return saved;
    return { value: 0, scheduledAt: this.previousScrape };
  }

  private record(key: string, baseline: { value: number; scheduledAt: number }): void {
    this.baselines.set(key, baseline);
    this.seen.add(key);
  }
}
