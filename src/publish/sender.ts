/** Sends one PutMetricData request. Failure comes back as a value, never as a throw. */
import type { Datum } from "./datum.js";

export type SendResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly error: Error;
      /** false when CloudWatch refused the request as invalid: sending it again cannot help. */
      readonly retryable: boolean;
    };

export interface Sender {
  send(namespace: string, datums: readonly Datum[]): Promise<SendResult>;
  /** Releases connections; idempotent. */
  close(): void;
}
