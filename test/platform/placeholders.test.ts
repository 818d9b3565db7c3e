/** The catalogue: one entry a name, each read from a document of its own platform. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DOCUMENTS,
  isPlaceholderName,
  lastArnPart,
  PLACEHOLDER_NAMES,
  PLACEHOLDERS,
} from "../../src/platform/placeholders.js";

describe("placeholder catalogue", () => {
  it("has sixteen distinct names, each with its source on its own platform", () => {
    assert.equal(new Set(PLACEHOLDER_NAMES).size, 16);
    assert.deepEqual(Object.keys(PLACEHOLDERS).sort(), [...PLACEHOLDER_NAMES].sort());
    for (const name of PLACEHOLDER_NAMES) {
      const platform = name.startsWith("aws:") ? "ec2" : "ecs";
      assert.equal(DOCUMENTS[PLACEHOLDERS[name].document].platform, platform, name);
    }
  });

  it("knows its names exactly (case included)", () => {
    assert.ok(isPlaceholderName("aws:InstanceId"));
    assert.ok(isPlaceholderName("ecs:TaskId"));
    assert.ok(!isPlaceholderName("aws:instanceId"));
    assert.ok(!isPlaceholderName("ecs:TaskID"));
    assert.ok(!isPlaceholderName("HOME"));
  });

  it("picks values from documents, trimmed, and nothing from empty or absent fields", () => {
    assert.equal(PLACEHOLDERS["aws:Hostname"].pick("ip-10-0-0-1.ec2.internal\n"), "ip-10-0-0-1.ec2.internal");
    assert.equal(PLACEHOLDERS["aws:Hostname"].pick("  "), undefined);
    assert.equal(PLACEHOLDERS["ecs:TaskRevision"].pick({ Revision: 7 }), "7");
    assert.equal(PLACEHOLDERS["ecs:ServiceName"].pick({ ServiceName: "" }), undefined);
    assert.equal(PLACEHOLDERS["aws:InstanceId"].pick(null), undefined);
    assert.equal(
      PLACEHOLDERS["ecs:ClusterName"].pick({ Cluster: "arn:aws:ecs:us-east-1:1:cluster/blue" }),
      "blue",
    );
    assert.equal(PLACEHOLDERS["ecs:ClusterName"].pick({ Cluster: "blue" }), "blue");
  });

  it("takes the last part of an ARN", () => {
    assert.equal(lastArnPart("arn:aws:ecs:us-east-1:1:task/blue/abc123"), "abc123");
    assert.equal(lastArnPart("arn:aws:ecs:us-east-1:1:task/abc123"), "abc123");
    assert.equal(lastArnPart("arn:aws:ecs:us-east-1:1:task/"), undefined);
    assert.equal(lastArnPart(undefined), undefined);
  });
});
