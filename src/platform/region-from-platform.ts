/**
 * The region the process runs in, from the platform, for when none is configured (AWS_REGION,
 * AWS_DEFAULT_REGION, a profile's region): the ECS task's (its ARN, else its Availability Zone), else the
 * EC2 instance's (its identity document). Within PLATFORM_DEADLINE_MS in all; never throws.
 */
import { deadlineSignal } from "./deadline-signal.js";
import { PLATFORM_DEADLINE_MS } from "./metadata-timing.js";
import { documentField, type MetadataDocument } from "./placeholders.js";
import type { PlatformEnv } from "./platform-env.js";
import { readDocuments } from "./read-documents.js";
import type { ResolveOptions } from "./resolve-identity.js";
import { ENV_TASK_METADATA_URI } from "./task-metadata.js";

export type PlatformRegion =
  | { readonly region: string; readonly source: string }
  | { readonly region: undefined; readonly reasons: readonly string[] };

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
/** us-east-1a, and Local Zones' us-west-2-lax-1a: the region, then a letter or a dash. */
const ZONE = /^([a-z]{2}(?:-[a-z]+)+-\d+)(?:[a-z]|-.+)$/;

/** The region of an ARN (arn:partition:service:region:account:resource), if it has a valid one. */
export function regionOfArn(arn: string | undefined): string | undefined {
  const region = arn?.split(":")[3];
  return region !== undefined && REGION.test(region) ? region : undefined;
}

/** The region an Availability Zone name belongs to. */
export function regionOfZone(zone: string | undefined): string | undefined {
  return zone === undefined ? undefined : ZONE.exec(zone)?.[1];
}

interface Reading {
  readonly document: MetadataDocument;
  readonly pick: (document: unknown) => { region: string; field: string } | undefined;
  readonly what: string;
}

const ECS_TASK: Reading = {
  document: "ecs-task",
  what: "ECS task metadata",
  pick(task) {
    const fromArn = regionOfArn(documentField(task, "TaskARN"));
    if (fromArn !== undefined) return { region: fromArn, field: "TaskARN" };
    const fromZone = regionOfZone(documentField(task, "AvailabilityZone"));
    return fromZone === undefined ? undefined : { region: fromZone, field: "AvailabilityZone" };
  },
};

const EC2_IDENTITY: Reading = {
  document: "ec2-identity",
  what: "EC2 instance metadata",
  pick(identity) {
    const region = documentField(identity, "region");
    return region !== undefined && REGION.test(region) ? { region, field: "region" } : undefined;
  },
};

export async function regionFromPlatform(
  env: PlatformEnv = process.env,
  options: ResolveOptions = {},
): Promise<PlatformRegion> {
  // In an ECS task the task's metadata is the authority; the instance's is asked only if it fails.
  const inTask = (env[ENV_TASK_METADATA_URI] ?? "") !== "";
  const readings = inTask ? [ECS_TASK, EC2_IDENTITY] : [EC2_IDENTITY];
  const reasons: string[] = [];
  const deadline = deadlineSignal(PLATFORM_DEADLINE_MS, options.signal);
  try {
    for (const reading of readings) {
      const fetched = (await readDocuments(new Set([reading.document]), env, deadline.signal)).get(
        reading.document,
      )!;
      const found = fetched.ok ? reading.pick(fetched.document) : undefined;
      if (found !== undefined)
        return { region: found.region, source: `${reading.what} (${fetched.url}, field ${found.field})` };
      const why = fetched.ok ? "no region in the document" : fetched.reason;
      reasons.push(`${reading.what}: looked for at ${fetched.url}: ${why}`);
    }
    return { region: undefined, reasons };
  } finally {
    deadline.dispose();
  }
}
