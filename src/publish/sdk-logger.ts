/**
 * The AWS SDK's own log calls, routed into winston so that they are JSON lines like every other
 * (the SDK would print its warnings to stderr as plain text). Warnings and errors the SDK states
 * as text are logged; the records its logger middleware writes for every request (info on success,
 * error with the whole request on failure) are not: Delivery logs each outcome itself.
 */
import type { CloudWatchClientConfig } from "@aws-sdk/client-cloudwatch";
import type { Logger } from "../log.js";

export type SdkLogger = NonNullable<CloudWatchClientConfig["logger"]>;

function text(content: readonly unknown[]): string | undefined {
  if (content.length === 0 || !content.every((part) => typeof part === "string")) return undefined;
  return content.join(" ");
}

export function sdkLogger(logger: Logger): SdkLogger {
  const ignore = (): void => undefined;
  return {
    trace: ignore,
    debug: ignore,
    info: ignore,
    warn: (...content: unknown[]) => {
      const message = text(content);
      if (message !== undefined) logger.warn(`AWS SDK: ${message}`, { source: "aws-sdk" });
    },
    error: (...content: unknown[]) => {
      const message = text(content);
      if (message !== undefined) logger.error(`AWS SDK: ${message}`, { source: "aws-sdk" });
    },
  };
}
