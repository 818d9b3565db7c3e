/** The EMF writers against real files (rotation by rename, by a new file, by truncation) and real pipes. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rename, rm, truncate, unlink, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { fileEmfWriter } from "../../src/output/file-emf-writer.js";
import { streamEmfWriter } from "../../src/output/stream-emf-writer.js";

const doc = (n: number) => JSON.stringify({ n });
const lines = async (path: string) => (await readFile(path, "utf8")).split("\n").filter((l) => l !== "");

describe("fileEmfWriter", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "cwp-emf-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("appends one document a line after what the file already holds", async () => {
    const path = join(dir, "append.log");
    await writeFile(path, "earlier line\n");
    const writer = fileEmfWriter(path);
    assert.deepEqual(await writer.write([doc(1), doc(2)]), { ok: true, bytes: 16 });
    assert.deepEqual(await writer.write([doc(3)]), { ok: true, bytes: 8 });
    await writer.close();
    assert.deepEqual(await lines(path), ["earlier line", doc(1), doc(2), doc(3)]);
  });

  it("creates the file again after it was moved away (logrotate's rename)", async () => {
    const path = join(dir, "rotated.log");
    const writer = fileEmfWriter(path);
    assert.equal((await writer.write([doc(1)])).ok, true);
    await rename(path, `${path}.1`);
    assert.equal((await writer.write([doc(2)])).ok, true);
    assert.equal((await writer.write([doc(3)])).ok, true);
    await writer.close();
    assert.deepEqual(await lines(`${path}.1`), [doc(1)]);
    assert.deepEqual(await lines(path), [doc(2), doc(3)]);
  });

  it("writes into the new file when another took the path (logrotate's create), or after a delete", async () => {
    const path = join(dir, "created.log");
    const writer = fileEmfWriter(path);
    await writer.write([doc(1)]);
    await rename(path, `${path}.1`);
    await writeFile(path, "");
    await writer.write([doc(2)]);
    await unlink(path);
    await writer.write([doc(3)]);
    await writer.close();
    assert.deepEqual(await lines(`${path}.1`), [doc(1)]);
    assert.deepEqual(await lines(path), [doc(3)]);
  });

  it("goes on at the start of a file truncated in place (copytruncate), leaving no hole", async () => {
    const path = join(dir, "truncated.log");
    const writer = fileEmfWriter(path);
    await writer.write([doc(1), doc(2)]);
    await truncate(path, 0);
    await writer.write([doc(3)]);
    await writer.close();
    assert.equal(await readFile(path, "utf8"), `${doc(3)}\n`);
  });

  it("returns a failure as a value, and recovers when the directory appears", async () => {
    const path = join(dir, "later", "emf.log");
    const writer = fileEmfWriter(path);
    const failed = await writer.write([doc(1)]);
    assert.equal(failed.ok, false);
    assert.ok(!failed.ok);
    assert.match(failed.message, /^writing EMF to .*later\/emf\.log failed \(ENOENT: /);
    assert.doesNotMatch(failed.message, /ENOENT: ENOENT/, "the code is said once");
    await mkdir(join(dir, "later"));
    assert.equal((await writer.write([doc(2)])).ok, true);
    await writer.close();
    assert.deepEqual(await lines(path), [doc(2)]);
  });

  it("returns a full disk as a value (/dev/full)", { skip: process.platform !== "linux" }, async () => {
    const writer = fileEmfWriter("/dev/full");
    const result = await writer.write([doc(1)]);
    await writer.close();
    assert.ok(!result.ok);
    assert.match(result.message, /ENOSPC/);
  });

  it("keeps concurrent batches whole and in order", async () => {
    const path = join(dir, "concurrent.log");
    const writer = fileEmfWriter(path);
    const batches = Array.from({ length: 50 }, (_, b) =>
      Array.from({ length: 20 }, (_, i) => doc(b * 20 + i)),
    );
    const results = await Promise.all(batches.map((batch) => writer.write(batch)));
    await writer.close();
    assert.ok(results.every((r) => r.ok));
    assert.deepEqual(await lines(path), batches.flat());
    assert.equal((await writer.write([doc(0)])).ok, false, "a closed writer refuses");
  });
});

describe("streamEmfWriter", () => {
  it("writes each batch in one piece", async () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString());
        callback();
      },
    });
    const writer = streamEmfWriter(sink);
    await Promise.all([writer.write([doc(1), doc(2)]), writer.write([doc(3)]), writer.write([])]);
    await writer.close();
    assert.deepEqual(chunks, [`${doc(1)}\n${doc(2)}\n`, `${doc(3)}\n`]);
  });

  it("returns a stream's failure as a value", async () => {
    const sink = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error("broken pipe"), { code: "EPIPE" }));
      },
    });
    const writer = streamEmfWriter(sink);
    const first = await writer.write([doc(1)]);
    assert.ok(!first.ok);
    assert.equal(first.message, "writing EMF to stdout failed (EPIPE: broken pipe)");
    assert.equal((await writer.write([doc(2)])).ok, false);
  });

  it("survives a real stdout whose reader went away (EPIPE), reporting it", async () => {
    const writerUrl = new URL("../../src/output/stream-emf-writer.js", import.meta.url).href;
    const script = `
      import { streamEmfWriter } from ${JSON.stringify(writerUrl)};
      const writer = streamEmfWriter(process.stdout);
      const big = ["x".repeat(1 << 20)];
      let result;
      for (let i = 0; i < 50; i++) { result = await writer.write(big); if (!result.ok) break; }
      process.stderr.write(JSON.stringify({ ok: result.ok, message: result.message }) + "\\n");
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stderr.trim()) as { ok: boolean; message: string };
    assert.equal(report.ok, false);
    assert.match(report.message, /^writing EMF to stdout failed \((EPIPE|ERR_STREAM_DESTROYED)/);
  });
});
