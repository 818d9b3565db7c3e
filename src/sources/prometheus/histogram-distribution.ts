/**
 * A histogram series' bucket increases over one interval → Values + Counts. Each bucket's own count
 * is its cumulative increase minus the one below; its value is its upper bound (`le`), or the middle
 * between it and the bound below with `histogram: midpoint`. The `+Inf` bucket's observations are
 * put at the largest finite bound, so sum(Counts) is the increase of the series' count.
 */
import type { Distribution } from "../../cloudwatch/datum.js";
import type { HistogramValue } from "../../config/prometheus-options.js";

export type DistributionOutcome =
  | { readonly ok: true; readonly distribution: Distribution | undefined }
  | { readonly ok: false; readonly reason: string };

/**
 * `bounds` ascending, `+Inf` last; `increases` cumulative, as the buckets are. Undefined distribution:
 * nothing was observed in the interval (no datum: CloudWatch shows no data for it).
 */
export function histogramDistribution(
  bounds: readonly number[],
  increases: readonly number[],
  how: HistogramValue,
): DistributionOutcome {
  const finite = bounds.length - 1;
  if (finite < 1) return { ok: false, reason: "the histogram has no bucket but +Inf" };
  const values: number[] = [];
  const counts: number[] = [];
  let below = 0;
  for (let i = 0; i <= finite; i++) {
    if (!Number.isFinite(increases[i]))
      return {
        ok: false,
        reason: `its le="${i === finite ? "+Inf" : bounds[i]}" bucket is not a finite number`,
      };
    const count = increases[i]! - below;
    if (count < 0)
      return {
        ok: false,
        reason: `its buckets are not cumulative (le="${bounds[i]}" holds fewer observations than le="${bounds[i - 1]}")`,
      };
    below = increases[i]!;
    if (count === 0) continue;
    const at = i === finite ? bounds[finite - 1]! : valueOf(bounds, i, how);
    if (values.length > 0 && values[values.length - 1] === at) counts[counts.length - 1]! += count;
    else {
      values.push(at);
      counts.push(count);
    }
  }
  return { ok: true, distribution: values.length === 0 ? undefined : { values, counts } };
}

function valueOf(bounds: readonly number[], i: number, how: HistogramValue): number {
  const upper = bounds[i]!;
  if (how === "upperBound") return upper;
  const lower = i > 0 ? bounds[i - 1]! : Math.min(0, upper);
  return (lower + upper) / 2;
}
