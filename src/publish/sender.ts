/** Sends one request (PutMetricData, or an EMF write). Failure comes back as a value, never as a throw. */
import type { ErrorKind } from "../cloudwatch/classify.js";
import type { Datum } from "../cloudwatch/datum.js";

/**
 * Why a request failed, which decides what happens to its datums: one of classify()'s kinds, or
 * aborted: abandoned at the shutdown deadline (keep the datums; nothing is resent).
 */
export type SendFailure = ErrorKind | "aborted";

export type SendResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly error: Error;
      readonly failure: SendFailure;
      /** What to do about it (classify()'s hint), for the log line. */
      readonly hint?: string | undefined;
    };
/** How log lines name a sender's requests and what receives them. */
export interface SenderWording {
  readonly request: string;
  readonly receiver: string;
}

export const CLOUDWATCH_WORDING: SenderWording = { request: "PutMetricData", receiver: "CloudWatch" };

export interface Sender {
  /** How log lines name its requests; CLOUDWATCH_WORDING when absent. */
  readonly wording?: SenderWording;
  /** `signal` abandons the request: it is not retried, and resolves as "aborted". */
  send(namespace: string, datums: readonly Datum[], signal: AbortSignal): Promise<SendResult>;
  /** Releases connections; idempotent. Called only once no request is in flight. */
  close(): void;
}
