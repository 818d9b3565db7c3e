/**
 * `cost` with `output: emf`: no PutMetricData requests; the datums reach CloudWatch as log lines, billed
 * as log ingestion (output/emf-cost.ts), while the metrics they create are billed as any custom metric.
 * Each publish is estimated with one value per datum (an aggregated datum's values make it longer).
 */
import { EMF_STDOUT, type Config } from "../config/types.js";
import { MAX_DOCUMENT_BYTES, MAX_STDOUT_DOCUMENT_BYTES } from "../output/emf-limits.js";
import { estimateEmfIngestion, type EmfIngestionEstimate } from "../output/emf-cost.js";
import type { CostEstimate } from "../shaping/cost-estimate.js";
import type { MetricPlan } from "../shaping/cost-estimate.js";
import { rollupDimensions } from "../shaping/rollups.js";

export type EmfCostEstimate = CostEstimate & {
  readonly output: "emf";
  readonly logIngestion: EmfIngestionEstimate;
};

const cents = (usd: number): number => Math.round(usd * 100) / 100;

/** The estimate with requests replaced by the log ingestion of the EMF documents. */
export function withEmfIngestion(
  estimate: CostEstimate,
  config: Config,
  plans: readonly MetricPlan[],
): EmfCostEstimate {
  if (config.output.type !== "emf") throw new Error("withEmfIngestion needs output: emf");
  const maxBytes = config.output.path === EMF_STDOUT ? MAX_STDOUT_DOCUMENT_BYTES : MAX_DOCUMENT_BYTES;
  const ticks = config.metrics.map((metric, i) => ({
    datums: [metric.dimensions, ...rollupDimensions(metric.dimensions, metric.rollups)].map((dimensions) => ({
      metric: {
        namespace: metric.namespace,
        name: metric.name,
        unit: metric.unit,
        storageResolution: metric.storageResolution,
        dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      timestamp: 0,
      value: 0,
    })),
    perMonth: plans[i]?.publishesPerMonth ?? 0,
  }));
  const logIngestion = estimateEmfIngestion(ticks, maxBytes);
  const metrics = estimate.usdPerMonth.metrics;
  return {
    ...estimate,
    requestsPerMonth: 0,
    usdPerMonth: { metrics, requests: 0, total: cents(metrics + logIngestion.usdPerMonth) },
    namespaces: estimate.namespaces.map((ns) => ({
      ...ns,
      requestsPerMonth: 0,
      usdPerMonth: { ...ns.usdPerMonth, requests: 0, total: ns.usdPerMonth.metrics },
    })),
    output: "emf",
    logIngestion: { ...logIngestion, usdPerMonth: cents(logIngestion.usdPerMonth) },
  };
}

/** The lines the text report adds in EMF mode. */
export function emfCostText({ logIngestion, usdPerMonth }: EmfCostEstimate): string {
  const mb = (logIngestion.bytesPerMonth / 1e6).toFixed(1);
  return (
    `\noutput: emf — no PutMetricData requests; the documents are log lines instead:\n` +
    `  ${Math.round(logIngestion.documentsPerMonth).toLocaleString("en-US")} documents, ${mb} MB a month of log ingestion: $${logIngestion.usdPerMonth.toFixed(2)}\n` +
    `  total with the metrics: $${usdPerMonth.total.toFixed(2)} a month (per-namespace totals above count the metrics only)\n`
  );
}
