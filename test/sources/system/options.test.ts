/** The one check of a system metric's options, shared by validate-config and the reader. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createSystemReader } from "../../../src/sources/system/create-system-reader.js";
import { SYSTEM_METRIC_NAMES, SYSTEM_METRICS } from "../../../src/config/system-metrics.js";
import { systemOptionProblems } from "../../../src/config/system-options.js";

describe("systemOptionProblems", () => {
  it("accepts every metric with scope alone, and each with the options it takes", () => {
    for (const metric of SYSTEM_METRIC_NAMES) {
      assert.deepEqual(systemOptionProblems({ metric, scope: "host" }), [], metric);
      for (const option of SYSTEM_METRICS[metric].options)
        assert.deepEqual(
          systemOptionProblems({ metric, [option]: option === "perCpu" ? true : ["*"] }),
          [],
          `${metric} ${option}`,
        );
    }
  });
  it("suggests the metric a typo meant", () => {
    assert.deepEqual(systemOptionProblems({ metric: "memory.utilisation" }), [
      '"memory.utilisation" is not a system metric (did you mean "memory.utilization"?)',
    ]);
    assert.deepEqual(systemOptionProblems({ metric: "diskspace" }), [
      `"diskspace" is not a system metric (one of: ${SYSTEM_METRIC_NAMES.join(", ")})`,
    ]);
  });
  it("names an option the metric does not take, and what it takes", () => {
    assert.deepEqual(systemOptionProblems({ metric: "memory.used", mounts: ["/"] }), [
      "mounts does not apply to memory.used (it takes only scope)",
    ]);
    assert.deepEqual(systemOptionProblems({ metric: "disk.used", interfaces: ["eth0"], perCpu: false }), [
      "perCpu does not apply to disk.used (it takes scope and mounts)",
      "interfaces does not apply to disk.used (it takes scope and mounts)",
    ]);
  });
  it("rejects empty glob lists and empty globs", () => {
    assert.deepEqual(systemOptionProblems({ metric: "network.rx.bytes", interfaces: [] }), [
      "interfaces is empty: leave it out to take the default, or list at least one glob",
    ]);
    assert.deepEqual(systemOptionProblems({ metric: "diskio.read.bytes", devices: ["sda", "!"] }), [
      "devices has an empty glob",
    ]);
  });
  it("the reader refuses what the check refuses, with the metric named", () => {
    assert.throws(() => createSystemReader({ metric: "memory.used", scope: "host", mounts: ["/"] }), {
      name: "SourceError",
      message: "system memory.used: mounts does not apply to memory.used (it takes only scope)",
    });
  });
});
