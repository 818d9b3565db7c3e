/**
 * Kernel counters become per-interval increases. A counter only grows, so a smaller reading means
 * one of two things: a 32-bit counter wrapped (the kernel prints diskstats' I/O time as a 32-bit
 * number of milliseconds, which wraps every 49.7 days; on a 32-bit kernel every `unsigned long`
 * counter wraps at 2^32), or the counter was reset (an interface or a device went away and came back
 * under the same name). A 32-bit counter is taken to have wrapped once; any other counter to have
 * restarted from zero, so its increase is its new value (Prometheus' rule for counter resets).
 */
import { arch } from "node:os";

export type CounterBits = 32 | 64;

const TWO_TO_THE_32 = 2 ** 32;

/** The width of the kernel's `unsigned long` counters, taken from the architecture Node runs on. */
export const KERNEL_LONG_BITS: CounterBits = arch().includes("64") ? 64 : 32;

export function counterIncrease(previous: number, current: number, bits: CounterBits): number {
  if (current >= previous) return current - previous;
  if (bits === 32 && previous < TWO_TO_THE_32) return current + TWO_TO_THE_32 - previous;
  return current;
}

/** The previous reading of a series, and when it was taken (milliseconds on a monotonic clock). */
export interface Baseline<T> {
  readonly value: T;
  readonly atMs: number;
}

/**
 * The previous reading of each series, kept between reads. A read calls `swap` once per series it
 * sees, then `commit`: series not seen this time are forgotten, so interfaces and devices that come
 * and go (veths, hot-plugged disks) do not pile up. The readers parse a whole file before the first
 * `swap`, so a read that fails records nothing and the next compares against the last good one.
 */
export class Baselines<T> {
  #previous = new Map<string, Baseline<T>>();
  #next = new Map<string, Baseline<T>>();

  /** Records this reading of `key` and returns the previous one (undefined at first sight). */
  swap(key: string, value: T, atMs: number): Baseline<T> | undefined {
    this.#next.set(key, { value, atMs });
    return this.#previous.get(key);
  }

  commit(): void {
    this.#previous = this.#next;
    this.#next = new Map();
  }
}
