/** Placeholders resolved for real: the SDK's IMDS client and fetch against fake endpoints on loopback. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { IMDS_TOKEN_TTL_SECONDS } from "../../src/platform/metadata-timing.js";
import { PLACEHOLDER_NAMES, type PlaceholderName } from "../../src/platform/placeholders.js";
import { resolveIdentity } from "../../src/platform/resolve-identity.js";
import { FAKE_CONTAINER, FAKE_TASK, startFakeEcsMetadata } from "../support/fake-ecs-metadata.js";
import { FAKE_ASG, FAKE_HOSTNAME, FAKE_IDENTITY, startFakeImds } from "../support/fake-imds.js";

const ALL: ReadonlySet<PlaceholderName> = new Set(PLACEHOLDER_NAMES);

const imdsEnv = (imds: { origin: string }) => ({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.origin });
const paths = (server: { requests: readonly { method: string; path: string }[] }) =>
  new Set(server.requests.map((r) => `${r.method} ${r.path}`));

describe("resolveIdentity: every placeholder from the served metadata", () => {
  it("resolves all sixteen names to the served values and says where each was read", async () => {
    const imds = await startFakeImds();
    const ecs = await startFakeEcsMetadata();
    try {
      const { values, unresolved, sources } = await resolveIdentity(ALL, {
        ...imdsEnv(imds),
        ECS_CONTAINER_METADATA_URI_V4: ecs.url,
      });
      assert.deepEqual(Object.fromEntries(unresolved), {});
      assert.deepEqual(Object.fromEntries(values), {
        "aws:InstanceId": FAKE_IDENTITY.instanceId,
        "aws:InstanceType": FAKE_IDENTITY.instanceType,
        "aws:ImageId": FAKE_IDENTITY.imageId,
        "aws:Region": FAKE_IDENTITY.region,
        "aws:AvailabilityZone": FAKE_IDENTITY.availabilityZone,
        "aws:AccountId": FAKE_IDENTITY.accountId,
        "aws:Hostname": FAKE_HOSTNAME,
        "aws:AutoScalingGroupName": FAKE_ASG,
        "ecs:ClusterName": "prod-cluster",
        "ecs:TaskId": "8f03e41243824aea923aca126495f665",
        "ecs:TaskFamily": FAKE_TASK.Family,
        "ecs:TaskRevision": FAKE_TASK.Revision,
        "ecs:ServiceName": FAKE_TASK.ServiceName,
        "ecs:ContainerName": FAKE_CONTAINER.Name,
        "ecs:AvailabilityZone": FAKE_TASK.AvailabilityZone,
        "ecs:LaunchType": FAKE_TASK.LaunchType,
      });
      assert.equal(
        sources.get("aws:InstanceId"),
        `${imds.origin}/latest/dynamic/instance-identity/document, field instanceId`,
      );
      assert.equal(sources.get("ecs:ContainerName"), `${ecs.url}, field Name`);
      assert.equal(sources.get("ecs:TaskId"), `${ecs.url}/task, field TaskARN (its last part)`);
      // One token, sent with the TTL header; each document asked once.
      assert.deepEqual(imds.tokenTtls, [String(IMDS_TOKEN_TTL_SECONDS)]);
      assert.deepEqual(
        paths(imds),
        new Set([
          "PUT /latest/api/token",
          "GET /latest/dynamic/instance-identity/document",
          "GET /latest/meta-data/hostname",
          "GET /latest/meta-data/tags/instance/aws:autoscaling:groupName",
        ]),
      );
      assert.equal(imds.requests.length, 4);
      assert.deepEqual(
        paths(ecs),
        new Set([`GET ${new URL(ecs.url).pathname}`, `GET ${new URL(ecs.url).pathname}/task`]),
      );
    } finally {
      await imds.close();
      await ecs.close();
    }
  });

  it("asks only the documents the names need", async () => {
    const imds = await startFakeImds();
    const ecs = await startFakeEcsMetadata();
    try {
      const env = { ...imdsEnv(imds), ECS_CONTAINER_METADATA_URI_V4: ecs.url };
      const task = await resolveIdentity(new Set<PlaceholderName>(["ecs:TaskId", "ecs:ClusterName"]), env);
      assert.equal(task.values.size, 2);
      assert.equal(imds.requests.length, 0, "no instance metadata asked for task names");
      assert.deepEqual(paths(ecs), new Set([`GET ${new URL(ecs.url).pathname}/task`]));

      const instance = await resolveIdentity(new Set<PlaceholderName>(["aws:InstanceId"]), env);
      assert.equal(instance.values.get("aws:InstanceId"), FAKE_IDENTITY.instanceId);
      assert.deepEqual(
        paths(imds),
        new Set(["PUT /latest/api/token", "GET /latest/dynamic/instance-identity/document"]),
      );
      assert.equal(ecs.requests.length, 1, "no more task metadata asked");

      const none = await resolveIdentity(new Set(), env);
      assert.deepEqual([none.values.size, none.unresolved.size, none.sources.size], [0, 0, 0]);
    } finally {
      await imds.close();
      await ecs.close();
    }
  });

  it("retries a request that failed: a 503 on the token and on the task document", async () => {
    const imds = await startFakeImds({ failFirst: 1 });
    const ecs = await startFakeEcsMetadata({ failFirst: 1 });
    try {
      const needed = new Set<PlaceholderName>(["aws:InstanceId", "ecs:TaskFamily"]);
      const { values, unresolved } = await resolveIdentity(needed, {
        ...imdsEnv(imds),
        ECS_CONTAINER_METADATA_URI_V4: ecs.url,
      });
      assert.deepEqual(Object.fromEntries(unresolved), {});
      assert.equal(values.get("aws:InstanceId"), FAKE_IDENTITY.instanceId);
      assert.equal(values.get("ecs:TaskFamily"), FAKE_TASK.Family);
      assert.equal(ecs.requests.length, 2);
    } finally {
      await imds.close();
      await ecs.close();
    }
  });

  it("resolves the older task ARN format and a cluster given by its short name", async () => {
    const ecs = await startFakeEcsMetadata({
      task: { Cluster: "default", TaskARN: "arn:aws:ecs:us-west-1:444455556666:task/33d0f530-3e32-4bce" },
    });
    try {
      const needed = new Set<PlaceholderName>(["ecs:TaskId", "ecs:ClusterName"]);
      const { values } = await resolveIdentity(needed, { ECS_CONTAINER_METADATA_URI_V4: ecs.url });
      assert.deepEqual(Object.fromEntries(values), {
        "ecs:TaskId": "33d0f530-3e32-4bce",
        "ecs:ClusterName": "default",
      });
    } finally {
      await ecs.close();
    }
  });
});

describe("the fake IMDS keeps IMDSv2's rules", () => {
  it("refuses a GET without a token, and a token request without a TTL", async () => {
    const imds = await startFakeImds();
    try {
      const get = await fetch(`${imds.origin}/latest/meta-data/instance-id`);
      assert.equal(get.status, 401);
      const put = await fetch(`${imds.origin}/latest/api/token`, { method: "PUT" });
      assert.equal(put.status, 400);
      const good = await fetch(`${imds.origin}/latest/api/token`, {
        method: "PUT",
        headers: { "x-aws-ec2-metadata-token-ttl-seconds": "30" },
      });
      const token = await good.text();
      const id = await fetch(`${imds.origin}/latest/meta-data/instance-id`, {
        headers: { "x-aws-ec2-metadata-token": token },
      });
      assert.equal(await id.text(), FAKE_IDENTITY.instanceId);
    } finally {
      await imds.close();
    }
  });
});
