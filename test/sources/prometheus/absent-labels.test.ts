/**
 * The mistakes that would otherwise publish nothing, or one series instead of many, without a word:
 * a label in `labels` or `match` that no sample has; and a counter none of whose series match yet.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { familyReading, type ReadingRules } from "../../../src/sources/prometheus/family-reading.js";
import { familyView } from "../../../src/sources/prometheus/family-view.js";
import { Increases } from "../../../src/sources/prometheus/increases.js";
import { LabelNotes } from "../../../src/sources/prometheus/label-notes.js";
import { parseExposition } from "../../../src/sources/prometheus/parse.js";
import { memoryBaselines } from "../../../src/sources/types.js";

const BODY = `# TYPE http_requests_total counter
http_requests_total{method="GET",code="200"} 10
http_requests_total{method="POST",code="200"} 4
`;

function view(body = BODY, metric = "http_requests_total") {
  const parsed = parseExposition(body);
  assert.ok(parsed.ok);
  const found = familyView(parsed.families, metric);
  assert.ok(found.ok);
  return found.view;
}

function rules(labels: Record<string, string>, match: Record<string, string> = {}): ReadingRules {
  return {
    labels,
    combine: undefined,
    match: (l) => Object.entries(match).every(([k, v]) => (l[k] ?? "") === v),
    matched: Object.keys(match),
    histogram: "upperBound",
    transform: "auto",
  };
}

describe("labels no sample has", () => {
  it("a kept label no sample has is said once, naming the family's labels", () => {
    const state = { increases: undefined, labelNotes: new LabelNotes() };
    const first = familyReading(view(), rules({ methd: "Method" }), state, 1_000);
    assert.deepEqual(first.notes, [
      'label "methd" (in labels) is on no sample of family "http_requests_total", whose labels are method, code; every series is combined into one without it: check its spelling',
    ]);
    assert.deepEqual(familyReading(view(), rules({ methd: "Method" }), state, 2_000).notes, [], "once");
  });

  it("a match label no sample has is said too; a label some sample has is not", () => {
    const state = { increases: undefined, labelNotes: new LabelNotes() };
    const reading = familyReading(view(), rules({ code: "Code" }, { queu: "email" }), state, 1_000);
    assert.equal(reading.notes!.length, 1);
    assert.match(
      reading.notes![0]!,
      /^label "queu" \(in match\) is on no sample .* no sample matches: check/,
    );
  });
});

describe("a counter none of whose series match", () => {
  it("publishes 0 (the metric's one series), so an alarm has data before the first 5xx", () => {
    const state = { increases: new Increases(memoryBaselines(), "delta"), labelNotes: new LabelNotes() };
    const reading = familyReading(view(), rules({}, { code: "500" }), state, 1_000);
    assert.deepEqual(reading.samples, [{ dimensions: {}, value: 0 }]);
  });

  it("publishes nothing when labels are kept (which series would it be?) or for a gauge", () => {
    const state = { increases: new Increases(memoryBaselines(), "delta"), labelNotes: new LabelNotes() };
    assert.deepEqual(
      familyReading(view(), rules({ code: "Code" }, { code: "500" }), state, 1_000).samples,
      [],
    );
    const gauge = view('# TYPE queue_depth gauge\nqueue_depth{queue="sms"} 3\n', "queue_depth");
    const none = familyReading(
      gauge,
      rules({}, { queue: "email" }),
      { increases: undefined, labelNotes: new LabelNotes() },
      1_000,
    );
    assert.deepEqual(none.samples, []);
  });
});
