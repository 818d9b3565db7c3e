/**
 * Every value a kept label takes is one more series, and CloudWatch bills each series. A label whose
 * values keep coming (a path with IDs in it, a client address) is warned about once, naming the
 * family and the label, when it has taken more than MAX_LABEL_VALUES values since start.
 */

/** More values than this of one kept label, and the warning is given (once per family and label). */
export const MAX_LABEL_VALUES = 100;

export class LabelGrowth {
  private readonly values = new Map<string, Set<string>>();
  private readonly warned = new Set<string>();

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
