/** Checks across the document: the delivery durations, and metrics that would publish one series twice. */
import type { ConfigIssue } from "../issue.js";
import type { DeliveryView, DocumentView, MetricView } from "../view.js";

const DELIVERY_DURATIONS = [
  ["retryBaseDelay", "retryBaseDelayMs"],
  ["retryMaxDelay", "retryMaxDelayMs"],
  ["requestTimeout", "requestTimeoutMs"],
] as const;

export function checkDelivery(delivery: DeliveryView): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [key, ms] of DELIVERY_DURATIONS)
    if (delivery.raw[key] !== undefined && delivery[ms] === 0)
      issues.push({ path: ["delivery", key], message: "must be longer than 0" });
  if (delivery.retryBaseDelayMs > delivery.retryMaxDelayMs) {
    issues.push({
      path: ["delivery", "retryBaseDelay"],
      message: `must not be longer than retryMaxDelay (${delivery.retryMaxDelayMs} ms)`,
    });
  }
  return issues;
}

function identity(metric: MetricView): string {
  const dimensions = Object.entries(metric.dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([metric.namespace, metric.name, dimensions, metric.schedule.trim()]);
}

/** Metrics that would publish the same series twice on the same schedule. */
export function checkDuplicates(view: DocumentView): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, number>();
  for (const metric of view.metrics) {
    const key = identity(metric);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, metric.index);
      continue;
    }
    issues.push({
      path: ["metrics", metric.index],
      message: `publishes the same namespace, name and dimensions on the same schedule as metrics[${first}] ("${metric.name}"); remove one or give them different dimensions`,
    });
  }
  return issues;
}
