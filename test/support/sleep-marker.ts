/**
 * A `sleep` duration no other process on the machine uses, for tests that look for leftover
 * processes with `pgrep -f "sleep <marker>"`: whole seconds, then this process's id (fixed width) as
 * the fraction. Another run of the suite at the same time (the Node.js 22 run beside the Node.js 20
 * one in CI, or another developer's) uses other ids, so neither sees the other's sleeps.
 */
export function sleepMarker(seconds: number): string {
  return `${seconds}.${String(process.pid).padStart(7, "0")}`;
}
