/** The outbox directory's lock: who holds it, when it is taken over, and what a holder does when it loses it. */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { startTicksOf, thisProcess, type LockHolder } from "../../src/publish/outbox/lock-holder.js";
import { OutboxLock, type LockTiming } from "../../src/publish/outbox/lock.js";
import { SegmentLog } from "../../src/publish/outbox/segment-log.js";
import { memoryLogger } from "../support/memory-logger.js";

const FAST: LockTiming = { waitMs: 800, staleMs: 400, refreshMs: 50, pollMs: 25 };
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) child.kill();
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "cwp-lock-"));
}

/** A live process that is not this one, with its real identity in this PID namespace. */
async function otherProcess(): Promise<LockHolder> {
  const child = spawn("sleep", ["60"]);
  children.push(child);
  await new Promise((resolve) => child.once("spawn", resolve));
  return {
    ...thisProcess(),
    pid: child.pid!,
    startTicks: startTicksOf(child.pid!)!,
    token: randomBytes(12).toString("hex"),
  };
}

function writeLock(dir: string, holder: LockHolder | string): void {
  writeFileSync(join(dir, "LOCK"), typeof holder === "string" ? holder : `${JSON.stringify(holder)}\n`);
}

function lockHolder(dir: string): LockHolder {
  return JSON.parse(readFileSync(join(dir, "LOCK"), "utf8")) as LockHolder;
}

async function acquire(dir: string, timing = FAST) {
  const { logger, messages } = memoryLogger();
  const started = performance.now();
  const lock = await OutboxLock.acquire({ dir, logger, timing });
  return { lock, messages, ms: performance.now() - started };
}

describe("the outbox directory's lock", () => {
  it("names its holder uniquely: host, boot, PID namespace, PID, start time and a random token", async () => {
    const dir = tempDir();
    const { lock } = await acquire(dir);
    const holder = lockHolder(dir);
    assert.equal(holder.pid, process.pid);
    assert.equal(holder.startTicks, startTicksOf("self"));
    assert.match(holder.bootId, /^[0-9a-f-]{36}$/);
    assert.match(holder.pidNamespace, /^pid:\[\d+\]$/);
    assert.match(holder.token, /^[0-9a-f]{24}$/);
    lock.release();
    assert.ok(!readdirSync(dir).includes("LOCK"), "released");
  });

  it("is refreshed while held", async () => {
    const dir = tempDir();
    const { lock } = await acquire(dir);
    const first = readFileSync(join(dir, "LOCK"), "utf8");
    await new Promise((resolve) => setTimeout(resolve, FAST.refreshMs * 4));
    assert.notEqual(readFileSync(join(dir, "LOCK"), "utf8"), first);
    lock.release();
  });

  it("waits for a holder alive in this PID namespace, never takes it over, and then fails naming it", async () => {
    const dir = tempDir();
    const holder = await otherProcess();
    writeLock(dir, holder); // never refreshed: alive beats stale
    const { logger, messages } = memoryLogger();
    await assert.rejects(OutboxLock.acquire({ dir, logger, timing: FAST }), {
      name: "OutboxLockedError",
      message: new RegExp(
        `^the outbox directory .* is in use by process ${holder.pid} on host ${holder.host} \\(running since .*\\); each publisher needs its own outbox directory$`,
      ),
    });
    assert.ok(
      messages().some((m) => m.includes(`is in use by process ${holder.pid}`) && m.includes("waiting up to")),
    );
    assert.equal(lockHolder(dir).token, holder.token, "left in place");
  });

  it("takes over at once a lock whose PID now belongs to another process", async () => {
    const dir = tempDir();
    const reused = { ...(await otherProcess()), startTicks: 1 };
    writeLock(dir, reused);
    const { lock, messages, ms } = await acquire(dir, { ...FAST, staleMs: 60_000, waitMs: 60_000 });
    assert.ok(ms < 5_000, `took ${ms} ms`);
    assert.ok(
      messages().some(
        (m) => m.includes(`from process ${reused.pid}`) && m.includes("which is no longer running"),
      ),
    );
    assert.equal(lockHolder(dir).token, thisProcess().token);
    lock.release();
  });

  it("takes over a lock from another host or PID namespace only once it stops being refreshed", async () => {
    const dir = tempDir();
    const remote: LockHolder = {
      ...thisProcess(),
      host: "elsewhere",
      pidNamespace: "pid:[1]",
      pid: 1,
      token: "f".repeat(24),
    };
    let beat = 0;
    writeLock(dir, remote);
    const refresher = setInterval(() => writeLock(dir, { ...remote, beat: ++beat } as LockHolder), 40);
    try {
      await assert.rejects(acquire(dir), {
        name: "OutboxLockedError",
        message: /in use by process 1 on host elsewhere/,
      });
    } finally {
      clearInterval(refresher);
    }
    const { lock, messages, ms } = await acquire(dir);
    assert.ok(ms >= FAST.staleMs, `taken over after ${ms} ms`);
    assert.ok(
      messages().some((m) =>
        /from process 1 on host elsewhere .*: its lock has not been refreshed for \d+ s$/.test(m),
      ),
    );
    lock.release();
  });

  it("takes over a lock it cannot read (damaged, or an older version's) once it stays unchanged", async () => {
    const dir = tempDir();
    writeLock(dir, "12345\n");
    const { lock, messages } = await acquire(dir);
    assert.ok(messages().some((m) => m.includes("from a process that left no readable name in the lock")));
    lock.release();
  });

  it("lets a holder that finds its lock taken stop, and leaves the other holder's lock in place", async () => {
    const dir = tempDir();
    const { lock } = await acquire(dir);
    const lost: (LockHolder | undefined)[] = [];
    lock.whenLost((holder) => lost.push(holder));
    const other = { ...thisProcess(), pid: 4242, token: "e".repeat(24) };
    writeLock(dir, other);
    assert.equal(lock.refresh(), false);
    assert.equal(lock.held, false);
    assert.equal(lost[0]?.pid, 4242);
    lock.release();
    assert.equal(lockHolder(dir).token, other.token);
  });

  it("makes the outbox log stop writing when another process takes the directory", async () => {
    const dir = tempDir();
    const { logger, messages } = memoryLogger();
    const { log } = await SegmentLog.open({ dir, fsync: false, logger, lockTiming: FAST });
    const segmentsBefore = readdirSync(dir).filter((f) => f.startsWith("segment-"));
    writeLock(dir, { ...thisProcess(), pid: 4243, host: "other-host", token: "d".repeat(24) });
    await new Promise((resolve) => setTimeout(resolve, FAST.refreshMs * 4));
    assert.equal(log.durable, false);
    assert.ok(
      messages().some(
        (m) =>
          m.startsWith("OUTBOX NOT DURABLE: process 4243 on host other-host") &&
          m.includes("took over the outbox directory"),
      ),
    );
    log.close();
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith("segment-")),
      segmentsBefore,
      "nothing of the new holder's removed",
    );
    assert.equal(lockHolder(dir).pid, 4243);
  });
});
