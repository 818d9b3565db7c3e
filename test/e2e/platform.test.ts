/**
 * Issue 16 end to end: the built CLI against a fake IMDS, a fake ECS task metadata endpoint and the fake
 * CloudWatch, all on 127.0.0.1. Placeholders resolve to the served values and arrive as dimensions; the
 * entity arrives with the requests; the region comes from metadata; metadata that is refused, silent or
 * slow gives the default, or stops the start (exit 1) naming the placeholder, within the deadline.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { PLATFORM_DEADLINE_MS } from "../../src/platform/metadata-timing.js";
import { cleanEnv, jsonLines, REPO_ROOT, runCli } from "../support/cli.js";
import { FakeCloudWatch } from "../support/fake-cloudwatch.js";
import { FAKE_CONTAINER, FAKE_TASK, startFakeEcsMetadata } from "../support/fake-ecs-metadata.js";
import { FAKE_ASG, FAKE_HOSTNAME, FAKE_IDENTITY, startFakeImds } from "../support/fake-imds.js";
import { closedOrigin } from "../support/loopback-server.js";
import { PLANTED_SECRETS } from "../support/secrets.js";

const dir = mkdtempSync(join(tmpdir(), "cwp-platform-"));
let fake: FakeCloudWatch;

/** The process start, the reads, the deadline: generous, since only "bounded" is asserted, never a speed. */
const BOUNDED_MS = PLATFORM_DEADLINE_MS + 12_000;

function writeConfig(name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

/** The fake's environment with instance metadata at `imds` (never the real address). */
function env(extra: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = { ...fake.env(), LOG_FORMAT: "json" };
  delete base.AWS_EC2_METADATA_DISABLED;
  return cleanEnv({ ...base, ...extra });
}

const startLine = (stdout: string) =>
  jsonLines(stdout).find((line) => line.message === "cloudwatch-publisher once started");

before(async () => {
  fake = await FakeCloudWatch.start();
});
after(async () => {
  await fake.close();
});

describe("EC2 placeholders from a fake IMDS (IMDSv2)", () => {
  it("every ${aws:...} resolves to the served value, arrives as a dimension, with the instance's entity", async () => {
    const imds = await startFakeImds();
    try {
      const names = [
        "InstanceId",
        "InstanceType",
        "ImageId",
        "Region",
        "AvailabilityZone",
        "AccountId",
        "Hostname",
        "AutoScalingGroupName",
      ];
      const dims = names.map((n) => `      ${n}: \${aws:${n}}`).join("\n");
      const config = writeConfig(
        "ec2.yaml",
        `metrics:\n  - name: Ec2Up\n    namespace: E2E/Platform/Ec2\n    source: { type: constant, value: 1 }\n    dimensions:\n${dims}\n`,
      );
      const before = fake.datums.length;
      const r = await runCli(["once", "--config", config], {
        env: env({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.origin }),
      });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const datum = fake.datums.slice(before).find((d) => d.name === "Ec2Up")!;
      assert.deepEqual(datum.dimensions, {
        InstanceId: FAKE_IDENTITY.instanceId,
        InstanceType: FAKE_IDENTITY.instanceType,
        ImageId: FAKE_IDENTITY.imageId,
        Region: FAKE_IDENTITY.region,
        AvailabilityZone: FAKE_IDENTITY.availabilityZone,
        AccountId: FAKE_IDENTITY.accountId,
        Hostname: FAKE_HOSTNAME,
        AutoScalingGroupName: FAKE_ASG,
      });
      assert.deepEqual(datum.entity, {
        KeyAttributes: {
          Type: "AWS::Resource",
          ResourceType: "AWS::EC2::Instance",
          Identifier: FAKE_IDENTITY.instanceId,
          AwsAccountId: FAKE_IDENTITY.accountId,
        },
      });
      assert.deepEqual(fake.entityFailures, []);
      const start = startLine(r.stdout)!;
      assert.equal((start.platform as Record<string, string>)["aws:InstanceId"], FAKE_IDENTITY.instanceId);
      // IMDSv2: a token first, every read with it (the fake answers 401 otherwise).
      assert.equal(imds.requests[0]!.method, "PUT");
      assert.ok(imds.requests.slice(1).every((req) => req.headers["x-aws-ec2-metadata-token"] !== undefined));
    } finally {
      await imds.close();
    }
  });

  it("entity: false sends no entity, and with no placeholder asks no metadata at all", async () => {
    const imds = await startFakeImds();
    try {
      const config = writeConfig(
        "no-entity.yaml",
        "entity: false\nmetrics:\n  - { name: NoEntity, namespace: E2E/Platform/NoEntity, source: { type: constant, value: 1 } }\n",
      );
      const before = fake.datums.length;
      const r = await runCli(["once", "--config", config], {
        env: env({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.origin }),
      });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const datum = fake.datums.slice(before).find((d) => d.name === "NoEntity")!;
      assert.equal(datum.entity, undefined);
      assert.deepEqual(imds.requests, []);
    } finally {
      await imds.close();
    }
  });

  it("IMDSv1 only: refused as the SDK refuses it; no default stops the start (exit 1) naming the placeholder and its line", async () => {
    const imds = await startFakeImds({ v1Only: true });
    try {
      const config = writeConfig(
        "v1.yaml",
        "metrics:\n  - name: V1\n    namespace: E2E/Platform/V1\n    source: { type: constant, value: 1 }\n    dimensions: { InstanceId: '${aws:InstanceId}' }\n",
      );
      const before = fake.datums.length;
      const r = await runCli(["once", "--config", config], {
        env: env({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.origin }),
      });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const error = jsonLines(r.stdout).find((l) => String(l.message).startsWith("cannot start"))!;
      assert.match(
        String(error.message),
        /^cannot start: \$\{aws:InstanceId\} \(.*v1\.yaml line 5\) could not be read from the platform and has no default: looked for at http:\/\/127\.0\.0\.1:\d+\/latest\/dynamic\/instance-identity\/document, field instanceId: no IMDSv2 session token .*IMDSv1, without a token, is refused; give it a default, e\.g\. \$\{aws:InstanceId:-unknown\}$/,
      );
      assert.equal(fake.datums.length, before, "nothing was sent");
      assert.ok(
        imds.requests.every((req) => req.method === "PUT"),
        "no read without a token",
      );
    } finally {
      await imds.close();
    }
  });

  it("metadata that never answers: the default is used within the deadline, and the start line says so", async () => {
    const imds = await startFakeImds({ answering: { kind: "silent" } });
    try {
      const config = writeConfig(
        "silent.yaml",
        "entity: false\nmetrics:\n  - name: OnPrem\n    namespace: E2E/Platform/Silent\n    source: { type: constant, value: 1 }\n    dimensions: { Host: '${aws:InstanceId:-on-prem}' }\n",
      );
      const before = fake.datums.length;
      const started = Date.now();
      const r = await runCli(["once", "--config", config], {
        env: env({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.origin }),
      });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(Date.now() - started < BOUNDED_MS, `took ${Date.now() - started} ms`);
      const datum = fake.datums.slice(before).find((d) => d.name === "OnPrem")!;
      assert.deepEqual(datum.dimensions, { Host: "on-prem" });
      assert.deepEqual(startLine(r.stdout)!.platform, { "aws:InstanceId": 'default "on-prem"' });
    } finally {
      await imds.close();
    }
  });

  it("metadata that answers too late, without a default: exit 1 within the deadline, naming the placeholder", async () => {
    const imds = await startFakeImds({ answering: { kind: "slow", delayMs: PLATFORM_DEADLINE_MS * 3 } });
    try {
      const config = writeConfig(
        "slow.yaml",
        "metrics:\n  - name: Slow\n    namespace: E2E/Platform/Slow\n    source: { type: constant, value: 1 }\n    dimensions: { Zone: '${aws:AvailabilityZone}' }\n",
      );
      const started = Date.now();
      const r = await runCli(["once", "--config", config], {
        env: env({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.origin }),
      });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.ok(Date.now() - started < BOUNDED_MS, `took ${Date.now() - started} ms`);
      assert.match(r.stdout, /cannot start: \$\{aws:AvailabilityZone\} \(.*slow\.yaml line 5\)/);
    } finally {
      await imds.close();
    }
  });

  it("a closed endpoint: the default is used", async () => {
    const config = writeConfig(
      "closed.yaml",
      "metrics:\n  - name: Closed\n    namespace: E2E/Platform/Closed\n    source: { type: constant, value: 1 }\n    dimensions: { Type: '${aws:InstanceType:-unknown}' }\n",
    );
    const before = fake.datums.length;
    const r = await runCli(["once", "--config", config], {
      env: env({ AWS_EC2_METADATA_SERVICE_ENDPOINT: await closedOrigin() }),
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const datum = fake.datums.slice(before).find((d) => d.name === "Closed")!;
    assert.deepEqual(datum.dimensions, { Type: "unknown" });
    assert.equal(datum.entity, undefined, "no entity without an instance");
  });

  it("a tag value put into a source is kept out of the logs", async () => {
    const secret = PLANTED_SECRETS.CWP_TEST_TOKEN!;
    const imds = await startFakeImds({ tags: { "aws:autoscaling:groupName": secret } });
    try {
      const config = writeConfig(
        "tag-secret.yaml",
        "entity: false\nmetrics:\n  - name: TagInArg\n    namespace: E2E/Platform/Tag\n    source: { type: command, command: [sh, -c, 'echo 1', sh, '${aws:AutoScalingGroupName}'] }\n",
      );
      // runCli fails the test if any output shows a planted secret.
      const r = await runCli(["once", "--config", config], {
        env: env({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.origin }),
      });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(startLine(r.stdout)!.platform, {
        "aws:AutoScalingGroupName": "(hidden: used in a metric's source)",
      });
    } finally {
      await imds.close();
    }
  });
});

describe("ECS placeholders from a fake task metadata endpoint v4", () => {
  it("every ${ecs:...} resolves to the served value, arrives as a dimension, with the service's entity", async () => {
    const ecs = await startFakeEcsMetadata();
    try {
      const names = [
        "ClusterName",
        "TaskId",
        "TaskFamily",
        "TaskRevision",
        "ServiceName",
        "ContainerName",
        "AvailabilityZone",
        "LaunchType",
      ];
      const dims = names.map((n) => `      ${n}: \${ecs:${n}}`).join("\n");
      const config = writeConfig(
        "ecs.yaml",
        `metrics:\n  - name: TaskUp\n    namespace: E2E/Platform/Ecs\n    source: { type: constant, value: 1 }\n    dimensions:\n${dims}\n`,
      );
      const before = fake.datums.length;
      const r = await runCli(["once", "--config", config], {
        env: env({ ECS_CONTAINER_METADATA_URI_V4: ecs.url }),
      });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const datum = fake.datums.slice(before).find((d) => d.name === "TaskUp")!;
      const taskId = FAKE_TASK.TaskARN.split("/").at(-1)!;
      assert.deepEqual(datum.dimensions, {
        ClusterName: "prod-cluster",
        TaskId: taskId,
        TaskFamily: FAKE_TASK.Family,
        TaskRevision: FAKE_TASK.Revision,
        ServiceName: FAKE_TASK.ServiceName,
        ContainerName: FAKE_CONTAINER.Name,
        AvailabilityZone: FAKE_TASK.AvailabilityZone,
        LaunchType: FAKE_TASK.LaunchType,
      });
      assert.deepEqual(datum.entity, {
        KeyAttributes: { Type: "Service", Name: FAKE_TASK.ServiceName, Environment: "ecs:prod-cluster" },
        Attributes: {
          PlatformType: "AWS::ECS",
          "ECS.Cluster": "prod-cluster",
          "ECS.TaskId": taskId,
          "ECS.TaskDefinitionFamily": FAKE_TASK.Family,
          "ECS.TaskDefinitionRevision": FAKE_TASK.Revision,
        },
      });
    } finally {
      await ecs.close();
    }
  });

  it("a field the task does not give, without a default: exit 1 naming the field and the URL", async () => {
    const ecs = await startFakeEcsMetadata({ task: { Family: undefined } });
    try {
      const config = writeConfig(
        "ecs-missing.yaml",
        "metrics:\n  - name: NoFamily\n    namespace: E2E/Platform/EcsMissing\n    source: { type: constant, value: 1 }\n    dimensions: { Family: '${ecs:TaskFamily}' }\n",
      );
      const r = await runCli(["once", "--config", config], {
        env: env({ ECS_CONTAINER_METADATA_URI_V4: ecs.url }),
      });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(
        r.stdout,
        /cannot start: \$\{ecs:TaskFamily\} .*: looked for at http:\/\/127\.0\.0\.1:\d+\/v4\/[^/]+\/task, field Family: the document has no Family/,
      );
    } finally {
      await ecs.close();
    }
  });
});

describe("the region from the platform", () => {
  it("with no AWS_REGION, the region comes from the instance's identity document, and the start line says so", async () => {
    const regional = await FakeCloudWatch.start({ region: FAKE_IDENTITY.region });
    const imds = await startFakeImds();
    try {
      const config = writeConfig(
        "region.yaml",
        "entity: false\nmetrics:\n  - { name: Regional, namespace: E2E/Platform/Region, source: { type: constant, value: 1 } }\n",
      );
      const e: Record<string, string> = {
        ...regional.env(),
        LOG_FORMAT: "json",
        AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.origin,
        AWS_CONFIG_FILE: join(dir, "no-aws-config"),
      };
      delete e.AWS_REGION;
      delete e.AWS_EC2_METADATA_DISABLED;
      const r = await runCli(["once", "--config", config], { env: cleanEnv(e) });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      // The fake refuses a request signed for another region.
      assert.deepEqual(regional.protocolErrors, []);
      assert.equal(regional.datums.filter((d) => d.name === "Regional").length, 1);
      const start = startLine(r.stdout)!;
      assert.equal(start.region, FAKE_IDENTITY.region);
      assert.match(
        String(start.regionSource),
        /^EC2 instance metadata \(http:\/\/127\.0\.0\.1:\d+\/latest\/dynamic\/instance-identity\/document, field region\)$/,
      );
    } finally {
      await imds.close();
      await regional.close();
    }
  });
});

describe("deploy/ecs/task-definition.json's heartbeat, in a fake ECS task", () => {
  it("its environment as written: the cluster as a dimension, the region from the task's ARN, the service as the entity", async () => {
    const task = JSON.parse(readFileSync(join(REPO_ROOT, "deploy/ecs/task-definition.json"), "utf8")) as {
      containerDefinitions: { environment: { name: string; value: string }[] }[];
    };
    const written = Object.fromEntries(
      task.containerDefinitions[0]!.environment.map((e) => [e.name, e.value]),
    );
    const region = FAKE_TASK.TaskARN.split(":")[3]!;
    const regional = await FakeCloudWatch.start({ region });
    const ecs = await startFakeEcsMetadata();
    try {
      const e: Record<string, string> = {
        ...regional.env(),
        ...written,
        OUTBOX_DIR: mkdtempSync(join(dir, "outbox-")),
        LOG_FORMAT: "json",
        ECS_CONTAINER_METADATA_URI_V4: ecs.url,
        AWS_CONFIG_FILE: join(dir, "no-aws-config"),
      };
      delete e.AWS_REGION;
      const r = await runCli(["once"], { env: cleanEnv(e) });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(regional.protocolErrors, []);
      const datum = regional.datums.find((d) => d.name === written.METRIC_NAME)!;
      assert.deepEqual(datum.dimensions, { Service: "my-service", Stage: "prod", Cluster: "prod-cluster" });
      assert.equal(datum.entity?.KeyAttributes.Name, FAKE_TASK.ServiceName);
      const start = startLine(r.stdout)!;
      assert.equal(start.region, region);
      assert.match(String(start.regionSource), /^ECS task metadata \(.*, field TaskARN\)$/);
    } finally {
      await ecs.close();
      await regional.close();
    }
  });
});

describe("validate-config and placeholders", () => {
  it("passes a config with placeholders with no metadata reachable, and asks none", async () => {
    const imds = await startFakeImds();
    try {
      const config = writeConfig(
        "valid.yaml",
        "metrics:\n  - name: Up\n    namespace: 'App/${aws:Region:-local}'\n    source: { type: constant, value: 1 }\n    dimensions: { InstanceId: '${aws:InstanceId}', Task: '${ecs:TaskId:-none}' }\n",
      );
      const r = await runCli(["validate-config", config], {
        env: cleanEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.origin }),
      });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /valid\.yaml: valid \(1 metric\)/);
      assert.deepEqual(imds.requests, []);
    } finally {
      await imds.close();
    }
  });

  it("a misspelt placeholder fails with its line and a did-you-mean", async () => {
    const config = writeConfig(
      "misspelt.yaml",
      "metrics:\n  - name: Up\n    namespace: App\n    source: { type: constant, value: 1 }\n    dimensions: { InstanceId: '${aws:InstanceID}', Task: '${ecs:TaskIdd}', Zone: '${gcp:Zone}' }\n",
    );
    const r = await runCli(["validate-config", config]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /misspelt\.yaml:5:\d+: metrics\[0\]\.dimensions\.InstanceId: "\$\{aws:InstanceID\}" is not a known placeholder; did you mean \$\{aws:InstanceId\}\?/,
    );
    assert.match(
      r.stdout,
      /dimensions\.Task: "\$\{ecs:TaskIdd\}" is not a known placeholder; did you mean \$\{ecs:TaskId\}\?/,
    );
    assert.match(
      r.stdout,
      /dimensions\.Zone: "\$\{gcp:Zone\}" is not a known placeholder; placeholders begin with aws: or ecs:/,
    );
  });
});
