/**
 * CloudWatch's public list prices for custom metrics in us-east-1, as the cost estimate uses them.
 * Source: https://aws.amazon.com/cloudwatch/pricing/ (Paid tier → Metrics; Free tier), read on
 * PRICE_LIST_READ_ON. Prices change and differ by region: the estimate says which list it used.
 */

export const PRICE_LIST_URL = "https://aws.amazon.com/cloudwatch/pricing/";
export const PRICE_LIST_READ_ON = "2026-11-29";
export const PRICE_LIST_REGION = "us-east-1";

/**
 * USD per metric (series) per month, by tier of the account's metric count: first 10,000 at $0.30,
 * next 240,000 at $0.10, next 750,000 at $0.05, over 1,000,000 at $0.02. "All custom metrics
 * charges are prorated by the hour and metered only when you send metrics to CloudWatch."
 */
export const METRIC_PRICE_TIERS: readonly { readonly upTo: number; readonly usdPerMetricMonth: number }[] = [
  { upTo: 10_000, usdPerMetricMonth: 0.3 },
  { upTo: 250_000, usdPerMetricMonth: 0.1 },
  { upTo: 1_000_000, usdPerMetricMonth: 0.05 },
  { upTo: Infinity, usdPerMetricMonth: 0.02 },
];

/** PutMetricData (with GetMetricStatistics, ListMetrics, ...): $0.01 per 1,000 requests. */
export const USD_PER_1000_REQUESTS = 0.01;

/** The hours a metric-month is prorated over (30 days). */
export const HOURS_PER_MONTH = 720;

/** The always-free tier, noted in the estimate and not subtracted from it. */
export const FREE_TIER_METRICS = 10;
export const FREE_TIER_REQUESTS = 1_000_000;

/** USD for `metricMonths` metric-months in one account, tiers applied in order. */
export function metricsUsd(metricMonths: number): number {
  let usd = 0;
  let below = 0;
  for (const { upTo, usdPerMetricMonth } of METRIC_PRICE_TIERS) {
    if (metricMonths <= below) break;
    usd += (Math.min(metricMonths, upTo) - below) * usdPerMetricMonth;
    below = upTo;
  }
  return usd;
}

export function requestsUsd(requests: number): number {
  return (requests / 1000) * USD_PER_1000_REQUESTS;
}
