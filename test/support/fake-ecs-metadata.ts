/**
 * A fake ECS task metadata endpoint v4 on 127.0.0.1, reached through ECS_CONTAINER_METADATA_URI_V4:
 * `${base}` answers this container's document and `${base}/task` the task's, shaped as the ECS
 * documentation's examples.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4-examples.html
 */
import { startLoopbackServer, type LoopbackOptions, type LoopbackServer } from "./loopback-server.js";

export const FAKE_TASK_ARN =
  "arn:aws:ecs:ap-northeast-1:444455556666:task/prod-cluster/8f03e41243824aea923aca126495f665";

export const FAKE_CONTAINER = {
  DockerId: "ea32192c8553fbff06c9340478a2ff089b2bb5646fb718b4ee206641c9086d66",
  Name: "metrics-publisher",
  DockerName: "ecs-checkout-24-metrics-publisher-cca48e8dcadd97805600",
  Image: "ghcr.io/example/cloudwatch-publisher:latest",
  Labels: {
    "com.amazonaws.ecs.cluster": "arn:aws:ecs:ap-northeast-1:444455556666:cluster/prod-cluster",
    "com.amazonaws.ecs.container-name": "metrics-publisher",
    "com.amazonaws.ecs.task-arn": FAKE_TASK_ARN,
    "com.amazonaws.ecs.task-definition-family": "checkout",
    "com.amazonaws.ecs.task-definition-version": "24",
  },
  DesiredStatus: "RUNNING",
  KnownStatus: "RUNNING",
  Type: "NORMAL",
};

export const FAKE_TASK = {
  Cluster: "arn:aws:ecs:ap-northeast-1:444455556666:cluster/prod-cluster",
  ServiceName: "checkout-service",
  VPCID: "vpc-1234567890abcdef0",
  TaskARN: FAKE_TASK_ARN,
  Family: "checkout",
  Revision: "24",
  DesiredStatus: "RUNNING",
  KnownStatus: "RUNNING",
  Limits: { CPU: 0.25, Memory: 512 },
  AvailabilityZone: "ap-northeast-1c",
  LaunchType: "EC2",
  Containers: [FAKE_CONTAINER],
};

export interface FakeEcsOptions extends LoopbackOptions {
  /** Fields replacing the task's; a field set to undefined is left out (as older agents and Fargate do). */
  readonly task?: Readonly<Record<string, unknown>>;
  readonly container?: Readonly<Record<string, unknown>>;
}

export interface FakeEcsMetadata extends LoopbackServer {
  /** The value ECS gives ECS_CONTAINER_METADATA_URI_V4. */
  readonly url: string;
}

const CONTAINER_PATH = "/v4/ea32192c8553fbff06c9340478a2ff08-3057410541";

export async function startFakeEcsMetadata(options: FakeEcsOptions = {}): Promise<FakeEcsMetadata> {
  const task = JSON.stringify({ ...FAKE_TASK, ...options.task });
  const container = JSON.stringify({ ...FAKE_CONTAINER, ...options.container });
  const server = await startLoopbackServer(({ method, path }) => {
    if (method !== "GET") return { status: 405, body: "Method Not Allowed" };
    const json = { "content-type": "application/json" };
    if (path === CONTAINER_PATH) return { status: 200, body: container, headers: json };
    if (path === `${CONTAINER_PATH}/task`) return { status: 200, body: task, headers: json };
    return { status: 404, body: "404 page not found" };
  }, options);
  return { ...server, url: server.origin + CONTAINER_PATH, close: () => server.close() };
}
