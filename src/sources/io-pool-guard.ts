/**
 * Node runs file system calls on a pool of 4 threads (UV_THREADPOOL_SIZE), which also resolves the
 * CloudWatch endpoint's host name. A read that never returns from the kernel (a hung network file
 * system, a device that ignores O_NONBLOCK) keeps its thread however long we wait. File sources may
 * therefore use only part of the pool: each call holds a slot until the kernel returns. When every
 * slot is busy a call waits its turn, unless the slots are held by calls that look stuck (running
 * for longer than STUCK_AFTER_MS): then it fails at once instead of queueing behind them, so DNS,
 * delivery and the other metrics always keep threads of their own.
 */
export class PoolSlotsTakenError extends Error {
  override name = "PoolSlotsTakenError";
}

/** A file system call of a file source running this long is taken to be stuck in the kernel. */
export const STUCK_AFTER_MS = 2_000;

interface Waiting {
  readonly start: () => void;
  readonly signal: AbortSignal | undefined;
}

export class IoPoolGuard {
  /** When each call in a slot started (performance.now()). */
  private readonly running = new Set<{ readonly startedAt: number }>();
  private readonly waiting: Waiting[] = [];

  constructor(
    readonly slots: number,
    private readonly stuckAfterMs = STUCK_AFTER_MS,
  ) {}

  /**
   * Runs `call` in a slot, waiting for one if they are all busy; rejects at once with
   * PoolSlotsTakenError when they are all held by stuck calls. An aborted `signal` leaves the queue.
   */
  run<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        const entry = { startedAt: performance.now() };
        this.running.add(entry);
        let work: Promise<T>;
        try {
          work = call();
        } catch (error) {
          work = Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
        work.then(resolve, reject).finally(() => {
          this.running.delete(entry);
          this.next();
        });
      };
      if (this.running.size < this.slots) {
        start();
        return;
      }
      const stuck = this.stuckCalls();
      if (stuck >= this.slots) {
        reject(
          new PoolSlotsTakenError(
            `${stuck} earlier file system calls of file sources have not returned for over ${this.stuckAfterMs / 1000} s (a hung network file system?), and file sources may hold only ${this.slots} of Node's I/O threads`,
          ),
        );
        return;
      }
      const waiting: Waiting = { start, signal };
      this.waiting.push(waiting);
      signal?.addEventListener(
        "abort",
        () => {
          const index = this.waiting.indexOf(waiting);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(new PoolSlotsTakenError("gave up waiting for a free I/O thread"));
        },
        { once: true },
      );
    });
  }

  private stuckCalls(): number {
    const now = performance.now();
    let stuck = 0;
    for (const entry of this.running) if (now - entry.startedAt > this.stuckAfterMs) stuck += 1;
    return stuck;
  }

  private next(): void {
    while (this.running.size < this.slots && this.waiting.length > 0) {
      const waiting = this.waiting.shift()!;
      if (waiting.signal?.aborted !== true) waiting.start();
    }
  }
}

/** The pool's size: UV_THREADPOOL_SIZE (read by libuv at the first file system call), default 4. */
export function ioPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const size = Number(env.UV_THREADPOOL_SIZE);
  return Number.isInteger(size) && size > 0 ? size : 4;
}

/** Two threads always stay free for DNS and everything else; file sources share the rest. */
export const fileSourceGuard = new IoPoolGuard(Math.max(1, ioPoolSize() - 2));
