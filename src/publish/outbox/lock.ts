/**
 * One publisher per outbox directory, also across containers and hosts that share the volume: two
 * would replay, acknowledge and compact away each other's datums. The LOCK file names its holder
 * (see lock-holder.ts) and the holder rewrites it every LOCK_REFRESH_MS. Another process takes it
 * over only when it is provably stale: its holder has exited (same kernel boot and PID namespace,
 * checked in /proc), or the file has not changed for LOCK_STALE_MS as seen by the waiting process's
 * own clock (so clocks that differ between hosts do not matter). A start that finds the lock held
 * waits up to LOCK_WAIT_MS (a rolling restart's old process releases it when it stops) and then
 * fails with OutboxLockedError. A holder that finds its lock taken stops writing to the directory.
 */
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../log.js";
import { describeHolder, holderIsGone, parseHolder, thisProcess, type LockHolder } from "./lock-holder.js";

export const LOCK_FILE = "LOCK";
/** How often the holder rewrites the lock file. */
export const LOCK_REFRESH_MS = 2_000;
/** A lock unchanged for this long (five missed refreshes) is stale. */
export const LOCK_STALE_MS = 10_000;
/** How long a start waits for a held lock before it fails: past LOCK_STALE_MS, so a killed holder's lock is taken over. */
export const LOCK_WAIT_MS = 20_000;
const POLL_MS = 250;
/** Files the process writes in the outbox directory: its owner only. */
export const FILE_MODE = 0o600;

export class OutboxLockedError extends Error {
  override name = "OutboxLockedError";
  constructor(
    message: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(message);
  }
}

export interface LockTiming {
  readonly waitMs: number;
  readonly staleMs: number;
  readonly refreshMs: number;
  readonly pollMs: number;
}

export const DEFAULT_LOCK_TIMING: LockTiming = {
  waitMs: LOCK_WAIT_MS,
  staleMs: LOCK_STALE_MS,
  refreshMs: LOCK_REFRESH_MS,
  pollMs: POLL_MS,
};

export interface AcquireOptions {
  readonly dir: string;
  readonly logger: Logger;
  readonly timing?: LockTiming;
  /** Ends the wait early (a SIGTERM during start-up); acquire() then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export class OutboxLock {
  private beat = 0;
  private timer: NodeJS.Timeout | undefined;
  private holding = true;
  private onLost: ((holder: LockHolder | undefined) => void) | undefined;

  private constructor(
    private readonly path: string,
    private readonly refreshMs: number,
  ) {}

  /** Takes the directory's lock, waiting for a live holder up to the wait time. */
  static async acquire({
    dir,
    logger,
    timing = DEFAULT_LOCK_TIMING,
    signal,
  }: AcquireOptions): Promise<OutboxLock> {
    const path = join(dir, LOCK_FILE);
    const lock = new OutboxLock(path, timing.refreshMs);
    const started = performance.now();
    let seen: { text: string; at: number } | undefined;
    let announced = false;
    for (;;) {
      if (lock.create()) break;
      const text = readText(path);
      if (text === undefined) continue; // released meanwhile
      const now = performance.now();
      if (seen?.text !== text) seen = { text, at: now };
      const holder = parseHolder(text);
      const gone = holder === undefined ? undefined : holderIsGone(holder);
      const unchangedMs = now - seen.at;
      if (gone === true || (gone === undefined && unchangedMs >= timing.staleMs)) {
        if (lock.takeOver(text)) {
          logger.warn(
            gone === true
              ? `outbox: taking over ${path} from ${describeHolder(holder)}, which is no longer running`
              : `outbox: taking over ${path} from ${describeHolder(holder)}: its lock has not been refreshed for ${Math.round(unchangedMs / 1000)} s`,
            { outboxDir: dir },
          );
        }
        continue;
      }
      if (now - started >= timing.waitMs) {
        throw new OutboxLockedError(
          `the outbox directory ${dir} is in use by ${describeHolder(holder)} (${path}, refreshed ${Math.round(unchangedMs / 1000)} s ago); each publisher needs its own outbox directory`,
          holder,
        );
      }
      if (!announced) {
        announced = true;
        logger.warn(
          `outbox: ${dir} is in use by ${describeHolder(holder)}; waiting up to ${Math.round(timing.waitMs / 1000)} s for it to be released`,
          { outboxDir: dir },
        );
      }
      await pause(timing.pollMs, signal);
    }
    lock.timer = setInterval(() => {
      lock.refresh();
    }, lock.refreshMs);
    lock.timer.unref();
    return lock;
  }

  /** Whether this process still holds the lock. */
  get held(): boolean {
    return this.holding;
  }

  /** Called once if another process takes the lock: from then on this process must not touch the directory. */
  whenLost(callback: (holder: LockHolder | undefined) => void): void {
    this.onLost = callback;
  }

  /**
   * Shows that the holder is alive: rewrites the file (atomically) unless another process has taken
   * it. Runs on a timer, and may be called during long synchronous work. Returns whether it still holds.
   */
  refresh(): boolean {
    if (!this.held) return false;
    try {
      const text = readText(this.path);
      const holder = text === undefined ? undefined : parseHolder(text);
      if (text !== undefined && holder?.token !== thisProcess().token) {
        this.lose(holder);
        return false;
      }
      const temp = `${this.path}.${thisProcess().token}.tmp`;
      writeFileSync(temp, this.content(), { mode: FILE_MODE });
      renameSync(temp, this.path);
    } catch {
      // A refresh that fails (a full disk) is tried again at the next one; a lock left unrefreshed
      // for LOCK_STALE_MS may be taken over, which the refresh after that notices.
    }
    return this.held;
  }

  /** Releases the lock if this process still holds it. Idempotent. */
  release(): void {
    clearInterval(this.timer);
    if (!this.held) return;
    this.holding = false;
    try {
      if (parseHolder(readText(this.path) ?? "")?.token === thisProcess().token) unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }

  private content(): string {
    this.beat++;
    return `${JSON.stringify({ ...thisProcess(), beat: this.beat })}\n`;
  }

  /** Creates the lock file if none exists; false when one does. */
  private create(): boolean {
    try {
      writeFileSync(this.path, this.content(), { flag: "wx", mode: FILE_MODE });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    }
  }

  /**
   * Removes a stale lock whose text is `stale`. It is first renamed to a name of this process's own,
   * so that of two processes taking over at once only one removes it; if what was moved is no
   * longer the stale lock (its holder refreshed it, or another process took it over), it is put back.
   */
  private takeOver(stale: string): boolean {
    const aside = `${this.path}.${thisProcess().token}.stale`;
    try {
      renameSync(this.path, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
    if (readText(aside) === stale) {
      unlinkSync(aside);
      return true;
    }
    try {
      linkSync(aside, this.path);
    } catch {
      // Yet another process created a lock meanwhile; the one moved aside sees that at its next refresh.
    }
    unlinkSync(aside);
    return false;
  }

  private lose(holder: LockHolder | undefined): void {
    this.holding = false;
    clearInterval(this.timer);
    this.onLost?.(holder);
  }
}
