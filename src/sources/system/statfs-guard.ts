/**
 * statfs of filesystems that can hang (network, FUSE, autofs: statfsMayHang), without letting a hung
 * mount hurt the process. `fs.statfs` runs on a libuv pool thread; on
 * an NFS or FUSE mount whose server has gone, the call can block in the kernel for as long as the
 * server is away (forever with a `hard` NFS mount), and no timeout can free that thread. The pool has
 * four threads by default (UV_THREADPOOL_SIZE) and the rest of the process needs them: file writes of
 * the outbox, and the DNS lookups of every connection to CloudWatch. So:
 * - a mount has at most one statfs in flight: readers that ask at once share one outcome, and a call
 *   that has outlived the wait is reported as hung, without a new call, until it returns;
 * - new calls run one at a time, and none starts while MAX_STATFS_THREADS calls are stuck, so dead
 *   servers hold at most that many threads, whatever the number of mounts and reads;
 * - a read waits STATFS_WAIT_MS at most for a call, then reports that mount as skipped and moves on.
 * Local filesystems never come here (statfs-now.ts), so they are still measured meanwhile; and
 * filesystems that may hang are not measured at all unless a `mounts` glob names them.
 */
import { statfs } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { fileProblem } from "../../common/file-problem.js";

export const STATFS_WAIT_MS = 1_000;
/** Half of libuv's default pool of four (https://docs.libuv.org/en/v1.x/threadpool.html). */
export const MAX_STATFS_THREADS = 2;

/** The fields of statfs(2) that df uses; Node's StatsFs has them (`bsize` is f_bsize, which Linux sets equal to f_frsize for all but a few filesystems). */
export interface FsStats {
  readonly bsize: number;
  readonly blocks: number;
  readonly bfree: number;
  readonly bavail: number;
  readonly files: number;
  readonly ffree: number;
}

export type StatfsOutcome = { ok: true; stats: FsStats } | { ok: false; reason: string };
export type Statfs = (path: string) => Promise<StatfsOutcome>;

interface Call {
  readonly promise: Promise<FsStats>;
  readonly startedMs: number;
}

export class StatfsGuard {
  /** Calls that have not returned, stuck ones included. */
  readonly #inFlight = new Map<string, Call>();
  /** Outcomes being awaited, so that readers asking for the same path at once share one. */
  readonly #asked = new Map<string, Promise<StatfsOutcome>>();
  #lane: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly call: (path: string) => Promise<FsStats> = (path) => statfs(path),
    private readonly waitMs = STATFS_WAIT_MS,
  ) {}

  /** The statfs of `path`, or why there is none; never rejects, never waits much longer than the wait. */
  readonly statfs: Statfs = (path) => {
    const asked = this.#asked.get(path);
    if (asked !== undefined) return asked;
    const running = this.#inFlight.get(path);
    let outcome: Promise<StatfsOutcome>;
    if (running !== undefined) outcome = this.#await(path, running);
    else this.#lane = outcome = this.#lane.then(() => this.#start(path));
    this.#asked.set(path, outcome);
    void outcome.then(() => {
      if (this.#asked.get(path) === outcome) this.#asked.delete(path);
    });
    return outcome;
  };

  /** How many calls have not returned (stuck ones included). */
  get pending(): number {
    return this.#inFlight.size;
  }

  #start(path: string): Promise<StatfsOutcome> {
    // The lane runs one call at a time, so every call still in flight here has outlived its wait.
    if (this.#inFlight.size >= MAX_STATFS_THREADS) {
      const stuck = [...this.#inFlight.keys()].join(", ");
      return Promise.resolve({
        ok: false,
        reason: `statfs ${path} not attempted: ${this.#inFlight.size} calls (${stuck}) have not returned, and no more than ${MAX_STATFS_THREADS} may hold threads of the libuv pool`,
      });
    }
    const call: Call = { promise: this.call(path), startedMs: performance.now() };
    this.#inFlight.set(path, call);
    const forget = () => {
      if (this.#inFlight.get(path) === call) this.#inFlight.delete(path);
    };
    call.promise.then(forget, forget);
    return this.#await(path, call);
  }

  #await(path: string, call: Call): Promise<StatfsOutcome> {
    const waitedMs = Math.round(performance.now() - call.startedMs);
    const leftMs = this.waitMs - waitedMs;
    if (leftMs <= 0)
      return Promise.resolve({
        ok: false,
        reason: `statfs ${path} has not returned for ${waitedMs} ms (a hung network mount?); not called again until it does`,
      });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        resolve({
          ok: false,
          reason: `statfs ${path} did not return within ${this.waitMs} ms (a hung network mount?)`,
        });
      }, leftMs); // Not unref'd: a read in progress keeps the process up until it has its answer.
      call.promise.then(
        (stats) => {
          clearTimeout(timer);
          resolve({ ok: true, stats });
        },
        (error: unknown) => {
          clearTimeout(timer);
          resolve({ ok: false, reason: `statfs ${path}: ${fileProblem(error)}` });
        },
      );
    });
  }
}

/** One guard for the whole process: the pool it protects is the process's. */
export const processStatfs: Statfs = new StatfsGuard().statfs;
