/**
 * What the labels a metric names do, each said once: a label in `labels` or `match` that no sample of
 * the family has (a typo, which would otherwise fold every series into one, or keep none, silently);
 * and a kept label whose values keep coming (a path with IDs in it, a client address): every value is
 * one more series, billed, so past MAX_LABEL_VALUES values since start it is named with its family.
 */

/** More values than this of one kept label, and the warning is given (once per family and label). */
export const MAX_LABEL_VALUES = 100;

export class LabelNotes {
  private readonly values = new Map<string, Set<string>>();
  private readonly warned = new Set<string>();

  /**
   * The names (of `labels` and `match`) that no sample of the family has, each said once. Only for a
   * family with samples: an empty one says nothing of its labels.
   */
  absent(
    family: string,
    samples: readonly { readonly labels: Readonly<Record<string, string>> }[],
    named: readonly (readonly [label: string, where: "labels" | "match"])[],
  ): string[] {
    if (samples.length === 0) return [];
    const notes: string[] = [];
    for (const [label, where] of named) {
      const key = `${family}\u0000${label}\u0000absent`;
      if (this.warned.has(key) || samples.some((s) => label in s.labels)) continue;
      this.warned.add(key);
      const known = [...new Set(samples.flatMap((s) => Object.keys(s.labels)))].filter(
        (l) => l !== "le" && l !== "quantile",
      );
      notes.push(
        `label "${label}" (in ${where}) is on no sample of family "${family}", whose labels are ${known.length === 0 ? "none" : known.join(", ")}; ${where === "labels" ? "every series is combined into one without it" : "no sample matches"}: check its spelling`,
      );
    }
    return notes;
  }

  /** The warnings this series' labels give now (none, usually). */
  observe(family: string, labels: readonly (readonly [label: string, value: string])[]): string[] {
    const notes: string[] = [];
    for (const [label, value] of labels) {
      const key = `${family}\u0000${label}`;
      if (this.warned.has(key)) continue;
      let seen = this.values.get(key);
      if (seen === undefined) this.values.set(key, (seen = new Set()));
      seen.add(value);
      if (seen.size <= MAX_LABEL_VALUES) continue;
      this.warned.add(key);
      this.values.delete(key);
      notes.push(
        `label "${label}" of family "${family}" has taken more than ${MAX_LABEL_VALUES} values; each value is one more series, billed as a metric: drop it from labels, or narrow it with match (limits.maxSeries caps the total)`,
      );
    }
    return notes;
  }
}
