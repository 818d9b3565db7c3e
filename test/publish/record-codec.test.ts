/** The outbox record codec: every payload round-trips; records written before issue 13 still decode. */
import assert from "node:assert/strict";
import { crc32 } from "node:zlib";
import { describe, it } from "node:test";
import { metricIdentity, type Datum } from "../../src/cloudwatch/datum.js";
import { decodeLine, encodeDatum } from "../../src/publish/outbox/record-codec.js";

const metric = metricIdentity({
  namespace: "N",
  name: "M",
  unit: "Count",
  storageResolution: 1,
  dimensions: { Host: "a" },
});

function roundTrip(datum: Datum) {
  const decoded = decodeLine(encodeDatum(7, datum).trimEnd(), new Map());
  if (decoded.kind !== "datum") throw new Error(`not decoded: ${JSON.stringify(decoded)}`);
  return decoded.entry;
}

describe("record codec", () => {
  it("carries a Value, Values + Counts and StatisticValues", () => {
    const at = Date.parse("2026-11-29T08:00:00Z");
    assert.equal(roundTrip({ metric, value: 2.5, timestamp: at }).value, 2.5);
    const values = roundTrip({ metric, values: [1, 2], counts: [3, 4], timestamp: at });
    assert.deepEqual(
      [values.values, "counts" in values ? values.counts : undefined, values.value],
      [[1, 2], [3, 4], undefined],
    );
    const statistics = { SampleCount: 3, Sum: 6, Minimum: 1, Maximum: 3 };
    const stats = roundTrip({ metric, statistics, timestamp: at });
    assert.deepEqual(
      [stats.statistics, stats.value, stats.timestamp, stats.seq],
      [statistics, undefined, at, 7],
    );
  });

  it("decodes a record written before Values existed", () => {
    const json = '{"s":3,"ns":"N","n":"M","u":"Count","r":60,"d":[["Host","a"]],"v":4,"t":1764403200000}';
    const decoded = decodeLine(`${crc32(json).toString(16).padStart(8, "0")} ${json}`, new Map());
    assert.equal(decoded.kind === "datum" ? decoded.entry.value : undefined, 4);
  });

  it("refuses a record with two payloads or Counts that do not match", () => {
    for (const [extra, reason] of [
      [',"v":1,"vs":[1],"cs":[1]', "a datum record with not exactly one of a value, values or statistics"],
      [',"vs":[1,2],"cs":[1]', "a datum record with no valid values and counts"],
      [',"st":[1,2,3]', "a datum record with no valid statistics"],
    ] as const) {
      const json = `{"s":3,"ns":"N","n":"M","u":"Count","r":60,"d":[],"t":1${extra}}`;
      const decoded = decodeLine(`${crc32(json).toString(16).padStart(8, "0")} ${json}`, new Map());
      assert.deepEqual(decoded, { kind: "damaged", reason, datumLost: true });
    }
  });
});
