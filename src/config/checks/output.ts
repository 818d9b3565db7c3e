/** With `output: emf`, the metrics whose names EMF cannot carry (the encoder's own rule, emf-series.ts). */
import { emfSeriesProblem } from "../../output/emf-series.js";
import type { ConfigIssue } from "../issue.js";
import type { DocumentView } from "../view.js";

export function checkEmfOutput(view: DocumentView): ConfigIssue[] {
  if (view.output.type !== "emf") return [];
  return view.metrics.flatMap((metric) => {
    const problem = emfSeriesProblem(metric.name, Object.keys(metric.dimensions));
    return problem === undefined
      ? []
      : [
          {
            path: ["metrics", metric.index, "name"],
            message: `${problem}; it cannot be written with output: emf`,
          },
        ];
  });
}
