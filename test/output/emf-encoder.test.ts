/** encodeEmf: every document passes the specification checker, and decoding them gives back the datums. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StorageResolution, Unit } from "../../src/cloudwatch/units.js";
import { metricIdentity } from "../../src/cloudwatch/datum.js";
import type { EmfDatum, EmfSeries } from "../../src/output/emf-datum.js";
import { encodeEmf } from "../../src/output/emf-encoder.js";
import { emfSpecProblems } from "../support/emf-spec.js";

const T = Date.UTC(2026, 0, 2, 3, 4, 0);

function series(
  name: string,
  dimensions: Record<string, string> = { Host: "web-1" },
  more: { namespace?: string; unit?: Unit; storageResolution?: StorageResolution } = {},
): EmfSeries {
  return {
    namespace: more.namespace ?? "MyApp",
    name,
    unit: more.unit ?? "Count",
    storageResolution: more.storageResolution ?? 60,
    dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
  };
}

/** Encodes, asserts every document is valid EMF, and returns the parsed documents. */
function encodeValid(datums: readonly EmfDatum[], maxDocumentBytes?: number) {
  const encoding = encodeEmf(datums, maxDocumentBytes === undefined ? {} : { maxDocumentBytes });
  for (const line of encoding.documents) assert.deepEqual(emfSpecProblems(line), [], line.slice(0, 300));
  return { ...encoding, parsed: encoding.documents.map((line) => JSON.parse(line) as EmfDocument) };
}

interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string; StorageResolution: number }[];
    }[];
  };
  [member: string]: unknown;
}

/**
 * What CloudWatch would extract: per series and instant, the sorted samples, with unit and resolution.
 * Written from the specification's reading rules, independently of the encoder.
 */
function extracted(docs: readonly EmfDocument[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const doc of docs) {
    for (const directive of doc._aws.CloudWatchMetrics) {
      for (const set of directive.Dimensions) {
        const dims = set.map((name) => `${name}=${doc[name] as string}`).sort();
        for (const m of directive.Metrics) {
          const key = [
            directive.Namespace,
            m.Name,
            dims.join(","),
            doc._aws.Timestamp,
            m.Unit,
            m.StorageResolution,
          ].join("|");
          const target = doc[m.Name] as number | number[];
          out.set(key, [...(out.get(key) ?? []), ...(Array.isArray(target) ? target : [target])]);
        }
      }
    }
  }
  for (const samples of out.values()) samples.sort((a, b) => a - b);
  return out;
}

/** The same, from the datums: what PutMetricData would have recorded. */
function expected(datums: readonly EmfDatum[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const d of datums) {
    const m = d.metric;
    const dims = m.dimensions.map((x) => `${x.Name}=${x.Value}`).sort();
    const key = [m.namespace, m.name, dims.join(","), d.timestamp, m.unit, m.storageResolution].join("|");
    let samples: number[] = [];
    if (d.value !== undefined) samples = [d.value];
    else if (d.values !== undefined)
      samples = d.values.flatMap((v, i) => Array.from({ length: d.counts?.[i] ?? 1 }, () => v));
    out.set(key, [...(out.get(key) ?? []), ...samples]);
  }
  for (const samples of out.values()) samples.sort((a, b) => a - b);
  return out;
}

describe("encodeEmf", () => {
  it("writes one value as the issue describes: _aws, directive, dimension and metric at the root", () => {
    const { parsed, rejected } = encodeValid([
      {
        metric: series(
          "Requests",
          { Host: "web-1", Stage: "prod" },
          { unit: "Count/Second", storageResolution: 1 },
        ),
        value: 42.5,
        timestamp: T,
      },
    ]);
    assert.deepEqual(rejected, []);
    assert.deepEqual(parsed, [
      {
        _aws: {
          Timestamp: T,
          CloudWatchMetrics: [
            {
              Namespace: "MyApp",
              Dimensions: [["Host", "Stage"]],
              Metrics: [{ Name: "Requests", Unit: "Count/Second", StorageResolution: 1 }],
            },
          ],
        },
        Host: "web-1",
        Stage: "prod",
        Requests: 42.5,
      },
    ]);
  });

  it("accepts today's publish Datum as it is", () => {
    const metric = metricIdentity({
      namespace: "MyApp",
      name: "Up",
      unit: "None",
      storageResolution: 60,
      dimensions: {},
    });
    const { parsed } = encodeValid([{ metric, value: 1, timestamp: T }]);
    assert.deepEqual(
      parsed[0]!._aws.CloudWatchMetrics[0]!.Dimensions,
      [[]],
      "no dimensions: one empty DimensionSet",
    );
    assert.equal(parsed[0]!.Up, 1);
  });

  it("groups by namespace, dimension set (names and values) and timestamp, at most 100 metrics a document", () => {
    const datums: EmfDatum[] = [
      ...Array.from({ length: 250 }, (_, i) => ({ metric: series(`m${i}`), value: i, timestamp: T })),
      { metric: series("other-ns", { Host: "web-1" }, { namespace: "Other" }), value: 1, timestamp: T },
      { metric: series("other-host", { Host: "web-2" }), value: 1, timestamp: T },
      { metric: series("later"), value: 1, timestamp: T + 60_000 },
      { metric: series("more-dims", { Host: "web-1", Stage: "prod" }), value: 1, timestamp: T },
    ];
    const { parsed } = encodeValid(datums);
    assert.deepEqual(
      parsed.map((d) => d._aws.CloudWatchMetrics[0]!.Metrics.length),
      [100, 100, 50, 1, 1, 1, 1],
    );
    assert.deepEqual(extracted(parsed), expected(datums));
  });

  it("keeps one group when the same dimensions come in another order", () => {
    const { parsed } = encodeValid([
      { metric: series("a", { Host: "h", Stage: "s" }), value: 1, timestamp: T },
      { metric: series("b", { Stage: "s", Host: "h" }), value: 2, timestamp: T },
    ]);
    assert.equal(parsed.length, 1);
  });

  it("writes Values arrays of at most 100, more in further documents of the same instant", () => {
    const values = Array.from({ length: 250 }, (_, i) => i / 4);
    const datums: EmfDatum[] = [
      { metric: series("Latency", {}, { unit: "Milliseconds" }), values, timestamp: T },
    ];
    const { parsed } = encodeValid(datums);
    assert.deepEqual(
      parsed.map((d) => (d.Latency as number[]).length),
      [100, 100, 50],
    );
    assert.ok(parsed.every((d) => d._aws.Timestamp === T));
    assert.deepEqual(extracted(parsed), expected(datums));
  });

  it("writes a value with a count as that many samples, so CloudWatch counts the same", () => {
    const datums: EmfDatum[] = [
      { metric: series("Size"), values: [1.5, 2, 7], counts: [3, 1, 0], timestamp: T },
    ];
    const { parsed } = encodeValid(datums);
    assert.deepEqual(parsed[0]!.Size, [1.5, 1.5, 1.5, 2]);
    const many: EmfDatum[] = [{ metric: series("Size"), values: [1, 2], counts: [150, 99], timestamp: T }];
    const result = encodeValid(many);
    assert.deepEqual(extracted(result.parsed), expected(many));
    assert.equal(result.parsed.length, 3);
  });

  it("refuses what EMF cannot carry, with the reason, and still writes the others", () => {
    const good: EmfDatum = { metric: series("Good"), value: 1, timestamp: T };
    const bad: [EmfDatum, RegExp][] = [
      [
        {
          metric: series("Stats"),
          statistics: { SampleCount: 2, Sum: 3, Minimum: 1, Maximum: 2 },
          timestamp: T,
        },
        /statistic set/,
      ],
      [{ metric: series("Half"), values: [1], counts: [0.5], timestamp: T }, /whole counts/],
      [{ metric: series("Pairs"), values: [1, 2], counts: [1], timestamp: T }, /2 values but 1 counts/],
      [
        { metric: series("Huge"), values: [1, 2], counts: [6000, 5000], timestamp: T },
        /11000 samples.*at most 10000/,
      ],
      [{ metric: series("Empty"), values: [], timestamp: T }, /no values/],
      [{ metric: series("Zero"), values: [3], counts: [0], timestamp: T }, /no values/],
      [{ metric: series("NaN"), value: Number.NaN, timestamp: T }, /NaN, not a finite number/],
      [{ metric: series("Inf"), values: [1, Number.POSITIVE_INFINITY], timestamp: T }, /Infinity/],
      [{ metric: series("Host"), value: 1, timestamp: T }, /dimension of its own name/],
      [{ metric: series("_aws", {}), value: 1, timestamp: T }, /metadata/],
      [{ metric: series("x", { _aws: "v" }), value: 1, timestamp: T }, /dimension named "_aws"/],
      [
        { metric: series("x", { ["k".repeat(251)]: "v" }), value: 1, timestamp: T },
        /251 characters; EMF allows at most 250/,
      ],
    ];
    const { parsed, rejected } = encodeValid([...bad.map(([d]) => d), good]);
    assert.equal(parsed.length, 1);
    assert.deepEqual(
      Object.keys(parsed[0]!).filter((k) => k !== "_aws" && k !== "Host"),
      ["Good"],
    );
    assert.equal(rejected.length, bad.length);
    for (const [i, [datum, reason]] of bad.entries()) {
      assert.equal(rejected[i]!.datum, datum);
      assert.match(rejected[i]!.reason, reason);
    }
  });

  it("puts two datums of one series at one instant into two documents", () => {
    const datums: EmfDatum[] = [
      { metric: series("Dup"), values: [1, 2], timestamp: T },
      { metric: series("Dup"), values: [3], timestamp: T },
      { metric: series("Other"), value: 4, timestamp: T },
    ];
    const { parsed } = encodeValid(datums);
    assert.equal(parsed.length, 2);
    assert.deepEqual(extracted(parsed), expected(datums));
  });

  it("escapes names and keeps numbers exact", () => {
    const datums: EmfDatum[] = [
      { metric: series('say "hi"\\', { 'a"b': 'c\\"d' }), value: 8.51592e-109, timestamp: T },
      {
        metric: series("big", { 'a"b': 'c\\"d' }),
        values: [-1.7976931348623157e308, 2 ** 360, 0.1 + 0.2],
        timestamp: T,
      },
    ];
    const { parsed } = encodeValid(datums);
    assert.deepEqual(extracted(parsed), expected(datums));
  });

  it("cuts documents at a byte budget, and refuses a datum that cannot fit one", () => {
    const datums: EmfDatum[] = Array.from({ length: 40 }, (_, i) => ({
      metric: series(`metric-with-a-long-name-${i}`),
      values: Array.from({ length: 10 }, (_, j) => i * 1000 + j + 0.123456789),
      timestamp: T,
    }));
    const budget = 2000;
    const { documents, parsed, rejected } = encodeValid(datums, budget);
    assert.deepEqual(rejected, []);
    assert.ok(documents.length > 1);
    for (const line of documents)
      assert.ok(Buffer.byteLength(line) <= budget, `${Buffer.byteLength(line)} bytes`);
    assert.deepEqual(extracted(parsed), expected(datums));
    const tooBig = encodeEmf(
      [{ metric: series("x"), values: Array.from({ length: 100 }, () => 1.234567), timestamp: T }],
      { maxDocumentBytes: 300 },
    );
    assert.deepEqual(tooBig.documents, []);
    assert.match(tooBig.rejected[0]!.reason, /needs a document of \d+ bytes; at most 300/);
  });

  it("stays within 1 MB with the largest datums PutMetricData allows, 100 to a document", () => {
    const dimensions = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`D${i}`.padEnd(250, "d"), "v".repeat(1024)]),
    );
    const datums: EmfDatum[] = Array.from({ length: 100 }, (_, i) => ({
      metric: series(`${i}`.padEnd(255, "n"), dimensions),
      values: Array.from({ length: 100 }, (_, j) => -1.2345678901234566e-300 * (j + 1)),
      timestamp: T,
    }));
    const { documents, parsed } = encodeValid(datums);
    assert.equal(documents.length, 1);
    assert.deepEqual(extracted(parsed), expected(datums));
  });
});
