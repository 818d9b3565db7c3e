/** Sends one PutMetricData request. Failure comes back as a value, never as a throw. */
import type { Datum } from "../cloudwatch/datum.js";

/**
 * Why a request failed, which decides what happens to its datums:
 * invalid: CloudWatch refused a datum in it (find it, drop it, send the rest);
 * too-large: CloudWatch refused the request for its size (split it, send the halves);
 * transient: network, timeout, 5xx, throttling, credentials (keep the datums, retry later);
 * aborted: abandoned at the shutdown deadline (keep the datums; nothing is resent).
 */
export type SendFailure = "invalid" | "too-large" | "transient" | "aborted";

export type SendResult =
  { readonly ok: true } | { readonly ok: false; readonly error: Error; readonly failure: SendFailure };

export interface Sender {
  /** `signal` abandons the request: it is not retried, and resolves as "aborted". */
  send(namespace: string, datums: readonly Datum[], signal: AbortSignal): Promise<SendResult>;
  /** Releases connections; idempotent. Called only once no request is in flight. */
  close(): void;
}
