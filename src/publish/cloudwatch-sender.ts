/**
 * The one CloudWatchClient of the process. Credentials, region, endpoint (AWS_ENDPOINT_URL), signing,
 * gzip of large bodies, retries with backoff and the request timeout are the SDK's; we only configure
 * them, and sort its errors (cloudwatch/classify.ts) into what Delivery does next.
 */
import { CloudWatchClient, PutMetricDataCommand, type Entity } from "@aws-sdk/client-cloudwatch";
import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS } from "@smithy/core/config";
import type { Environment } from "../environment.js";
import type { Logger } from "../log.js";
import type { Datum } from "../cloudwatch/datum.js";
import { classify } from "../cloudwatch/classify.js";
import { toPutMetricDataInput } from "../cloudwatch/request.js";
import { sdkLogger } from "./sdk-logger.js";
import type { Sender, SendResult } from "./sender.js";

// The SDK prints a multi-line warning on Node.js 20 to stderr, which breaks one-JSON-object-per-line
// logs; the start-up log says the same in one line instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/**
 * The region used when none is configured and the platform's metadata gives none either
 * (commands/platform-start.ts asks the ECS task's and the instance's metadata in between).
 */
export const FALLBACK_REGION = "ap-southeast-2";
/** Attempts per request, the first included; the SDK backs off between them ("adaptive" also rate-limits). */
export const MAX_ATTEMPTS = 3;
export const CONNECTION_TIMEOUT_MS = 3_000;
export interface RegionChoice {
  readonly region: string;
  readonly fallback: boolean;
  /** Where it came from: "AWS_REGION" or "the AWS profile"; absent for the fallback. */
  readonly source?: string;
}

/**
 * The configured region: AWS_REGION, else the profile's `region`, read by the SDK's own loader. Not
 * the SDK's last resort (the instance's metadata), which the platform step asks itself, after the
 * ECS task's, so that the start line can say where the region came from.
 */
export async function resolveRegion(env: Environment = process.env): Promise<RegionChoice> {
  const configured = loadConfig<string | undefined>(
    {
      environmentVariableSelector: (vars) => vars.AWS_REGION || undefined,
      configFileSelector: (profile) => profile.region || undefined,
      default: () => undefined,
    },
    NODE_REGION_CONFIG_FILE_OPTIONS,
  );
  try {
    const region = await configured();
    if (region === undefined) return { region: FALLBACK_REGION, fallback: true };
    const source = env.AWS_REGION === region ? "AWS_REGION" : "the AWS profile";
    return { region, fallback: false, source };
  } catch {
    return { region: FALLBACK_REGION, fallback: true };
  }
}

/** The endpoint a user pointed the SDK at, if any, for the start-up log line. */
export function endpointOverride(env: Environment): string | undefined {
  return env.AWS_ENDPOINT_URL_CLOUDWATCH ?? env.AWS_ENDPOINT_URL;
}

export interface CloudWatchSenderOptions {
  readonly region: string;
  /** Bounds one attempt: the SDK aborts it (throwOnRequestTimeout) and retries; after that the outbox does. */
  readonly requestTimeoutMs: number;
  readonly logger: Logger;
  /** The entity every request carries (EntityMetricData), if any. */
  readonly entity?: Entity | undefined;
}

export function createCloudWatchSender({
  region,
  requestTimeoutMs,
  logger,
  entity,
}: CloudWatchSenderOptions): Sender {
  const client = new CloudWatchClient({
    region,
    maxAttempts: MAX_ATTEMPTS,
    retryMode: "adaptive",
    // The handler's own logger, not the client's: a client logger makes the SDK copy every
    // request's input for a log record on each call (see sdk-logger.ts), which costs CPU per datum.
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
      logger: sdkLogger(logger),
    },
  });
  // Inside the SDK's retry loop, so the first attempt that times out is logged when it happens,
  // not only after the last attempt.
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const attempt = (args.request as { headers?: Record<string, string> }).headers?.["amz-sdk-request"];
        if ((error as Error).name === "TimeoutError" && attempt?.startsWith("attempt=1;") === true) {
          const namespace = (args.input as { Namespace?: string }).Namespace ?? "";
          logger.warn(
            `PutMetricData for namespace "${namespace}": no answer within ${requestTimeoutMs} ms (delivery.requestTimeout); the attempt was abandoned and is retried`,
            { namespace, error: "TimeoutError", requestTimeoutMs },
          );
        }
        throw error;
      }
    },
    { step: "deserialize", name: "logRequestTimeouts" },
  );
  return {
    async send(namespace: string, datums: readonly Datum[], signal: AbortSignal): Promise<SendResult> {
      try {
        await client.send(new PutMetricDataCommand(toPutMetricDataInput(namespace, datums, entity)), {
          abortSignal: signal,
        });
        return { ok: true };
      } catch (error) {
        const err = error as Error;
        if (signal.aborted || err.name === "AbortError") return { ok: false, error: err, failure: "aborted" };
        const { kind, hint } = classify(err);
        return { ok: false, error: err, failure: kind, hint };
      }
    },
    close() {
      client.destroy();
    },
  };
}
