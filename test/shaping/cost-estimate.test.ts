import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { estimateCost, type MetricPlan } from "../../src/shaping/cost-estimate.js";
import { renderCostText } from "../../src/shaping/cost-text.js";
import { metricPlans, type PlanInput } from "../../src/shaping/metric-plan.js";
import { metricsUsd, requestsUsd } from "../../src/shaping/price-list.js";

const JAN_1 = new Date(Date.UTC(2026, 0, 1));

function plans(inputs: PlanInput[]): MetricPlan[] {
  return metricPlans(inputs, JAN_1);
}
const one = (
  label: string,
  namespace: string,
  schedule: string,
  extra: Partial<PlanInput> = {},
): PlanInput => ({
  label,
  namespace,
  series: [`${namespace}/${label}`],
  schedule,
  timezone: "UTC",
  ...extra,
});

describe("price list", () => {
  // Tiers: 10,000 at $0.30, next 240,000 at $0.10, next 750,000 at $0.05, then $0.02.
  const cases: [number, number][] = [
    [1, 0.3],
    [10_000, 3_000],
    [12_000, 3_000 + 2_000 * 0.1], // 3,200
    [300_000, 3_000 + 24_000 + 50_000 * 0.05], // 29,500
    [1_500_000, 3_000 + 24_000 + 37_500 + 500_000 * 0.02], // 74,500
  ];
  for (const [metrics, usd] of cases)
    it(`${metrics} metric-months cost $${usd}`, () => assert.ok(Math.abs(metricsUsd(metrics) - usd) < 1e-6));
  it("$0.01 per 1,000 requests", () => assert.ok(Math.abs(requestsUsd(43_200) - 0.432) < 1e-12));
});

describe("estimateCost", () => {
  it("one metric every minute: 1 series, 43,200 datums and requests, $0.30 + $0.43", () => {
    const e = estimateCost(plans([one("m", "App", "* * * * *")]));
    assert.deepEqual(
      { series: e.series, datums: e.datumsPerMonth, requests: e.requestsPerMonth, usd: e.usdPerMonth },
      { series: 1, datums: 43_200, requests: 43_200, usd: { metrics: 0.3, requests: 0.43, total: 0.73 } },
    );
    assert.equal(e.aggregateSaving, undefined);
  });

  it("1,500 series on one schedule share requests: 2 per minute (1,000 + 500 datums)", () => {
    const inputs = Array.from({ length: 1_500 }, (_, i) => one(`m${i}`, "App", "* * * * *"));
    const e = estimateCost(plans(inputs));
    assert.equal(e.series, 1_500);
    assert.equal(e.datumsPerMonth, 1_500 * 43_200); // 64,800,000
    assert.equal(e.requestsPerMonth, 2 * 43_200); // 86,400
    // 1,500 × $0.30 = $450; 86.4 thousand requests × $0.01 = $0.864.
    assert.deepEqual(e.usdPerMonth, { metrics: 450, requests: 0.86, total: 450.86 });
  });

  it("rollups: shared series count once, every copy is a datum", () => {
    // disk_free{mount=/} and disk_free{mount=/var}, each with rollups: [[]] → 3 distinct series.
    const rollup = "Fleet/disk_free{}";
    const e = estimateCost(
      plans([
        one("root", "Fleet", "*/5 * * * *", { series: ["Fleet/disk_free{/}", rollup] }),
        one("var", "Fleet", "*/5 * * * *", { series: ["Fleet/disk_free{/var}", rollup] }),
      ]),
    );
    assert.equal(e.series, 3);
    assert.equal(e.datumsPerMonth, 4 * 8_640); // 34,560
    assert.equal(e.requestsPerMonth, 8_640);
    assert.deepEqual(e.usdPerMonth, { metrics: 0.9, requests: 0.09, total: 0.99 });
  });

  it("a daily metric is billed for the 30 hours it publishes in: 30/720 of $0.30", () => {
    const e = estimateCost(plans([one("daily", "App", "0 3 * * *")]));
    assert.equal(e.datumsPerMonth, 30);
    assert.deepEqual(e.usdPerMonth, { metrics: 0.01, requests: 0, total: 0.01 }); // $0.0125
  });

  it("per namespace and in total, with what aggregate would save on a metric read every second", () => {
    const e = estimateCost(
      plans([
        one("slow", "App", "* * * * *"),
        one("fast", "Fast", "* * * * * *"),
        one("agg", "Fast", "* * * * * *", { aggregatePeriodMs: 60_000 }),
      ]),
    );
    assert.deepEqual(e.namespaces, [
      {
        namespace: "App",
        series: 1,
        datumsPerMonth: 43_200,
        requestsPerMonth: 43_200,
        usdPerMonth: { metrics: 0.3, requests: 0.43, total: 0.73 },
      },
      {
        // fast: 2,592,000 datums and requests ($25.92); agg: 43,200 of each, at other instants.
        namespace: "Fast",
        series: 2,
        datumsPerMonth: 2_592_000 + 43_200,
        requestsPerMonth: 2_592_000 + 43_200,
        usdPerMonth: { metrics: 0.6, requests: 26.35, total: 26.95 },
      },
    ]);
    assert.equal(e.series, 3);
    assert.equal(e.datumsPerMonth, 2_678_400);
    assert.equal(e.requestsPerMonth, 2_678_400);
    assert.deepEqual(e.usdPerMonth, { metrics: 0.9, requests: 26.78, total: 27.68 });
    // Aggregating "fast" by the minute: 43,200 datums instead of 2,592,000; it then shares the
    // requests of "agg" (same period), so 2,592,000 fewer requests: $25.92.
    assert.deepEqual(e.aggregateSaving, {
      metrics: ["fast"],
      datumsPerMonth: 2_548_800,
      requestsPerMonth: 2_592_000,
      usdPerMonth: 25.92,
    });
  });

  it("the JSON shape the cost command prints", () => {
    const e = estimateCost(plans([one("m", "App", "* * * * *")]));
    const json = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), [
      "series",
      "datumsPerMonth",
      "requestsPerMonth",
      "usdPerMonth",
      "namespaces",
      "priceList",
    ]);
    assert.deepEqual(json.priceList, {
      region: "us-east-1",
      readOn: "2026-11-29",
      source: "https://aws.amazon.com/cloudwatch/pricing/",
      freeTier: "10 metrics and 1,000,000 API requests a month are free; not subtracted",
    });
  });

  it("an empty config costs nothing", () => {
    const e = estimateCost([]);
    assert.deepEqual(
      {
        series: e.series,
        datums: e.datumsPerMonth,
        requests: e.requestsPerMonth,
        usd: e.usdPerMonth,
        ns: e.namespaces,
      },
      { series: 0, datums: 0, requests: 0, usd: { metrics: 0, requests: 0, total: 0 }, ns: [] },
    );
  });
});

describe("renderCostText", () => {
  it("a table per namespace and total, the price list's source, and the saving", () => {
    const text = renderCostText(
      estimateCost(plans([one("slow", "App", "* * * * *"), one("fast", "Fast", "* * * * * *")])),
    );
    assert.equal(
      text,
      [
        "namespace  series  datums/month  requests/month  metrics  requests   total",
        "---------  ------  ------------  --------------  -------  --------  ------",
        "App             1        43,200          43,200    $0.30     $0.43   $0.73",
        "Fast            1     2,592,000       2,592,000    $0.30    $25.92  $26.22",
        "total           2     2,635,200       2,635,200    $0.60    $26.35  $26.95",
        "",
        "USD per month at the us-east-1 list price read on 2026-11-29 (https://aws.amazon.com/cloudwatch/pricing/); a month is 30 days;",
        "requests at the batching floor (1,000 datums per request). Free tier: 10 metrics and 1,000,000 API requests a month are free; not subtracted.",
        "",
        "aggregate: { period: 1m } on fast (read more than once a minute) would publish",
        "2,548,800 fewer datums and 2,548,800 fewer requests a month: $25.49 less.",
        "",
      ].join("\n"),
    );
  });
});

describe("metricPlans", () => {
  it("H schedules share one walk but not requests: each fires at instants of its own", () => {
    const inputs = Array.from({ length: 3 }, (_, i) => one(`h${i}`, "App", "H * * * *"));
    const e = estimateCost(plans(inputs));
    // 720 reads each; at different minutes of the hour, so 3 × 720 requests, not 720.
    assert.equal(e.datumsPerMonth, 3 * 720);
    assert.equal(e.requestsPerMonth, 3 * 720);
  });

  it("metrics on one plain schedule share requests", () => {
    const e = estimateCost(plans(Array.from({ length: 3 }, (_, i) => one(`m${i}`, "App", "0 * * * *"))));
    assert.equal(e.requestsPerMonth, 720);
  });
});
