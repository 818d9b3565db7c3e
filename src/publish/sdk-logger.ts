/**
 * The AWS SDK's own log calls, routed into winston so that they are JSON lines like every other
 * (the SDK would print its warnings to stderr as plain text). It is given to the HTTP handler, whose
 * warnings (sockets at capacity, a request timeout) are the ones that reach operators; not to the
 * client, whose logger middleware would then copy every request's input into a log record on each
 * call. Warnings and errors stated as text are logged; records of objects are not: Delivery logs
 * each request's outcome itself.
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
