/**
 * The entity PutMetricData's EntityMetricData carries, so that CloudWatch's "Explore related" links the
 * metrics to what sent them: the ECS service (or standalone task family) in an ECS task, else the EC2
 * instance. Pure: built from values already resolved.
 *
 * Shapes, as the API reference defines them and as the CloudWatch agent fills them:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Entity.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/adding-your-own-related-telemetry.html
 * - EC2 instance: the agent's resource entity (aws/amazon-cloudwatch-agent,
 *   plugins/processors/awsentity/processor.go): Type AWS::Resource, ResourceType AWS::EC2::Instance,
 *   Identifier the instance ID, AwsAccountId when known; no Attributes.
 * - ECS: the agent's ECS service conventions (plugins/processors/awsapplicationsignals/internal/resolver/ecs.go
 *   and common/types.go): Type Service, Environment "ecs:<cluster>", PlatformType AWS::ECS, ECS.Cluster,
 *   ECS.TaskId, ECS.TaskDefinitionFamily, ECS.TaskDefinitionRevision.
 */
import type { Entity } from "@aws-sdk/client-cloudwatch";
import { instanceMetadataDisabled } from "./instance-metadata.js";
import type { PlaceholderName } from "./placeholders.js";
import type { PlatformEnv } from "./platform-env.js";
import { ENV_TASK_METADATA_URI } from "./task-metadata.js";

/** Entity.Attributes: "Maximum number of 10 items", values "Maximum length of 2048". (API_Entity) */
export const MAX_ENTITY_ATTRIBUTES = 10;
export const MAX_ENTITY_VALUE_LENGTH = 2048;

const ECS_NAMES: ReadonlySet<PlaceholderName> = new Set<PlaceholderName>([
  "ecs:ClusterName",
  "ecs:ServiceName",
  "ecs:TaskFamily",
  "ecs:TaskRevision",
  "ecs:TaskId",
]);
const EC2_NAMES: ReadonlySet<PlaceholderName> = new Set<PlaceholderName>(["aws:InstanceId", "aws:AccountId"]);

/**
 * The names entityFor() uses on this platform: the task's in an ECS task (one request to the task
 * metadata), else the instance's (one IMDS document) unless instance metadata is disabled, else none.
 * Instance metadata is not asked in a task: on Fargate there is none, and waiting for it costs the deadline.
 */
export function entityPlaceholders(env: PlatformEnv): ReadonlySet<PlaceholderName> {
  if ((env[ENV_TASK_METADATA_URI] ?? "") !== "") return ECS_NAMES;
  return instanceMetadataDisabled(env) === undefined ? EC2_NAMES : new Set();
}

type Pairs = Record<string, string>;

/** The pairs whose value is known and within the API's length limit. */
function known(pairs: Readonly<Record<string, string | undefined>>): Pairs {
  const kept: Pairs = {};
  for (const [key, value] of Object.entries(pairs))
    if (value !== undefined && value !== "" && value.length <= MAX_ENTITY_VALUE_LENGTH) kept[key] = value;
  return kept;
}

function ecsEntity(values: ReadonlyMap<PlaceholderName, string>): Entity | undefined {
  const cluster = values.get("ecs:ClusterName");
  const name = values.get("ecs:ServiceName") ?? values.get("ecs:TaskFamily");
  if (cluster === undefined || name === undefined) return undefined;
  const keyAttributes = known({ Type: "Service", Name: name, Environment: `ecs:${cluster}` });
  if (Object.keys(keyAttributes).length < 3) return undefined;
  const attributes = known({
    PlatformType: "AWS::ECS",
    "ECS.Cluster": cluster,
    "ECS.TaskId": values.get("ecs:TaskId"),
    "ECS.TaskDefinitionFamily": values.get("ecs:TaskFamily"),
    "ECS.TaskDefinitionRevision": values.get("ecs:TaskRevision"),
    "EC2.InstanceId": values.get("aws:InstanceId"),
  });
  return { KeyAttributes: keyAttributes, Attributes: attributes };
}

function ec2Entity(values: ReadonlyMap<PlaceholderName, string>): Entity | undefined {
  const instanceId = values.get("aws:InstanceId");
  if (instanceId === undefined) return undefined;
  const keyAttributes = known({
    Type: "AWS::Resource",
    ResourceType: "AWS::EC2::Instance",
    Identifier: instanceId,
    AwsAccountId: values.get("aws:AccountId"),
  });
  return keyAttributes.Identifier === undefined ? undefined : { KeyAttributes: keyAttributes };
}

/** The entity of the ECS service or task when the task is known, else of the EC2 instance, else undefined. */
export function entityFor(values: ReadonlyMap<PlaceholderName, string>): Entity | undefined {
  return ecsEntity(values) ?? ec2Entity(values);
}
