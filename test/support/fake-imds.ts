/**
 * A fake EC2 instance metadata service on 127.0.0.1, reached through AWS_EC2_METADATA_SERVICE_ENDPOINT.
 * It keeps IMDSv2's rules: a session token from PUT /latest/api/token with a TTL header of 1 to 21,600
 * seconds (else 400), and every GET carrying a token it issued (else 401). Instance tags are served under
 * meta-data/tags/instance/ only when the instance allows tags in metadata (else 404, as IMDS does).
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html
 */
import { randomBytes } from "node:crypto";
import {
  startLoopbackServer,
  type LoopbackServer,
  type LoopbackOptions,
  type Reply,
} from "./loopback-server.js";

export const FAKE_IDENTITY = {
  accountId: "111122223333",
  architecture: "x86_64",
  availabilityZone: "eu-west-1b",
  imageId: "ami-0abcdef1234567890",
  instanceId: "i-0fedcba9876543210",
  instanceType: "m7g.large",
  pendingTime: "2026-01-05T09:00:00Z",
  privateIp: "10.0.1.23",
  region: "eu-west-1",
  version: "2017-09-30",
} as const;

export const FAKE_HOSTNAME = "ip-10-0-1-23.eu-west-1.compute.internal";
export const FAKE_ASG = "web-fleet-asg";

export interface FakeImdsOptions extends LoopbackOptions {
  /** An IMDSv1-only service: the token PUT is answered 405 and GETs need no token. */
  readonly v1Only?: boolean;
  /** Whether the instance allows tags in metadata (InstanceMetadataTags); default true. */
  readonly tagsInMetadata?: boolean;
  /** The instance's tags; default its Auto Scaling group's. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly identity?: Readonly<Record<string, string>>;
}

export interface FakeImds extends LoopbackServer {
  /** TTL headers of the token requests, in order. */
  readonly tokenTtls: readonly string[];
}

const TOKEN_PATH = "/latest/api/token";
const MAX_TOKEN_TTL_SECONDS = 21_600;
const TAGS = "/latest/meta-data/tags/instance";

const text = (body: string): Reply => ({ status: 200, body });
const notFound: Reply = { status: 404, body: "Not Found" };

export async function startFakeImds(options: FakeImdsOptions = {}): Promise<FakeImds> {
  const identity = { ...FAKE_IDENTITY, ...options.identity };
  const tags = options.tags ?? { "aws:autoscaling:groupName": FAKE_ASG };
  const tokens = new Set<string>();
  const tokenTtls: string[] = [];
  const leaves: Readonly<Record<string, string>> = {
    "/latest/dynamic/instance-identity/document": JSON.stringify(identity, null, 2),
    "/latest/meta-data/instance-id": identity.instanceId,
    "/latest/meta-data/instance-type": identity.instanceType,
    "/latest/meta-data/ami-id": identity.imageId,
    "/latest/meta-data/hostname": FAKE_HOSTNAME,
    "/latest/meta-data/local-hostname": FAKE_HOSTNAME,
    "/latest/meta-data/placement/availability-zone": identity.availabilityZone,
    "/latest/meta-data/placement/region": identity.region,
  };

  const server = await startLoopbackServer(({ method, path, headers }) => {
    if (method === "PUT" && path === TOKEN_PATH) {
      if (options.v1Only === true) return { status: 405, body: "Method Not Allowed" };
      const ttl = String(headers["x-aws-ec2-metadata-token-ttl-seconds"] ?? "");
      tokenTtls.push(ttl);
      const seconds = Number(ttl);
      if (!/^\d+$/.test(ttl) || seconds < 1 || seconds > MAX_TOKEN_TTL_SECONDS)
        return { status: 400, body: "Missing or invalid x-aws-ec2-metadata-token-ttl-seconds" };
      if (headers["x-forwarded-for"] !== undefined) return { status: 403, body: "Forbidden" };
      const token = randomBytes(24).toString("base64");
      tokens.add(token);
      return { status: 200, body: token, headers: { "x-aws-ec2-metadata-token-ttl-seconds": ttl } };
    }
    if (method !== "GET") return { status: 405, body: "Method Not Allowed" };
    const token = headers["x-aws-ec2-metadata-token"];
    if (options.v1Only !== true && (typeof token !== "string" || !tokens.has(token)))
      return { status: 401, body: "Unauthorized" };
    const leaf = leaves[path];
    if (leaf !== undefined) return text(leaf);
    if (path === TAGS || path.startsWith(`${TAGS}/`)) {
      if (options.tagsInMetadata === false) return notFound;
      if (path === TAGS) return text(Object.keys(tags).join("\n"));
      const value = tags[decodeURIComponent(path.slice(TAGS.length + 1))];
      return value === undefined ? notFound : text(value);
    }
    return notFound;
  }, options);
  return { ...server, tokenTtls, close: () => server.close() };
}
