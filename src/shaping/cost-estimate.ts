/**
 * `cost`: what a config will cost per month at the public list price, before it is deployed. Pure:
 * the caller turns each metric into a MetricPlan (series keys with rollups, and how often it
 * publishes, from schedule-volume.ts); this adds them up per namespace and in total.
 */
import { MAX_DATUMS_PER_REQUEST } from "../cloudwatch/limits.js";
import {
  FREE_TIER_METRICS,
  FREE_TIER_REQUESTS,
  HOURS_PER_MONTH,
  PRICE_LIST_READ_ON,
  PRICE_LIST_REGION,
  PRICE_LIST_URL,
  metricsUsd,
  requestsUsd,
} from "./price-list.js";

/** The aggregation period the saving is computed for: one datum per minute, standard resolution. */
export const SAVING_PERIOD_MS = 60_000;

export interface MetricPlan {
  /** How the metric is named to the user, e.g. `metrics[3] "disk_free"`. */
  readonly label: string;
  readonly namespace: string;
  /** The series the metric publishes to, rollups included (series-key.ts); shared series count once. */
  readonly series: readonly string[];
  /** Metrics of one namespace with the same group publish at the same instants, so share requests. */
  readonly publishGroup: string;
  /** The instants it publishes at in a month: its reads, or the aggregation periods holding a read. */
  readonly publishesPerMonth: number;
  /** The hours of the month it publishes in: CloudWatch prorates a metric by the hour. */
  readonly activeHoursPerMonth: number;
  /** Not aggregated and reading more than once a minute: the minutes holding a read (what `aggregate: 1m` would publish). */
  readonly minutesIfAggregated: number | undefined;
}

export interface Usd {
  readonly metrics: number;
  readonly requests: number;
  readonly total: number;
}

export interface NamespaceCost {
  readonly namespace: string;
  readonly series: number;
  readonly datumsPerMonth: number;
  readonly requestsPerMonth: number;
  readonly usdPerMonth: Usd;
}

export interface AggregateSaving {
  /** The metrics that read faster than once a minute without `aggregate`. */
  readonly metrics: readonly string[];
  readonly datumsPerMonth: number;
  readonly requestsPerMonth: number;
  readonly usdPerMonth: number;
}

export interface CostEstimate {
  readonly series: number;
  readonly datumsPerMonth: number;
  readonly requestsPerMonth: number;
  readonly usdPerMonth: Usd;
  readonly namespaces: readonly NamespaceCost[];
  /** What `aggregate: { period: 1m }` on the fast metrics would save; undefined when none reads faster. */
  readonly aggregateSaving: AggregateSaving | undefined;
  readonly priceList: {
    readonly region: string;
    readonly readOn: string;
    readonly source: string;
    readonly freeTier: string;
  };
}

const cents = (usd: number): number => Math.round(usd * 100) / 100;

interface Tally {
  series: Map<string, number>;
  datums: number;
  groups: Map<string, { publishes: number; seriesPerPublish: number }>;
}

function tally(plans: readonly MetricPlan[]): Map<string, Tally> {
  const byNamespace = new Map<string, Tally>();
  for (const plan of plans) {
    let t = byNamespace.get(plan.namespace);
    if (t === undefined) {
      t = { series: new Map(), datums: 0, groups: new Map() };
      byNamespace.set(plan.namespace, t);
    }
    const hours = Math.min(plan.activeHoursPerMonth, HOURS_PER_MONTH);
    for (const key of plan.series) t.series.set(key, Math.max(t.series.get(key) ?? 0, hours));
    t.datums += plan.series.length * plan.publishesPerMonth;
    const group = t.groups.get(plan.publishGroup) ?? { publishes: 0, seriesPerPublish: 0 };
    group.publishes = Math.max(group.publishes, plan.publishesPerMonth);
    group.seriesPerPublish += plan.series.length;
    t.groups.set(plan.publishGroup, group);
  }
  return byNamespace;
}

/**
 * Requests at the batching floor: at each instant a group publishes, its datums of one namespace
 * go out in requests of up to 1,000 (MAX_DATUMS_PER_REQUEST); groups publishing at different
 * instants are counted apart, as the batcher sends each tick's datums within milliseconds.
 */
function requestsOf(t: Tally): number {
  let requests = 0;
  for (const g of t.groups.values())
    requests += g.publishes * Math.ceil(g.seriesPerPublish / MAX_DATUMS_PER_REQUEST);
  return requests;
}

/** Unrounded totals: metric-months are priced account-wide, then shared out by namespace. */
function price(plans: readonly MetricPlan[]) {
  const tallies = tally(plans);
  const rows = [...tallies].map(([namespace, t]) => {
    let metricMonths = 0;
    for (const hours of t.series.values()) metricMonths += hours / HOURS_PER_MONTH;
    return { namespace, series: t.series.size, metricMonths, datums: t.datums, requests: requestsOf(t) };
  });
  const metricMonths = rows.reduce((n, r) => n + r.metricMonths, 0);
  const metricsTotalUsd = metricsUsd(metricMonths);
  return rows.map((r) => ({
    ...r,
    metricsUsd: metricMonths === 0 ? 0 : (metricsTotalUsd * r.metricMonths) / metricMonths,
    requestsUsd: requestsUsd(r.requests),
  }));
}

function usd(metrics: number, requests: number): Usd {
  return {
    metrics: cents(metrics),
    requests: cents(requests),
    total: cents(cents(metrics) + cents(requests)),
  };
}

export function estimateCost(plans: readonly MetricPlan[]): CostEstimate {
  const rows = price(plans).sort((a, b) =>
    a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0,
  );
  const sum = (f: (r: (typeof rows)[number]) => number): number => rows.reduce((n, r) => n + f(r), 0);
  const fast = plans.filter((p) => p.minutesIfAggregated !== undefined);
  let aggregateSaving: AggregateSaving | undefined;
  if (fast.length > 0) {
    const aggregated = price(
      plans.map((p) =>
        p.minutesIfAggregated === undefined
          ? p
          : { ...p, publishGroup: `aggregate:${SAVING_PERIOD_MS}`, publishesPerMonth: p.minutesIfAggregated },
      ),
    );
    const after = (f: (r: (typeof aggregated)[number]) => number): number =>
      aggregated.reduce((n, r) => n + f(r), 0);
    aggregateSaving = {
      metrics: fast.map((p) => p.label),
      datumsPerMonth: sum((r) => r.datums) - after((r) => r.datums),
      requestsPerMonth: sum((r) => r.requests) - after((r) => r.requests),
      usdPerMonth: cents(sum((r) => r.requestsUsd) - after((r) => r.requestsUsd)),
    };
  }
  return {
    series: sum((r) => r.series),
    datumsPerMonth: sum((r) => r.datums),
    requestsPerMonth: sum((r) => r.requests),
    usdPerMonth: usd(
      sum((r) => r.metricsUsd),
      sum((r) => r.requestsUsd),
    ),
    namespaces: rows.map((r) => ({
      namespace: r.namespace,
      series: r.series,
      datumsPerMonth: r.datums,
      requestsPerMonth: r.requests,
      usdPerMonth: usd(r.metricsUsd, r.requestsUsd),
    })),
    aggregateSaving,
    priceList: {
      region: PRICE_LIST_REGION,
      readOn: PRICE_LIST_READ_ON,
      source: PRICE_LIST_URL,
      freeTier: `${FREE_TIER_METRICS} metrics and ${FREE_TIER_REQUESTS.toLocaleString("en-US")} API requests a month are free; not subtracted`,
    },
  };
}
