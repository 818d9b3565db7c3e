/**
 * What `output: emf` costs a month in log ingestion, which replaces the PutMetricData request charge
 * (the metrics extracted from the documents are still billed as custom metrics). Pure: the caller
 * (the `cost` command) says which datums are written together and how often; the bytes are those the
 * encoder really writes. Prices: https://aws.amazon.com/cloudwatch/pricing/ (us-east-1, Standard log class).
 */
import type { EmfDatum } from "./emf-datum.js";
import { encodeEmf } from "./emf-encoder.js";

/** CloudWatch Logs, Standard class, data ingested: USD per GB (us-east-1 list price). */
export const LOG_INGESTION_USD_PER_GB = 0.5;
/** Counted as 10^9 bytes, the larger of the two readings of "GB", so the estimate errs high. */
export const BYTES_PER_GB = 1e9;
/** CloudWatch Logs counts 26 bytes per log event on top of its message (PutLogEvents' batch size rule). */
export const LOG_EVENT_OVERHEAD_BYTES = 26;

/** Datums written at one instant, and how many such instants a month has. */
export interface EmfTick {
  readonly datums: readonly EmfDatum[];
  readonly perMonth: number;
}

export interface EmfIngestionEstimate {
  readonly documentsPerMonth: number;
  readonly bytesPerMonth: number;
  readonly usdPerMonth: number;
}

export function estimateEmfIngestion(
  ticks: readonly EmfTick[],
  maxDocumentBytes: number,
): EmfIngestionEstimate {
  let documentsPerMonth = 0;
  let bytesPerMonth = 0;
  for (const { datums, perMonth } of ticks) {
    const { documents } = encodeEmf(datums, { maxDocumentBytes });
    const bytes = documents.reduce(
      (sum, doc) => sum + Buffer.byteLength(doc) + 1 + LOG_EVENT_OVERHEAD_BYTES,
      0,
    );
    documentsPerMonth += documents.length * perMonth;
    bytesPerMonth += bytes * perMonth;
  }
  return {
    documentsPerMonth,
    bytesPerMonth,
    usdPerMonth: (bytesPerMonth / BYTES_PER_GB) * LOG_INGESTION_USD_PER_GB,
  };
}
