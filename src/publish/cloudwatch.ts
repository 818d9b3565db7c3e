/**
 * The one CloudWatchClient of the process. Credentials, region, endpoint (AWS_ENDPOINT_URL), signing,
 * gzip of large bodies and retries with backoff are the SDK's; we only configure them.
 */
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { Environment } from "../config/interpolate.js";
import type { Datum } from "./datum.js";
import { toPutMetricDataInput } from "./request.js";
import type { Sender, SendResult } from "./sender.js";

// The SDK prints a multi-line warning on Node.js 20 to stderr, which breaks one-JSON-object-per-line
// logs; the start-up log says the same in one line instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** The region used when the SDK's chain (AWS_REGION, AWS_DEFAULT_REGION, profile, IMDS) finds none. */
export const FALLBACK_REGION = "ap-southeast-2";
/** Attempts per request, the first included; the SDK backs off between them ("adaptive" also rate-limits). */
export const MAX_ATTEMPTS = 3;
export const CONNECTION_TIMEOUT_MS = 3_000;

/** Error names with which CloudWatch refuses the request itself: resending it cannot succeed. */
const NOT_RETRYABLE = new Set([
  "InvalidParameterValueException",
  "InvalidParameterValue",
  "InvalidParameterCombinationException",
  "InvalidParameterCombination",
  "MissingRequiredParameterException",
  "MissingParameter",
]);

export interface RegionChoice {
  readonly region: string;
  readonly fallback: boolean;
}

/** The region the SDK's own chain resolves, or the fallback when it finds none. */
export async function resolveRegion(): Promise<RegionChoice> {
  const probe = new CloudWatchClient({});
  try {
    return { region: await probe.config.region(), fallback: false };
  } catch {
    return { region: FALLBACK_REGION, fallback: true };
  } finally {
    probe.destroy();
  }
}

/** The endpoint a user pointed the SDK at, if any, for the start-up log line. */
export function endpointOverride(env: Environment): string | undefined {
  return env.AWS_ENDPOINT_URL_CLOUDWATCH ?? env.AWS_ENDPOINT_URL;
}

/** `requestTimeoutMs` bounds one attempt; the SDK then retries, and after that the outbox does. */
export function createCloudWatchSender(region: string, requestTimeoutMs: number): Sender {
  const client = new CloudWatchClient({
    region,
    maxAttempts: MAX_ATTEMPTS,
    retryMode: "adaptive",
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: requestTimeoutMs },
  });
  return {
    async send(namespace: string, datums: readonly Datum[]): Promise<SendResult> {
      try {
        await client.send(new PutMetricDataCommand(toPutMetricDataInput(namespace, datums)));
        return { ok: true };
      } catch (error) {
        const err = error as Error;
        return { ok: false, error: err, retryable: !NOT_RETRYABLE.has(err.name) };
      }
    },
    close() {
      client.destroy();
    },
  };
}
