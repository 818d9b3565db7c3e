/** The entity sent with PutMetricData, from resolved values: a table of platforms. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  entityFor,
  entityPlaceholders,
  MAX_ENTITY_ATTRIBUTES,
  MAX_ENTITY_VALUE_LENGTH,
} from "../../src/platform/entity.js";
import type { PlaceholderName } from "../../src/platform/placeholders.js";

const values = (pairs: Partial<Record<PlaceholderName, string>>) =>
  new Map(Object.entries(pairs) as [PlaceholderName, string][]);

const INSTANCE = { "aws:InstanceId": "i-0fedcba9876543210", "aws:AccountId": "111122223333" } as const;
const TASK = {
  "ecs:ClusterName": "prod-cluster",
  "ecs:ServiceName": "checkout-service",
  "ecs:TaskFamily": "checkout",
  "ecs:TaskRevision": "24",
  "ecs:TaskId": "8f03e41243824aea923aca126495f665",
} as const;

describe("entityFor", () => {
  it("an EC2 instance is the agent's resource entity of the instance", () => {
    assert.deepEqual(entityFor(values(INSTANCE)), {
      KeyAttributes: {
        Type: "AWS::Resource",
        ResourceType: "AWS::EC2::Instance",
        Identifier: "i-0fedcba9876543210",
        AwsAccountId: "111122223333",
      },
    });
  });

  it("leaves out the account when it is not known", () => {
    assert.deepEqual(entityFor(values({ "aws:InstanceId": "i-1" })), {
      KeyAttributes: { Type: "AWS::Resource", ResourceType: "AWS::EC2::Instance", Identifier: "i-1" },
    });
  });

  it("an ECS task of a service is that service, in the cluster's environment", () => {
    assert.deepEqual(entityFor(values({ ...TASK, ...INSTANCE })), {
      KeyAttributes: { Type: "Service", Name: "checkout-service", Environment: "ecs:prod-cluster" },
      Attributes: {
        PlatformType: "AWS::ECS",
        "ECS.Cluster": "prod-cluster",
        "ECS.TaskId": "8f03e41243824aea923aca126495f665",
        "ECS.TaskDefinitionFamily": "checkout",
        "ECS.TaskDefinitionRevision": "24",
        "EC2.InstanceId": "i-0fedcba9876543210",
      },
    });
  });

  it("a task no service started (Fargate has no ServiceName) is named after its family", () => {
    const entity = entityFor(values({ ...TASK, "ecs:ServiceName": undefined as unknown as string }));
    assert.deepEqual(entity?.KeyAttributes, {
      Type: "Service",
      Name: "checkout",
      Environment: "ecs:prod-cluster",
    });
  });

  it("without a cluster the task is not an entity; the instance is, if known", () => {
    const noCluster = Object.fromEntries(Object.entries(TASK).filter(([name]) => name !== "ecs:ClusterName"));
    assert.equal(entityFor(values(noCluster)), undefined);
    assert.equal(entityFor(values({ ...noCluster, ...INSTANCE }))?.KeyAttributes?.Type, "AWS::Resource");
  });

  it("nothing known, no entity", () => {
    assert.equal(entityFor(new Map()), undefined);
    assert.equal(entityFor(values({ "aws:Region": "eu-west-1", "ecs:LaunchType": "FARGATE" })), undefined);
  });

  it("stays within the API's limits: at most 10 attributes, values of at most 2048 characters", () => {
    const long = "x".repeat(MAX_ENTITY_VALUE_LENGTH + 1);
    const entity = entityFor(values({ ...TASK, ...INSTANCE, "ecs:TaskId": long }))!;
    assert.ok(Object.keys(entity.Attributes ?? {}).length <= MAX_ENTITY_ATTRIBUTES);
    assert.equal(entity.Attributes?.["ECS.TaskId"], undefined);
    assert.equal(entityFor(values({ ...TASK, "ecs:ClusterName": long })), undefined);
  });
});

describe("entityPlaceholders", () => {
  it("asks the task in an ECS task, the instance elsewhere, nothing when instance metadata is off", () => {
    assert.deepEqual(
      [...entityPlaceholders({ ECS_CONTAINER_METADATA_URI_V4: "http://169.254.170.2/v4/x" })].sort(),
      ["ecs:ClusterName", "ecs:ServiceName", "ecs:TaskFamily", "ecs:TaskId", "ecs:TaskRevision"],
    );
    assert.deepEqual([...entityPlaceholders({})].sort(), ["aws:AccountId", "aws:InstanceId"]);
    assert.equal(entityPlaceholders({ AWS_EC2_METADATA_DISABLED: "true" }).size, 0);
  });
});
