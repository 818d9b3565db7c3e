/** How long Delivery waits before sending again what failed: exponential backoff with full jitter, capped. */

export interface RetryPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** The pause after `failures` failed requests in a row; `random` is a number in [0, 1). */
export function backoffMs(
  failures: number,
  { baseDelayMs, maxDelayMs }: RetryPolicy,
  random: () => number,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
