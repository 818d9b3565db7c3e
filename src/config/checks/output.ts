/** With `output: emf`, the metrics whose names EMF cannot carry (the encoder's own rule, emf-series.ts). */
import { emfSeriesProblem } from "../../output/emf-series.js";
import type { ConfigIssue } from "../issue.js";
import { asMap, type DocumentView } from "../view.js";

export function checkEmfOutput(view: DocumentView): ConfigIssue[] {
  if (view.output.type !== "emf") return [];
  return view.metrics.flatMap((metric) => {
    const issues: ConfigIssue[] = [];
    const problem = emfSeriesProblem(metric.name, Object.keys(metric.dimensions));
    if (problem !== undefined)
      issues.push({
        path: ["metrics", metric.index, "name"],
        message: `${problem}; it cannot be written with output: emf`,
      });
    if (metric.aggregate?.mode === "statistics") {
      // EMF has values only: a statistic set would need invented samples (output/emf-samples.ts).
      const own = asMap(metric.raw.aggregate) !== undefined;
      issues.push({
        path: own ? [...metric.at, "aggregate", "as"] : metric.at,
        message: `aggregate as "statistics"${own ? "" : " (from defaults.aggregate)"} cannot be written with output: emf, which carries values only; use as: values (percentiles keep working)`,
      });
    }
    return issues;
  });
}
