/** Placeholders that cannot be resolved: refusals, absences and silences, each a reason naming the place. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_DIMENSION_VALUE_LENGTH } from "../../src/cloudwatch/limits.js";
import { PLATFORM_DEADLINE_MS } from "../../src/platform/metadata-timing.js";
import { PLACEHOLDER_NAMES, type PlaceholderName } from "../../src/platform/placeholders.js";
import { resolveIdentity } from "../../src/platform/resolve-identity.js";
import { startFakeEcsMetadata } from "../support/fake-ecs-metadata.js";
import { FAKE_IDENTITY, startFakeImds } from "../support/fake-imds.js";
import { closedOrigin } from "../support/loopback-server.js";

const EC2_NAMES = new Set(PLACEHOLDER_NAMES.filter((name) => name.startsWith("aws:")));
const ECS_NAMES = new Set(PLACEHOLDER_NAMES.filter((name) => name.startsWith("ecs:")));
/** Generous: the documented bound, doubled for a loaded machine. Not a timing test. */
const BOUND_MS = 2 * PLATFORM_DEADLINE_MS;

const imdsEnv = (imds: { origin: string }) => ({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.origin });

async function timed<T>(work: Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work;
  return { result, ms: performance.now() - started };
}

function assertAllUnresolved(
  unresolved: ReadonlyMap<string, string>,
  names: Iterable<string>,
  pattern: RegExp,
) {
  for (const name of names) assert.match(unresolved.get(name) ?? "(resolved)", pattern, name);
}

describe("resolveIdentity: what cannot be resolved is a reason naming the place", () => {
  it("takes no value longer than a dimension value may be (a hostile or broken answer)", async () => {
    const imds = await startFakeImds({
      identity: { instanceType: "x".repeat(MAX_DIMENSION_VALUE_LENGTH + 1) },
    });
    try {
      const names = new Set<PlaceholderName>(["aws:InstanceType", "aws:InstanceId"]);
      const { values, unresolved } = await resolveIdentity(names, imdsEnv(imds));
      assert.deepEqual([...values], [["aws:InstanceId", FAKE_IDENTITY.instanceId]]);
      assert.match(
        unresolved.get("aws:InstanceType")!,
        /field instanceType: the value is 1025 characters long, more than the 1024 of a dimension value$/,
      );
    } finally {
      await imds.close();
    }
  });

  it("refuses an IMDSv1-only service: no token, no request without one", async () => {
    const imds = await startFakeImds({ v1Only: true });
    try {
      const { values, unresolved } = await resolveIdentity(EC2_NAMES, imdsEnv(imds));
      assert.equal(values.size, 0);
      assertAllUnresolved(
        unresolved,
        EC2_NAMES,
        /^looked for at http:\/\/127\.0\.0\.1:\d+\/latest\/.*: no IMDSv2 session token \(PUT http:\/\/127\.0\.0\.1:\d+\/latest\/api\/token: answered HTTP 405\); IMDSv1, without a token, is refused$/,
      );
      assert.deepEqual(
        imds.requests.filter((r) => r.method === "GET"),
        [],
        "nothing was read without a token",
      );
    } finally {
      await imds.close();
    }
  });

  it("tells how to allow tags when the instance does not serve them", async () => {
    const imds = await startFakeImds({ tagsInMetadata: false });
    try {
      const needed = new Set<PlaceholderName>(["aws:AutoScalingGroupName", "aws:InstanceType"]);
      const { values, unresolved } = await resolveIdentity(needed, imdsEnv(imds));
      assert.equal(values.get("aws:InstanceType"), FAKE_IDENTITY.instanceType);
      assert.equal(
        unresolved.get("aws:AutoScalingGroupName"),
        `looked for at ${imds.origin}/latest/meta-data/tags/instance/aws:autoscaling:groupName: answered HTTP 404; ` +
          "the instance must belong to an Auto Scaling group and allow tags in its metadata " +
          "(instance metadata option InstanceMetadataTags=enabled)",
      );
    } finally {
      await imds.close();
    }
  });

  it("names the missing task field, and when ECS gives it", async () => {
    const ecs = await startFakeEcsMetadata({
      task: { ServiceName: undefined, LaunchType: "FARGATE", AvailabilityZone: undefined },
    });
    try {
      const needed = new Set<PlaceholderName>(["ecs:ServiceName", "ecs:AvailabilityZone", "ecs:LaunchType"]);
      const { values, unresolved } = await resolveIdentity(needed, {
        ECS_CONTAINER_METADATA_URI_V4: ecs.url,
      });
      assert.deepEqual(Object.fromEntries(values), { "ecs:LaunchType": "FARGATE" });
      assert.equal(
        unresolved.get("ecs:ServiceName"),
        `looked for at ${ecs.url}/task, field ServiceName: the document has no ServiceName; ECS gives it only ` +
          "for tasks a service started on EC2 or ECS Anywhere container instances (ECS agent 1.63.1 or later), not on Fargate",
      );
      assert.match(
        unresolved.get("ecs:AvailabilityZone") ?? "",
        /has no AvailabilityZone; .*\$\{aws:AvailabilityZone\}/,
      );
    } finally {
      await ecs.close();
    }
  });

  it("honours AWS_EC2_METADATA_DISABLED as the SDK does: any value but false", async () => {
    const imds = await startFakeImds();
    try {
      for (const value of ["true", "1"]) {
        const { unresolved } = await resolveIdentity(EC2_NAMES, {
          ...imdsEnv(imds),
          AWS_EC2_METADATA_DISABLED: value,
        });
        assertAllUnresolved(
          unresolved,
          EC2_NAMES,
          new RegExp(`: AWS_EC2_METADATA_DISABLED is "${value}", so instance metadata is not read$`),
        );
      }
      assert.equal(imds.requests.length, 0);
      const { values } = await resolveIdentity(new Set<PlaceholderName>(["aws:Region"]), {
        ...imdsEnv(imds),
        AWS_EC2_METADATA_DISABLED: "false",
      });
      assert.equal(values.get("aws:Region"), FAKE_IDENTITY.region);
    } finally {
      await imds.close();
    }
  });

  it("needs no network to know it is not in an ECS task", async () => {
    const { unresolved } = await resolveIdentity(ECS_NAMES, {});
    assertAllUnresolved(
      unresolved,
      ECS_NAMES,
      /^looked for at \$\{ECS_CONTAINER_METADATA_URI_V4\}.*: ECS_CONTAINER_METADATA_URI_V4 is not set \(not running in an ECS task\)$/,
    );
  });

  it("rejects an unknown endpoint mode with the SDK's choices", async () => {
    const { unresolved } = await resolveIdentity(new Set<PlaceholderName>(["aws:InstanceId"]), {
      AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: "IPv5",
    });
    assert.match(
      unresolved.get("aws:InstanceId") ?? "",
      /AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE is "IPv5"; use IPv4 or IPv6$/,
    );
  });

  it("reports a refused connection, after its tries", async () => {
    const origin = await closedOrigin();
    const { result, ms } = await timed(
      resolveIdentity(new Set<PlaceholderName>(["aws:InstanceId", "ecs:TaskId"]), {
        AWS_EC2_METADATA_SERVICE_ENDPOINT: origin,
        ECS_CONTAINER_METADATA_URI_V4: `${origin}/v4/abc`,
      }),
    );
    assert.match(result.unresolved.get("aws:InstanceId") ?? "", /api\/token: connection refused, 3 tries\)/);
    assert.equal(
      result.unresolved.get("ecs:TaskId"),
      `looked for at ${origin}/v4/abc/task, field TaskARN (its last part): connection refused, 3 tries`,
    );
    assert.ok(ms < BOUND_MS, `${ms} ms`);
  });

  it("stops at once when the caller's signal aborts", async () => {
    const imds = await startFakeImds({ answering: { kind: "silent" } });
    try {
      const controller = new AbortController();
      const resolving = timed(
        resolveIdentity(new Set<PlaceholderName>(["aws:ImageId"]), imdsEnv(imds), {
          signal: controller.signal,
        }),
      );
      setTimeout(() => controller.abort(), 50);
      const { result, ms } = await resolving;
      assert.match(
        result.unresolved.get("aws:ImageId") ?? "",
        /: no IMDSv2 session token \(PUT .*: cancelled\)/,
      );
      assert.ok(ms < PLATFORM_DEADLINE_MS, `${ms} ms`);
    } finally {
      await imds.close();
    }
  });
});

describe(
  "resolveIdentity: slow or silent metadata, within the documented bound",
  { concurrency: true },
  () => {
    const cases: { name: string; answering: { kind: "slow"; delayMs: number } | { kind: "silent" } }[] = [
      { name: "answers later than a try allows", answering: { kind: "slow", delayMs: 5000 } },
      { name: "never answers", answering: { kind: "silent" } },
    ];
    for (const { name, answering } of cases) {
      it(`instance metadata that ${name}`, async () => {
        const imds = await startFakeImds({ answering });
        try {
          const { result, ms } = await timed(resolveIdentity(EC2_NAMES, imdsEnv(imds)));
          assert.equal(result.values.size, 0);
          assertAllUnresolved(
            result.unresolved,
            EC2_NAMES,
            /^looked for at http:\/\/127\.0\.0\.1:\d+\/latest\/.*: no IMDSv2 session token \(PUT .*\/latest\/api\/token: (no answer within \d+ ms, 3 tries|gave up at the \d+ ms deadline)\)/,
          );
          const reason = result.unresolved.get("aws:InstanceId") ?? "";
          // A token request that times out is the hop-limit trap of containers on EC2; the reason says so.
          if (reason.includes("no answer within"))
            assert.match(reason, /hop limit of 2 \(.*HttpPutResponseHopLimit\)$/);
          assert.ok(ms < BOUND_MS, `${ms} ms`);
        } finally {
          await imds.close();
        }
      });
      it(`task metadata that ${name}`, async () => {
        const ecs = await startFakeEcsMetadata({ answering });
        try {
          const { result, ms } = await timed(
            resolveIdentity(ECS_NAMES, { ECS_CONTAINER_METADATA_URI_V4: ecs.url }),
          );
          assert.equal(result.values.size, 0);
          assertAllUnresolved(
            result.unresolved,
            ECS_NAMES,
            /^looked for at http:\/\/127\.0\.0\.1:\d+\/v4\/.*: (no answer within \d+ ms, 3 tries|gave up at the \d+ ms deadline)$/,
          );
          assert.ok(ms < BOUND_MS, `${ms} ms`);
        } finally {
          await ecs.close();
        }
      });
    }

    it("a document that answers slowly but within a try still resolves", async () => {
      const imds = await startFakeImds({ answering: { kind: "slow", delayMs: 200 } });
      try {
        const { values } = await resolveIdentity(new Set<PlaceholderName>(["aws:AccountId"]), imdsEnv(imds));
        assert.equal(values.get("aws:AccountId"), FAKE_IDENTITY.accountId);
      } finally {
        await imds.close();
      }
    });
  },
);
