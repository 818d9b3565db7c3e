/** `combine`: the values of the scraped series that fall into one published series, as one. */
import type { Combine } from "../../config/prometheus-options.js";

export function combined(how: Combine, values: readonly number[]): number {
  switch (how) {
    case "sum":
      return values.reduce((a, b) => a + b, 0);
    case "max":
      return Math.max(...values);
    case "min":
      return Math.min(...values);
    case "avg":
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}
