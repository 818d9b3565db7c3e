/** A multi-series reading → one identity per series: dimensions merged, checked per series, failures named. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { datumProblem, metricIdentity } from "../../src/cloudwatch/datum.js";
import { loadConfigText } from "../../src/config/load.js";
import type { MetricConfig } from "../../src/config/types.js";
import { mergeDimensions, seriesLabel, SeriesExpander } from "../../src/pipeline/series.js";
import { Stats } from "../../src/pipeline/stats.js";
import type { ValueSource } from "../../src/sources/types.js";
import { memoryLogger } from "../support/memory-logger.js";

function metricWith(dimensionCount: number): MetricConfig {
  const dimensions = Object.fromEntries(Array.from({ length: dimensionCount }, (_, i) => [`D${i}`, "x"]));
  const loaded = loadConfigText(
    JSON.stringify({
      metrics: [{ name: "Disk", namespace: "N", dimensions, source: { type: "constant", value: 1 } }],
    }),
    "series.yaml",
    {},
  );
  assert.ok(loaded.ok);
  return loaded.config.metrics[0]!;
}

function setup(config: MetricConfig, startNote?: string) {
  const { logger, lines, messages } = memoryLogger();
  const stats = new Stats();
  const source: ValueSource = { read: () => Promise.resolve(0), ...(startNote && { startNote }) };
  const metric = { config, source, identity: metricIdentity(config) };
  const baselinesSet: [string, number][] = [];
  const expander = new SeriesExpander(
    logger,
    stats,
    () => 1_000,
    (m, n) => baselinesSet.push([m.name, n]),
  );
  expander.announce([metric]);
  return { expander, metric, stats, lines, messages, baselinesSet };
}

describe("series of a reading", () => {
  it("a number is the metric's own series", () => {
    const { expander, metric, stats } = setup(metricWith(1));
    assert.deepEqual(expander.expand(metric, 5), [{ identity: metric.identity, value: 5, label: "" }]);
    assert.equal(stats.readings, 1);
  });

  it("each sample is a series: its dimensions after the metric's, one identity per series, reused", () => {
    const { expander, metric, stats } = setup(metricWith(1));
    const reading = {
      samples: [
        { dimensions: { MountPath: "/", Filesystem: "/dev/sda1" }, value: 75 },
        { dimensions: { MountPath: "/data", Filesystem: "/dev/sdb1" }, value: 10 },
      ],
      skipped: [],
    };
    const first = expander.expand(metric, reading);
    assert.deepEqual(
      first.map((s) => [
        s.identity.dimensions.map((d) => `${d.Name}=${d.Value}`).join(","),
        s.value,
        s.label,
      ]),
      [
        ["D0=x,MountPath=/,Filesystem=/dev/sda1", 75, " {MountPath=/, Filesystem=/dev/sda1}"],
        ["D0=x,MountPath=/data,Filesystem=/dev/sdb1", 10, " {MountPath=/data, Filesystem=/dev/sdb1}"],
      ],
    );
    const second = expander.expand(metric, reading);
    assert.equal(second[0]!.identity, first[0]!.identity, "the identity is computed once per series");
    assert.equal(stats.readings, 2);
    assert.deepEqual(expander.expand(metric, { samples: [], skipped: [] }), [], "a counter's first read");
  });

  it("on a clash the sample's value wins, so series stay apart", () => {
    assert.deepEqual(mergeDimensions({ Device: "all", Env: "prod" }, { Device: "sda" }), {
      Device: "sda",
      Env: "prod",
    });
    assert.equal(seriesLabel({}), "");
  });

  it("the 30-dimension limit applies to each series after merging", () => {
    const { expander, metric } = setup(metricWith(29));
    const [one, two] = expander.expand(metric, {
      samples: [
        { dimensions: { Interface: "eth0" }, value: 1 },
        { dimensions: { MountPath: "/", Filesystem: "/dev/sda1" }, value: 1 },
      ],
      skipped: [],
    });
    assert.equal(datumProblem({ metric: one!.identity, value: 1, timestamp: 1_000 }, 1_000), undefined);
    assert.equal(
      datumProblem({ metric: two!.identity, value: 1, timestamp: 1_000 }, 1_000),
      "has 31 dimensions; at most 30 are allowed",
    );
  });

  it("a series that could not be read is counted and logged by name, once a minute", () => {
    const { expander, metric, stats, lines } = setup(
      metricWith(0),
      "system disk.used, scope host (as configured)",
    );
    const skipped = { dimensions: { MountPath: "/mnt/nfs", Filesystem: "server:/x" }, reason: "statfs hung" };
    expander.expand(metric, { samples: [], skipped: [skipped] });
    expander.expand(metric, { samples: [], skipped: [skipped] });
    assert.equal(stats.readFailures, 2);
    const warnings = lines.filter((l) => l.level === "warn");
    assert.deepEqual(
      warnings.map((l) => [l.message, l.series]),
      [
        [
          'metric "Disk" {MountPath=/mnt/nfs, Filesystem=server:/x}: not read: statfs hung',
          skipped.dimensions,
        ],
      ],
    );
    assert.equal(
      lines[0]!.message,
      'metric "Disk": system disk.used, scope host (as configured)',
      "start note",
    );
  });

  it("a reading's notes are warnings with the metric's name; its baselines are handed on with the metric", () => {
    const { expander, metric, lines, baselinesSet } = setup(metricWith(0));
    const values = expander.expand(metric, {
      samples: [{ dimensions: { Code: "200" }, value: { values: [0.1, 1], counts: [3, 2] } }],
      skipped: [],
      notes: ['label "path" of family "x" has taken more than 100 values'],
      baselines: 2,
    });
    assert.deepEqual(
      values.map((v) => v.value),
      [{ values: [0.1, 1], counts: [3, 2] }],
    );
    assert.deepEqual(baselinesSet, [["Disk", 2]]);
    assert.deepEqual(
      lines.filter((l) => l.level === "warn").map((l) => l.message),
      ['metric "Disk": label "path" of family "x" has taken more than 100 values'],
    );
  });
});
