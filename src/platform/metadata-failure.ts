/** A failed metadata request, told in a few words: what came back, or why nothing did. */
import { METADATA_TRY_TIMEOUT_MS } from "./metadata-timing.js";

/** The answer, or its absence, of one metadata request. */
export type Fetched =
  | { readonly ok: true; readonly url: string; readonly document: unknown }
  | { readonly ok: false; readonly url: string; readonly reason: string };

const NETWORK_CODE = /\b(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE)\b/;

function messages(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e instanceof Error && parts.length < 4; e = e.cause) {
    parts.push(
      e.message,
      (e as { code?: unknown }).code === undefined ? "" : String((e as { code?: unknown }).code),
    );
  }
  return parts.length === 0 ? String(error) : parts.join(" ");
}

/**
 * The failure of a request, from the SDK's or fetch's error: an HTTP status, a refused or unreachable
 * connection, or a try that timed out (the SDK's errors carry these in their messages). `tries` is how
 * many tries were made before giving up; it is told for the failures worth a retry.
 */
export function failureText(error: unknown, tries: number): string {
  const text = messages(error);
  const status = /status code (\d{3})/.exec(text)?.[1];
  const timedOut = /TimeoutError|timed out|timeout of|exceeded the configured/i.test(text);
  const code = NETWORK_CODE.exec(text)?.[1];
  let what: string;
  if (status !== undefined) what = `answered HTTP ${status}`;
  else if (timedOut) what = `no answer within ${METADATA_TRY_TIMEOUT_MS} ms`;
  else if (code !== undefined) what = code === "ECONNREFUSED" ? "connection refused" : code;
  else return text.trim();
  const retryable = status === undefined || Number(status) >= 500 || status === "429";
  return retryable && tries > 1 ? `${what}, ${tries} tries` : what;
}

/** Whether a failure told by failureText (or a reader) is a 404: the thing asked for does not exist there. */
export function isNotFound(reason: string): boolean {
  return reason.startsWith("answered HTTP 404");
}
