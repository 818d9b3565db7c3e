import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { metricIdentity } from "../../src/cloudwatch/datum.js";
import { estimateEmfIngestion } from "../../src/output/emf-cost.js";
import { encodeEmf } from "../../src/output/emf-encoder.js";

const datum = (name: string, value: number) => ({
  metric: metricIdentity({
    namespace: "App",
    name,
    unit: "Count",
    storageResolution: 60,
    dimensions: { Host: "a" },
  }),
  value,
  timestamp: 1_800_000_000_000,
});

describe("estimateEmfIngestion", () => {
  it("counts the bytes the encoder writes, a line break and 26 bytes of event overhead each, per tick, at $0.50 per 10^9 bytes", () => {
    const datums = [datum("a", 1), datum("b", 2)];
    const [document] = encodeEmf(datums).documents;
    const perDocument = Buffer.byteLength(document!) + 1 + 26;
    const everyMinute = 30 * 24 * 60;
    const estimate = estimateEmfIngestion([{ datums, perMonth: everyMinute }], 16_000);
    assert.equal(estimate.documentsPerMonth, everyMinute);
    assert.equal(estimate.bytesPerMonth, perDocument * everyMinute);
    assert.equal(estimate.usdPerMonth, (perDocument * everyMinute * 0.5) / 1e9);
  });

  it("adds ticks of different schedules, and counts the further documents a small budget needs", () => {
    const many = Array.from({ length: 150 }, (_, i) => datum(`m${i}`, i));
    const estimate = estimateEmfIngestion(
      [
        { datums: many, perMonth: 10 },
        { datums: [datum("x", 1)], perMonth: 5 },
      ],
      16_000,
    );
    assert.equal(estimate.documentsPerMonth, 2 * 10 + 5, "150 metrics need two documents of at most 100");
  });
});
