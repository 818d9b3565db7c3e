/**
 * ECS task metadata endpoint v4: `${ECS_CONTAINER_METADATA_URI_V4}` (this container) and `.../task`.
 * No AWS SDK package reads it (the SDK's container provider reads credentials from another endpoint), so
 * this is a plain GET with a time-out per try and a few tries.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4.html
 */
import { abortReason, deadlineSignal, pause } from "./deadline-signal.js";
import { failureText, type Fetched } from "./metadata-failure.js";
import { METADATA_RETRY_DELAY_MS, METADATA_TRIES, METADATA_TRY_TIMEOUT_MS } from "./metadata-timing.js";
import type { PlatformEnv } from "./platform-env.js";

export const ENV_TASK_METADATA_URI = "ECS_CONTAINER_METADATA_URI_V4";

export type TaskMetadataBase =
  { readonly ok: true; readonly base: string } | { readonly ok: false; readonly reason: string };

/** The endpoint ECS gives the container, or why there is none (not running in an ECS task). */
export function taskMetadataBase(env: PlatformEnv): TaskMetadataBase {
  const base = env[ENV_TASK_METADATA_URI];
  if (base === undefined || base === "")
    return { ok: false, reason: `${ENV_TASK_METADATA_URI} is not set (not running in an ECS task)` };
  const protocol = URL.canParse(base) ? new URL(base).protocol : "";
  if (protocol !== "http:" && protocol !== "https:")
    return { ok: false, reason: `${ENV_TASK_METADATA_URI} is not an http:// URL: "${base}"` };
  return { ok: true, base: base.replace(/\/+$/, "") };
}

type Try = Fetched & { readonly retryable?: boolean };

async function getOnce(url: string, signal: AbortSignal): Promise<Try> {
  const attempt = deadlineSignal(METADATA_TRY_TIMEOUT_MS, signal);
  try {
    const response = await fetch(url, { signal: attempt.signal, redirect: "error" });
    const body = await response.text();
    if (response.ok) return { ok: true, url, document: body };
    const retryable = response.status >= 500 || response.status === 429;
    return { ok: false, url, reason: `answered HTTP ${response.status}`, retryable };
  } catch (error) {
    if (signal.aborted) return { ok: false, url, reason: abortReason(signal) };
    if (attempt.signal.aborted)
      return { ok: false, url, reason: `no answer within ${METADATA_TRY_TIMEOUT_MS} ms`, retryable: true };
    return { ok: false, url, reason: failureText(error, 1), retryable: true };
  } finally {
    attempt.dispose();
  }
}

async function getWithRetries(url: string, signal: AbortSignal): Promise<Fetched> {
  let last = await getOnce(url, signal);
  for (let tries = 1; tries < METADATA_TRIES && !last.ok && last.retryable === true; tries++) {
    try {
      await pause(METADATA_RETRY_DELAY_MS, signal);
    } catch {
      return { ok: false, url, reason: abortReason(signal) };
    }
    last = await getOnce(url, signal);
  }
  if (last.ok || last.retryable !== true) return last;
  return { ok: false, url, reason: `${last.reason}, ${METADATA_TRIES} tries` };
}

/** Reads `paths` ("" for this container's document, "/task" for the task's) under `base`, in parallel. */
export async function readTaskMetadata(
  paths: readonly string[],
  base: string,
  signal: AbortSignal,
): Promise<Map<string, Fetched>> {
  const answers = await Promise.all(paths.map((path) => getWithRetries(base + path, signal)));
  return new Map(paths.map((path, i) => [path, answers[i]!]));
}
