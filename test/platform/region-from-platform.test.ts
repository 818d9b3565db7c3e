/** The region from the platform: the ECS task's, else the EC2 instance's, against fakes on loopback. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PLATFORM_DEADLINE_MS } from "../../src/platform/metadata-timing.js";
import { regionFromPlatform, regionOfArn, regionOfZone } from "../../src/platform/region-from-platform.js";
import { startFakeEcsMetadata } from "../support/fake-ecs-metadata.js";
import { FAKE_IDENTITY, startFakeImds } from "../support/fake-imds.js";
import { closedOrigin } from "../support/loopback-server.js";

describe("regionOfZone and regionOfArn", () => {
  const zones: [string, string | undefined][] = [
    ["us-east-1a", "us-east-1"],
    ["ap-southeast-2c", "ap-southeast-2"],
    ["us-gov-west-1b", "us-gov-west-1"],
    ["us-west-2-lax-1a", "us-west-2"],
    ["cn-north-1a", "cn-north-1"],
    ["us-east-1", undefined],
    ["use1-az1", undefined],
    ["", undefined],
  ];
  for (const [zone, region] of zones)
    it(`${JSON.stringify(zone)} → ${String(region)}`, () => assert.equal(regionOfZone(zone), region));

  it("reads the region field of an ARN, and nothing else", () => {
    assert.equal(regionOfArn("arn:aws:ecs:eu-central-1:111122223333:task/c/abc"), "eu-central-1");
    assert.equal(regionOfArn("arn:aws-cn:ecs:cn-north-1:111122223333:task/abc"), "cn-north-1");
    assert.equal(regionOfArn("arn:aws:ecs::111122223333:task/abc"), undefined);
    assert.equal(regionOfArn("not an arn"), undefined);
    assert.equal(regionOfArn(undefined), undefined);
  });
});

describe("regionFromPlatform", () => {
  it("takes the ECS task's region from its ARN, and asks no instance metadata", async () => {
    const ecs = await startFakeEcsMetadata();
    const imds = await startFakeImds();
    try {
      const found = await regionFromPlatform({
        ECS_CONTAINER_METADATA_URI_V4: ecs.url,
        AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.origin,
      });
      assert.deepEqual(found, {
        region: "ap-northeast-1",
        source: `ECS task metadata (${ecs.url}/task, field TaskARN)`,
      });
      assert.equal(imds.requests.length, 0);
    } finally {
      await ecs.close();
      await imds.close();
    }
  });

  it("falls back to the task's Availability Zone when its ARN has no region", async () => {
    const ecs = await startFakeEcsMetadata({ task: { TaskARN: "8f03e412", AvailabilityZone: "sa-east-1b" } });
    try {
      const found = await regionFromPlatform({ ECS_CONTAINER_METADATA_URI_V4: ecs.url });
      assert.deepEqual(found, {
        region: "sa-east-1",
        source: `ECS task metadata (${ecs.url}/task, field AvailabilityZone)`,
      });
    } finally {
      await ecs.close();
    }
  });

  it("takes the instance's region from its identity document", async () => {
    const imds = await startFakeImds();
    try {
      const found = await regionFromPlatform({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.origin });
      assert.deepEqual(found, {
        region: FAKE_IDENTITY.region,
        source: `EC2 instance metadata (${imds.origin}/latest/dynamic/instance-identity/document, field region)`,
      });
    } finally {
      await imds.close();
    }
  });

  it("asks the instance when the task's metadata fails, and tells both reasons when neither answers", async () => {
    const nothing = await closedOrigin();
    const imds = await startFakeImds();
    try {
      const env = {
        ECS_CONTAINER_METADATA_URI_V4: `${nothing}/v4/x`,
        AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.origin,
      };
      assert.equal((await regionFromPlatform(env)).region, FAKE_IDENTITY.region);

      const started = performance.now();
      const none = await regionFromPlatform({ ...env, AWS_EC2_METADATA_DISABLED: "true" });
      assert.ok(performance.now() - started < 2 * PLATFORM_DEADLINE_MS);
      assert.deepEqual(none, {
        region: undefined,
        reasons: [
          `ECS task metadata: looked for at ${nothing}/v4/x/task: connection refused, 3 tries`,
          `EC2 instance metadata: looked for at ${imds.origin}/latest/dynamic/instance-identity/document: ` +
            'AWS_EC2_METADATA_DISABLED is "true", so instance metadata is not read',
        ],
      });
    } finally {
      await imds.close();
    }
  });

  it("gives up within the documented bound when the instance metadata never answers", async () => {
    const imds = await startFakeImds({ answering: { kind: "silent" } });
    try {
      const started = performance.now();
      const found = await regionFromPlatform({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.origin });
      const ms = performance.now() - started;
      assert.equal(found.region, undefined);
      assert.match(
        ("reasons" in found ? found.reasons : []).join("\n"),
        /^EC2 instance metadata: looked for at http:\/\/127\.0\.0\.1:\d+\/latest\/dynamic\/instance-identity\/document: no IMDSv2 session token/,
      );
      assert.ok(ms < 2 * PLATFORM_DEADLINE_MS, `${ms} ms`);
    } finally {
      await imds.close();
    }
  });
});
