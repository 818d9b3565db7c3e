/**
 * The catalogue of platform placeholders (`${aws:...}`, `${ecs:...}`): every name, the metadata document it
 * is read from and the field within it. The one source of truth for validation (names, did-you-mean),
 * resolution (which documents to ask for) and error messages ("looked for at ...").
 *
 * EC2: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-identity-documents.html
 *      https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/work-with-tags-in-IMDS.html
 * ECS: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4-response.html
 */

export const PLACEHOLDER_NAMES = [
  "aws:InstanceId",
  "aws:InstanceType",
  "aws:ImageId",
  "aws:Region",
  "aws:AvailabilityZone",
  "aws:AccountId",
  "aws:Hostname",
  "aws:AutoScalingGroupName",
  "ecs:ClusterName",
  "ecs:TaskId",
  "ecs:TaskFamily",
  "ecs:TaskRevision",
  "ecs:ServiceName",
  "ecs:ContainerName",
  "ecs:AvailabilityZone",
  "ecs:LaunchType",
] as const;

export type PlaceholderName = (typeof PLACEHOLDER_NAMES)[number];

const KNOWN: ReadonlySet<string> = new Set(PLACEHOLDER_NAMES);

export function isPlaceholderName(name: string): name is PlaceholderName {
  return KNOWN.has(name);
}

/** The metadata documents the placeholders are read from; each is fetched at most once per resolution. */
export type MetadataDocument = "ec2-identity" | "ec2-hostname" | "ec2-asg-tag" | "ecs-task" | "ecs-container";

export interface DocumentSpec {
  readonly platform: "ec2" | "ecs";
  /** For EC2, the path under the IMDS endpoint; for ECS, appended to ECS_CONTAINER_METADATA_URI_V4. */
  readonly path: string;
  /** JSON documents are parsed; the others are a single text value. */
  readonly json: boolean;
}

export const DOCUMENTS: Readonly<Record<MetadataDocument, DocumentSpec>> = {
  "ec2-identity": { platform: "ec2", path: "/latest/dynamic/instance-identity/document", json: true },
  "ec2-hostname": { platform: "ec2", path: "/latest/meta-data/hostname", json: false },
  "ec2-asg-tag": {
    platform: "ec2",
    path: "/latest/meta-data/tags/instance/aws:autoscaling:groupName",
    json: false,
  },
  "ecs-task": { platform: "ecs", path: "/task", json: true },
  "ecs-container": { platform: "ecs", path: "", json: true },
};

export interface PlaceholderSource {
  readonly document: MetadataDocument;
  /** The field read, as a reader of the metadata documentation would name it; empty for text documents. */
  readonly field: string;
  /** The value from the parsed document (JSON) or its text; undefined when it is not there. */
  readonly pick: (document: unknown) => string | undefined;
  /** Why the value may legitimately be missing, and what to do about it. */
  readonly whenMissing?: string;
}

/** A field of a JSON document as non-empty text (numbers as written), or undefined. */
export function documentField(document: unknown, key: string): string | undefined {
  if (typeof document !== "object" || document === null) return undefined;
  const value = (document as Record<string, unknown>)[key];
  if (typeof value === "number") return String(value);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

const text = (document: unknown): string | undefined =>
  typeof document === "string" && document.trim() !== "" ? document.trim() : undefined;

/** The last `/`-separated part of an ARN: the task ID of `...:task/cluster/ID` and of the older `...:task/ID`. */
export function lastArnPart(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const part = arn.slice(arn.lastIndexOf("/") + 1);
  return part === "" ? undefined : part;
}

/** `Cluster` is "the ARN or short name of the cluster": the name is what follows `cluster/`. */
function clusterName(document: unknown): string | undefined {
  const cluster = documentField(document, "Cluster");
  return cluster?.startsWith("arn:") === true ? lastArnPart(cluster) : cluster;
}

/** The field `key` of a JSON document. */
function fromField(document: MetadataDocument, key: string, whenMissing?: string): PlaceholderSource {
  const source = { document, field: key, pick: (d: unknown) => documentField(d, key) };
  return whenMissing === undefined ? source : { ...source, whenMissing };
}

export const PLACEHOLDERS: Readonly<Record<PlaceholderName, PlaceholderSource>> = {
  "aws:InstanceId": fromField("ec2-identity", "instanceId"),
  "aws:InstanceType": fromField("ec2-identity", "instanceType"),
  "aws:ImageId": fromField("ec2-identity", "imageId"),
  "aws:Region": fromField("ec2-identity", "region"),
  "aws:AvailabilityZone": fromField("ec2-identity", "availabilityZone"),
  "aws:AccountId": fromField("ec2-identity", "accountId"),
  "aws:Hostname": { document: "ec2-hostname", field: "", pick: text },
  "aws:AutoScalingGroupName": {
    document: "ec2-asg-tag",
    field: "",
    pick: text,
    whenMissing:
      "the instance must belong to an Auto Scaling group and allow tags in its metadata " +
      "(instance metadata option InstanceMetadataTags=enabled)",
  },
  "ecs:ClusterName": { document: "ecs-task", field: "Cluster", pick: clusterName },
  "ecs:TaskId": {
    document: "ecs-task",
    field: "TaskARN (its last part)",
    pick: (document) => lastArnPart(documentField(document, "TaskARN")),
  },
  "ecs:TaskFamily": fromField("ecs-task", "Family"),
  "ecs:TaskRevision": fromField("ecs-task", "Revision"),
  "ecs:ServiceName": fromField(
    "ecs-task",
    "ServiceName",
    "ECS gives it only for tasks a service started on EC2 or ECS Anywhere container instances " +
      "(ECS agent 1.63.1 or later), not on Fargate",
  ),
  "ecs:ContainerName": fromField("ecs-container", "Name"),
  "ecs:AvailabilityZone": fromField(
    "ecs-task",
    "AvailabilityZone",
    "ECS gives it for Fargate tasks (platform 1.4.0 or later); on EC2 use ${aws:AvailabilityZone}",
  ),
  "ecs:LaunchType": fromField("ecs-task", "LaunchType", "ECS gives it from ECS agent 1.45.0 on"),
};
