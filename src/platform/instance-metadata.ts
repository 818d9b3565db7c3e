/**
 * EC2 instance metadata through IMDSv2, with the AWS SDK's own client (@aws-sdk/ec2-metadata-service):
 * one session token (PUT /latest/api/token with its TTL header), then the documents asked for, in parallel,
 * each with that token. Without a token nothing is read: IMDSv1 is refused, as the SDK refuses it when
 * AWS_EC2_METADATA_V1_DISABLED is set.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html
 */
import { MetadataService } from "@aws-sdk/ec2-metadata-service";
import { pause, unlessAborted } from "./deadline-signal.js";
import { failureText, type Fetched } from "./metadata-failure.js";
import {
  IMDS_TOKEN_TTL_SECONDS,
  METADATA_RETRY_DELAY_MS,
  METADATA_TRIES,
  METADATA_TRY_TIMEOUT_MS,
} from "./metadata-timing.js";
import type { PlatformEnv } from "./platform-env.js";

// The settings the SDK reads, with the SDK's own names and rules (@smithy/credential-provider-imds,
// @aws-sdk/credential-provider-node).
const ENV_DISABLED = "AWS_EC2_METADATA_DISABLED";
const ENV_ENDPOINT = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
const ENV_ENDPOINT_MODE = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
/** The IMDS's address when nothing else is configured (endpoint mode IPv4). */
export const DEFAULT_IMDS_ORIGIN = "http://169.254.169.254";
const ENDPOINT_BY_MODE: Readonly<Record<string, string>> = {
  IPv4: DEFAULT_IMDS_ORIGIN,
  IPv6: "http://[fd00:ec2::254]",
};
const TOKEN_PATH = "/latest/api/token";
const TOKEN_HEADER = "x-aws-ec2-metadata-token";
const HOP_LIMIT_HINT =
  "in a container on EC2 the token's answer needs a hop limit of 2 " +
  "(instance metadata option HttpPutResponseHopLimit)";

/** Why instance metadata must not be read, or undefined: any value of AWS_EC2_METADATA_DISABLED but "false". */
export function instanceMetadataDisabled(env: PlatformEnv): string | undefined {
  const value = env[ENV_DISABLED];
  if (value === undefined || value === "" || value === "false") return undefined;
  return `${ENV_DISABLED} is "${value}", so instance metadata is not read`;
}

export type MetadataEndpoint =
  { readonly ok: true; readonly origin: string } | { readonly ok: false; readonly reason: string };

/**
 * The IMDS endpoint: AWS_EC2_METADATA_SERVICE_ENDPOINT when set, else the address of
 * AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE (IPv4, the default, or IPv6). Only the scheme, host and port
 * are used, as the SDK's credential provider does. (Settings in ~/.aws/config are not read.)
 */
export function instanceMetadataEndpoint(env: PlatformEnv): MetadataEndpoint {
  const explicit = env[ENV_ENDPOINT];
  if (explicit !== undefined && explicit !== "") {
    let url: URL;
    try {
      url = new URL(explicit);
    } catch {
      return { ok: false, reason: `${ENV_ENDPOINT} is not a URL: "${explicit}"` };
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      return { ok: false, reason: `${ENV_ENDPOINT} must be an http:// or https:// URL, not "${explicit}"` };
    return { ok: true, origin: url.origin };
  }
  const mode =
    env[ENV_ENDPOINT_MODE] === undefined || env[ENV_ENDPOINT_MODE] === "" ? "IPv4" : env[ENV_ENDPOINT_MODE];
  const origin = ENDPOINT_BY_MODE[mode];
  if (origin === undefined)
    return { ok: false, reason: `${ENV_ENDPOINT_MODE} is "${mode}"; use IPv4 or IPv6` };
  return { ok: true, origin };
}

type Token = { readonly ok: true; readonly token: string } | { readonly ok: false; readonly reason: string };

/**
 * Reads `paths` (each starting with /latest/) from the IMDS at `origin`. Every path has its answer by the
 * time `signal` aborts at the latest: the document, why it could not be read, or the abort's reason.
 */
export async function readInstanceMetadata(
  paths: readonly string[],
  origin: string,
  signal: AbortSignal,
): Promise<Map<string, Fetched>> {
  const service = new MetadataService({
    endpoint: origin,
    httpOptions: { timeout: METADATA_TRY_TIMEOUT_MS },
    retries: METADATA_TRIES - 1,
    // A promise, so the pause ends (and the SDK stops retrying) when the deadline passes.
    backoff: () => pause(METADATA_RETRY_DELAY_MS, signal),
    tokenTtl: IMDS_TOKEN_TTL_SECONDS,
    // The token is fetched once, below, and sent with every request; the SDK never falls back to v1.
    disableFetchToken: true,
    ec2MetadataV1Disabled: false,
  });
  const results = new Map<string, Fetched>();
  const token = await unlessAborted<Token>(
    service.fetchMetadataToken().then(
      (value): Token => ({ ok: true, token: value }),
      (error: unknown): Token => ({ ok: false, reason: failureText(error, METADATA_TRIES) }),
    ),
    signal,
    (reason) => ({ ok: false, reason }),
  );
  if (!token.ok) {
    // The classic cause in a container on EC2: the PUT's answer dies at the default hop limit of 1.
    const hint = token.reason.startsWith("no answer") ? `; ${HOP_LIMIT_HINT}` : "";
    const reason =
      `no IMDSv2 session token (PUT ${origin}${TOKEN_PATH}: ${token.reason}); ` +
      `IMDSv1, without a token, is refused${hint}`;
    for (const path of paths) results.set(path, { ok: false, url: origin + path, reason });
    return results;
  }
  await Promise.all(
    paths.map(async (path) => {
      const url = origin + path;
      // The SDK appends the path to the endpoint's own ("/"), hence the path without its first slash.
      const request = service.request(path.slice(1), { headers: { [TOKEN_HEADER]: token.token } }).then(
        (body): Fetched => ({ ok: true, url, document: body }),
        (error: unknown): Fetched => ({ ok: false, url, reason: failureText(error, METADATA_TRIES) }),
      );
      results.set(
        path,
        await unlessAborted(request, signal, (reason): Fetched => ({ ok: false, url, reason })),
      );
    }),
  );
  return results;
}
