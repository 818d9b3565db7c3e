/**
 * `rollups`: extra copies of every datum of a metric with only some of its dimensions, so that the
 * fleet-wide series exist (CloudWatch does not aggregate custom metrics across dimensions). Each
 * rollup is a list of dimension names; [] keeps none. The dimension sets are computed once per
 * metric (rollupDimensions); per datum only the series changes (expandRollups).
 */
import { closest } from "../common/suggest.js";

export type Rollup = readonly string[];
export type Dimensions = Readonly<Record<string, string>>;

/** The dimensions of each rollup's copy: the metric's own, kept only where the rollup names them. */
export function rollupDimensions(dimensions: Dimensions, rollups: readonly Rollup[]): Dimensions[] {
  return rollups.map((names) => {
    const kept: Record<string, string> = {};
    for (const name of names) if (Object.hasOwn(dimensions, name)) kept[name] = dimensions[name]!;
    return kept;
  });
}

/** The datum once as it is and once per rollup series, in the order the rollups are listed. */
export function expandRollups<D extends { readonly metric: unknown }>(
  datum: D,
  rollupSeries: readonly D["metric"][],
): D[] {
  if (rollupSeries.length === 0) return [datum];
  const out: D[] = [datum];
  for (const metric of rollupSeries) out.push({ ...datum, metric });
  return out;
}

/** One problem of a rollup list, located by the rollup's and the name's index. */
export interface RollupProblem {
  readonly rollup: number;
  /** The name's index in the rollup; undefined when the problem is the rollup as a whole. */
  readonly name: number | undefined;
  readonly message: string;
}

/**
 * Every reason the rollups of a metric with these dimension names cannot be used: a name that is
 * not one of them (with did-you-mean), a name listed twice in one rollup, a rollup that keeps every
 * dimension (it would publish each datum twice into the metric's own series) and a rollup listed
 * twice. Rollups of different metrics landing on one series are intended, so not checked here.
 */
export function rollupProblems(
  rollups: readonly Rollup[],
  dimensionNames: readonly string[],
): RollupProblem[] {
  const problems: RollupProblem[] = [];
  const known = new Set(dimensionNames);
  const seen = new Map<string, number>();
  rollups.forEach((names, rollup) => {
    const inRollup = new Set<string>();
    names.forEach((name, index) => {
      if (!known.has(name)) {
        const listed =
          dimensionNames.length === 0
            ? "it has none"
            : `it has ${dimensionNames.map((n) => JSON.stringify(n)).join(", ")}`;
        const guess = closest(name, dimensionNames);
        const hint = guess === undefined ? "" : `; did you mean ${JSON.stringify(guess)}?`;
        problems.push({
          rollup,
          name: index,
          message: `${JSON.stringify(name)} is not one of the metric's dimensions (${listed})${hint}`,
        });
      } else if (inRollup.has(name)) {
        problems.push({
          rollup,
          name: index,
          message: `${JSON.stringify(name)} is listed twice in this rollup`,
        });
      }
      inRollup.add(name);
    });
    const kept = [...inRollup].filter((n) => known.has(n)).sort();
    if (dimensionNames.length > 0 && kept.length === known.size && names.every((n) => known.has(n))) {
      problems.push({
        rollup,
        name: undefined,
        message: "keeps every dimension, so it is the metric's own series and would count each read twice",
      });
    } else if (dimensionNames.length === 0 && names.length === 0) {
      problems.push({
        rollup,
        name: undefined,
        message:
          "the metric has no dimensions, so [] is the metric's own series and would count each read twice",
      });
    }
    // A rollup with an unknown name is reported for it; comparing what is left of it would mislead.
    if (!names.every((n) => known.has(n))) return;
    const id = JSON.stringify(kept);
    const earlier = seen.get(id);
    if (earlier !== undefined)
      problems.push({ rollup, name: undefined, message: `is the same series as rollups[${earlier}]` });
    else seen.set(id, rollup);
  });
  return problems;
}
