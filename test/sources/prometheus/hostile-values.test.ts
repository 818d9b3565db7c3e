/**
 * What a broken exporter's values become: a counter that is NaN, infinite or negative for one
 * scrape, a series written twice, a histogram missing its +Inf bucket for one scrape. Each is a
 * skipped series with its reason, and none makes a later scrape publish a phantom increase.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PrometheusOptions } from "../../../src/config/prometheus-options.js";
import { prometheusSource } from "../../../src/sources/prometheus/prometheus-source.js";
import type { SharedScrapes } from "../../../src/sources/prometheus/shared-scrapes.js";
import { memoryBaselines, type SeriesReading } from "../../../src/sources/types.js";
import { parsed } from "./parsed.js";

/** Reads `metric` from each body in turn, a minute apart, as the scheduler would. */
async function readings(
  bodies: readonly string[],
  options: Partial<PrometheusOptions> = {},
): Promise<SeriesReading[]> {
  let body = "";
  const scrapes = { families: () => Promise.resolve(parsed(body)) } as unknown as SharedScrapes;
  const source = prometheusSource(
    {
      url: "http://127.0.0.1:9/metrics",
      headers: {},
      metric: "c_total",
      labels: {},
      combine: undefined,
      match: {},
      histogram: "upperBound",
      transform: "auto",
      ...options,
    },
    undefined,
    { scrapes, baselines: memoryBaselines() },
  );
  const out: SeriesReading[] = [];
  for (const [i, text] of bodies.entries()) {
    body = text;
    out.push((await source.read(AbortSignal.timeout(5000), 60_000 * (i + 1))) as SeriesReading);
  }
  return out;
}

const values = (reading: SeriesReading) => reading.samples.map((s) => s.value);
const reasons = (reading: SeriesReading) => reading.skipped.map((s) => s.reason);

const counter = (a: number | string) => `# TYPE c_total counter
c_total{pod="a"} ${a}
c_total{pod="b"} 10
`;

describe("prometheus source: hostile values", () => {
  for (const bad of ["NaN", "+Inf", "-5"]) {
    it(`a counter at ${bad} for one scrape is skipped, and the next publishes no phantom increase`, async () => {
      const [, , blip, after] = await readings([counter(1e9), counter(1e9), counter(bad), counter(1e9 + 7)]);
      assert.deepEqual(values(blip!), []);
      assert.match(
        reasons(blip!)[0]!,
        /c_total\{pod="a"\}: the counter's value is .*, which no counter takes/,
      );
      assert.deepEqual(values(after!), [7], "the increase since the last good value, not 1e9");
    });
  }

  it("a series written twice is skipped every scrape, never read as a reset", async () => {
    const twice = `# TYPE c_total counter
c_total{pod="a"} 100
c_total{pod="a"} 5
`;
    const read = await readings([twice, twice, twice]);
    for (const reading of read) {
      assert.deepEqual(values(reading), []);
      assert.deepEqual(reasons(reading), ['c_total{pod="a"} appears twice in the scrape']);
    }
  });

  it("a gauge written twice is skipped, not added up", async () => {
    const [reading] = await readings(["# TYPE g gauge\n" + "g 1\n".repeat(3)], { metric: "g" });
    assert.deepEqual(values(reading!), []);
    assert.deepEqual(reasons(reading!), ["g appears twice in the scrape"]);
  });

  it("combine: max over 250,000 samples (a 1 MiB body's worth) does not overflow the stack", async () => {
    const rows = Array.from({ length: 250_000 }, (_, i) => `g{i="${i}"} ${i}`).join("\n");
    const [reading] = await readings([`# TYPE g gauge\n${rows}\n`], { metric: "g", combine: "max" });
    assert.deepEqual(values(reading!), [249_999]);
  });

  const histogram = (b1: number | string, inf: number | string, withInf = true) => `# TYPE h histogram
h_bucket{le="1"} ${b1}
${withInf ? `h_bucket{le="+Inf"} ${inf}\n` : ""}h_count ${inf}
h_sum 1
`;

  for (const [what, blip] of [
    ["a NaN bucket", histogram("NaN", 1000)],
    ["an infinite bucket", histogram(500, "+Inf")],
    ["no +Inf bucket", histogram(500, 1000, false)],
  ] as const) {
    it(`a histogram with ${what} for one scrape is skipped, and the next publishes only the interval's counts`, async () => {
      const read = await readings([histogram(500, 1000), histogram(500, 1000), blip, histogram(501, 1002)], {
        metric: "h",
      });
      assert.deepEqual(values(read[2]!), []);
      assert.equal(reasons(read[2]!).length, 1, `one reason: ${reasons(read[2]!).join("; ")}`);
      assert.deepEqual(values(read[3]!), [{ values: [1], counts: [2] }], "1 at le=1, 1 over it");
    });
  }
});
