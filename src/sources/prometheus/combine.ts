/** `combine`: the values of the scraped series that fall into one published series, as one. */
import type { Combine } from "../../config/prometheus-options.js";

export function combined(how: Combine, values: readonly number[]): number {
  switch (how) {
    case "sum":
      return values.reduce((a, b) => a + b, 0);
    // A loop, not Math.max(...values): a spread of a scrape's 100,000+ samples overflows the stack.
    case "max":
      return values.reduce((a, b) => (b > a ? b : a), -Infinity);
    case "min":
      return values.reduce((a, b) => (b < a ? b : a), Infinity);
    case "avg":
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}
