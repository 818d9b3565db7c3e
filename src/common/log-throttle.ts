/**
 * At most one log line per key per interval: a value that breaks CloudWatch's rules at every run
 * would otherwise write a line a second forever. What was held back is counted and reported with
 * the next line for that key; the drops themselves are counted in Stats every time regardless.
 */
export const LOG_THROTTLE_INTERVAL_MS = 60_000;

interface Entry {
  lastAt: number;
  held: number;
}

export class LogThrottle<Key> {
  private readonly entries = new Map<Key, Entry>();

  constructor(
    private readonly now: () => number,
    private readonly intervalMs = LOG_THROTTLE_INTERVAL_MS,
  ) {}

  /** Whether to log for `key` now: the number of lines held back since the last one, or undefined to stay quiet. */
  pass(key: Key): number | undefined {
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.entries.set(key, { lastAt: now, held: 0 });
      return 0;
    }
    if (now - entry.lastAt < this.intervalMs && now >= entry.lastAt) {
      entry.held += 1;
      return undefined;
    }
    const held = entry.held;
    entry.lastAt = now;
    entry.held = 0;
    return held;
  }
}
