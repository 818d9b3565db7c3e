/** familyView: which family a configured `metric:` reads, as which kind, and which of its samples. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { familyView, type FamilyView } from "../../../src/sources/prometheus/family-view.js";
import { parsed } from "./parsed.js";

const BODY = `# TYPE http_requests_total counter
http_requests_total{code="200"} 5
# TYPE up gauge
up 1
# TYPE latency_seconds histogram
latency_seconds_bucket{le="1"} 1
latency_seconds_bucket{le="+Inf"} 2
latency_seconds_sum 3.5
latency_seconds_count 2
# TYPE rpc_seconds summary
rpc_seconds{quantile="0.5"} 0.2
rpc_seconds_sum 10
rpc_seconds_count 40
untyped_thing 3
`;

const OPENMETRICS = `# TYPE jobs counter
jobs_total 3
jobs_created 1.7e9
# TYPE build info
build_info{version="1.2"} 1
# TYPE pressure gaugehistogram
pressure_bucket{le="1"} 1
pressure_bucket{le="+Inf"} 2
pressure_gcount 2
pressure_gsum 1
# EOF
`;

function viewOf(body: string, metric: string): FamilyView {
  const found = familyView(parsed(body), metric);
  if (!found.ok) assert.fail(found.reason);
  return found.view;
}

const names = (view: FamilyView) => view.samples.map((s) => s.name);

describe("familyView", () => {
  it("a counter: its samples, as a counter", () => {
    const view = viewOf(BODY, "http_requests_total");
    assert.equal(view.kind, "counter");
    assert.deepEqual(names(view), ["http_requests_total"]);
  });

  it("an OpenMetrics counter by either spelling, without its _created", () => {
    for (const metric of ["jobs", "jobs_total"]) {
      const view = viewOf(OPENMETRICS, metric);
      assert.equal(view.kind, "counter");
      assert.deepEqual(names(view), ["jobs_total"]);
    }
  });

  it("a gauge and an untyped family as gauges", () => {
    assert.equal(viewOf(BODY, "up").kind, "gauge");
    assert.deepEqual(names(viewOf(BODY, "untyped_thing")), ["untyped_thing"]);
    assert.equal(viewOf(BODY, "untyped_thing").kind, "gauge");
  });

  it("an info family as a gauge, by its OpenMetrics or 0.0.4 name", () => {
    for (const metric of ["build", "build_info"]) {
      const view = viewOf(OPENMETRICS, metric);
      assert.equal(view.kind, "gauge");
      assert.deepEqual(names(view), ["build_info"]);
    }
  });

  it("a histogram: all its samples", () => {
    const view = viewOf(BODY, "latency_seconds");
    assert.equal(view.kind, "histogram");
    assert.equal(view.samples.filter((s) => s.name === "latency_seconds_bucket").length, 2);
  });

  it("a summary: only its quantiles", () => {
    const view = viewOf(BODY, "rpc_seconds");
    assert.equal(view.kind, "summary");
    assert.deepEqual(names(view), ["rpc_seconds"]);
  });

  for (const [metric, value] of [
    ["latency_seconds_count", 2],
    ["latency_seconds_sum", 3.5],
    ["rpc_seconds_count", 40],
    ["rpc_seconds_sum", 10],
  ] as const) {
    it(`${metric}: the one sample, read as a counter of its family`, () => {
      const view = viewOf(BODY, metric);
      assert.equal(view.kind, "counter");
      assert.deepEqual(
        view.samples.map((s) => [s.name, s.value]),
        [[metric, value]],
      );
    });
  }

  it("a family that is not there: the reason, with the close name when there is one", () => {
    assert.deepEqual(familyView(parsed(BODY), "http_request_total"), {
      ok: false,
      reason: `no metric family "http_request_total" among the 5 the endpoint serves (did you mean "http_requests_total"?)`,
    });
    const far = familyView(parsed(BODY), "zzz_queue_depth");
    assert.ok(!far.ok);
    assert.doesNotMatch(far.reason, /did you mean/);
  });

  it("_count of a counter is not a family", () => {
    assert.equal(familyView(parsed(BODY), "http_requests_total_count").ok, false);
  });

  it("refuses a gaugehistogram, naming it", () => {
    const found = familyView(parsed(OPENMETRICS), "pressure");
    assert.ok(!found.ok);
    assert.match(found.reason, /"pressure" is a gaugehistogram/);
  });
});
