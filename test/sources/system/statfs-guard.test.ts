/**
 * A statfs that never returns (a hard NFS mount whose server is gone) must not stall a read, must not
 * be called again while it hangs, must not take more than MAX_STATFS_THREADS pool threads, and must
 * not stop local filesystems from being measured.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createSystemReader } from "../../../src/sources/system/create-system-reader.js";
import { MAX_STATFS_THREADS, StatfsGuard, type FsStats } from "../../../src/sources/system/statfs-guard.js";
import { statfsNow } from "../../../src/sources/system/statfs-now.js";
import { SystemTree } from "../../support/system-tree.js";

const WAIT_MS = 30;
const STATS: FsStats = { bsize: 1000, blocks: 10, bfree: 5, bavail: 5, files: 10, ffree: 5 };

/** A statfs the test controls: paths in `hung` wait until released; every call is counted. */
class ControlledStatfs {
  readonly calls: string[] = [];
  readonly hung = new Map<string, (stats: FsStats) => void>();

  constructor(hung: readonly string[]) {
    for (const path of hung) this.hung.set(path, () => undefined);
  }

  readonly call = (path: string): Promise<FsStats> => {
    this.calls.push(path);
    if (!this.hung.has(path)) return Promise.resolve(STATS);
    return new Promise((resolve) => this.hung.set(path, resolve));
  };

  release(path: string): void {
    this.hung.get(path)!(STATS);
    this.hung.delete(path);
  }
}

let tree: SystemTree;
beforeEach(() => {
  tree = new SystemTree();
  tree.filesystems.set("/", STATS).set("/data", STATS);
  tree.write(
    "host/proc/1/mountinfo",
    [
      "1 0 8:1 / / rw - ext4 /dev/sda1 rw",
      "2 1 0:51 / /mnt/a rw - nfs4 a:/x rw",
      "3 1 0:52 / /mnt/b rw - nfs4 b:/x rw",
      "4 1 0:53 / /mnt/c rw - fuse.sshfs c: rw",
      "5 1 8:2 / /data rw - xfs /dev/sda2 rw",
      "",
    ].join("\n"),
  );
});
afterEach(() => tree.cleanup());

function diskReader(statfs: ControlledStatfs, metric = "disk.used") {
  const guard = new StatfsGuard(statfs.call, WAIT_MS);
  const context = { ...tree.context, roots: { ...tree.roots, hostMountPrefix: "" }, statfs: guard.statfs };
  const make = (m: string) => createSystemReader({ metric: m, scope: "host", mounts: ["*"] }, context);
  return { guard, reader: make(metric), make };
}

const mountsOf = (entries: readonly { dimensions: Readonly<Record<string, string>> }[]) =>
  entries.map((e) => e.dimensions.MountPath);

describe("statfs guard", () => {
  it("a read reports hung mounts as skipped and still measures the others", async () => {
    const statfs = new ControlledStatfs(["/mnt/a", "/mnt/b", "/mnt/c"]);
    const { reader, guard } = diskReader(statfs);
    const first = await reader.read();
    assert.deepEqual(mountsOf(first.samples), ["/", "/data"]);
    assert.deepEqual(
      first.skipped.map((s) => s.reason),
      [
        `statfs /mnt/a did not return within ${WAIT_MS} ms (a hung network mount?)`,
        `statfs /mnt/b did not return within ${WAIT_MS} ms (a hung network mount?)`,
        `statfs /mnt/c not attempted: 2 calls (/mnt/a, /mnt/b) have not returned, and no more than ${MAX_STATFS_THREADS} may hold threads of the libuv pool`,
      ],
    );
    assert.equal(guard.pending, MAX_STATFS_THREADS);

    assert.deepEqual(statfs.calls, ["/mnt/a", "/mnt/b"], "local filesystems never go through the guard");

    // Next read: no new call for the hung mounts, none for the third, no waiting; local ones still measured.
    const callsBefore = statfs.calls.length;
    const startedAt = performance.now();
    const second = await reader.read();
    assert.deepEqual(mountsOf(second.samples), ["/", "/data"]);
    assert.match(
      second.skipped[0]!.reason,
      /^statfs \/mnt\/a has not returned for \d+ ms \(a hung network mount\?\); not called again until it does$/,
    );
    assert.match(second.skipped[2]!.reason, /^statfs \/mnt\/c not attempted/);
    assert.deepEqual(statfs.calls.slice(callsBefore), []);
    assert.deepEqual(tree.statfsCalls, ["/", "/data", "/", "/data"]);
    assert.ok(
      performance.now() - startedAt < WAIT_MS * 10,
      "the second read does not wait on the hung mounts",
    );

    // The server comes back: the mount is measured again, and the freed thread lets /mnt/c be tried.
    statfs.release("/mnt/a");
    await new Promise((resolve) => setImmediate(resolve));
    const third = await reader.read();
    assert.deepEqual(mountsOf(third.samples), ["/", "/mnt/a", "/data"]);
    assert.equal(third.skipped.length, 2);
    assert.ok(statfs.calls.includes("/mnt/c"));
  });

  it("readers that ask at once share one call per mount that may hang", async () => {
    const statfs = new ControlledStatfs([]);
    const { make } = diskReader(statfs);
    const readers = ["disk.used", "disk.available", "disk.utilization", "disk.inodes.utilization"].map(make);
    const readings = await Promise.all(readers.map((r) => r.read()));
    for (const reading of readings) assert.equal(reading.samples.length, 5);
    assert.deepEqual(
      statfs.calls.sort(),
      ["/mnt/a", "/mnt/b", "/mnt/c"],
      "one statfs per mount for four readers",
    );
  });

  it("a read waiting on a slow call that then answers gets its value", async () => {
    const statfs = new ControlledStatfs(["/mnt/a"]);
    const guard = new StatfsGuard(statfs.call, 5_000);
    const outcome = guard.statfs("/mnt/a");
    setTimeout(() => statfs.release("/mnt/a"), 10);
    assert.deepEqual(await outcome, { ok: true, stats: STATS });
    assert.equal(guard.pending, 0);
  });

  it("a failed statfs is a reason, not a rejection", async () => {
    const guard = new StatfsGuard(
      () => Promise.reject(Object.assign(new Error("gone"), { code: "ENOENT" })),
      WAIT_MS,
    );
    assert.deepEqual(await guard.statfs("/mnt/gone"), {
      ok: false,
      reason: "statfs /mnt/gone: does not exist",
    });
  });

  it("the real statfs, through the guard and at once, measures a real directory", async () => {
    for (const outcome of [await new StatfsGuard().statfs(tree.dir), statfsNow(tree.dir)])
      assert.ok(outcome.ok && outcome.stats.blocks > 0 && outcome.stats.bsize > 0, JSON.stringify(outcome));
    assert.deepEqual(statfsNow(`${tree.dir}/none`), {
      ok: false,
      reason: `statfs ${tree.dir}/none: does not exist`,
    });
  });
});
