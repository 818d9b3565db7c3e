/** Each source kind for real: processes, files and an HTTP server on loopback. */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { lookup } from "node:dns/promises";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sleepMarker } from "../support/sleep-marker.js";
import { after, before, describe, it } from "node:test";
import { commandSource } from "../../src/sources/command.js";
import { envSource } from "../../src/sources/env.js";
import { fileSource } from "../../src/sources/file.js";
import { IoPoolGuard } from "../../src/sources/io-pool-guard.js";
import { httpSource } from "../../src/sources/http.js";
import { firstNumber } from "../../src/sources/number.js";
import { Redactor } from "../../src/common/redactor.js";

const never = new AbortController().signal;

describe("firstNumber", () => {
  const cases: [string, number | undefined][] = [
    ["42", 42],
    ["  -3.5e2 items", -350],
    ["temp: 41.5C", 41.5],
    [".5", 0.5],
    ["none", undefined],
    ["", undefined],
  ];
  for (const [text, expected] of cases)
    it(JSON.stringify(text), () => assert.equal(firstNumber(text), expected));
});

describe("command source", () => {
  it("reads the first number on stdout", async () => {
    assert.equal(await commandSource(["sh", "-c", "echo 'files: 12'; echo 99"]).read(never), 12);
  });
  it("uses no shell unless asked: the argv is passed as is", async () => {
    assert.equal(await commandSource(["echo", "$((1+1))", "3"]).read(never), 1);
  });
  it("names the exit code and the first line of stderr", async () => {
    await assert.rejects(
      commandSource(["sh", "-c", "echo 'disk gone' >&2; echo more >&2; exit 2"]).read(never),
      {
        name: "SourceError",
        message: /^command sh exited 2 after \d+ ms: "disk gone"$/,
      },
    );
  });
  it("fails when nothing numeric is printed", async () => {
    await assert.rejects(commandSource(["echo", "hello"]).read(never), {
      message: 'command echo printed no number on stdout (got "hello")',
    });
  });
  it("fails clearly when the program does not exist", async () => {
    await assert.rejects(commandSource(["/no/such/program"]).read(never), {
      message: "command not found: /no/such/program",
    });
  });
  it("kills the whole process tree on abort", async () => {
    const marker = sleepMarker(27);
    const controller = new AbortController();
    const reading = commandSource(["sh", "-c", `sleep ${marker} & sleep ${marker}; echo 1`]).read(
      controller.signal,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    await assert.rejects(reading, { message: /timed out after \d+ ms; killed its process group$/ });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.throws(() => execFileSync("pgrep", ["-f", `sleep ${marker}`]), "no sleep left running");
  });
});

describe("command source: resource exhaustion and escaped children", () => {
  it("turns a spawn failing with EMFILE (under a low ulimit -n) into a failed read, not a crash", () => {
    // A child process with 64 descriptors at most fills them, then reads a command source.
    const script = `
      import { openSync } from "node:fs";
      import { commandSource } from ${JSON.stringify(new URL("../../src/sources/command.js", import.meta.url).href)};
      const held = [];
      try { for (;;) held.push(openSync("/dev/null", "r")); } catch (error) { if (error.code !== "EMFILE") throw error; }
      const outcome = await commandSource(["echo", "1"]).read(AbortSignal.timeout(5000)).then(
        (value) => ({ value }),
        (error) => ({ name: error.name, message: error.message }),
      );
      console.log(JSON.stringify({ held: held.length, outcome }));
    `;
    const output = execFileSync(
      "sh",
      ["-c", 'ulimit -n 64 && exec "$0" --input-type=module -e "$1"', process.execPath, script],
      { encoding: "utf8", timeout: 20_000 },
    );
    const { held, outcome } = JSON.parse(output) as { held: number; outcome: Record<string, unknown> };
    assert.ok(held > 0 && held < 64, `held ${held} descriptors`);
    assert.deepEqual(outcome, {
      name: "SourceError",
      message: "command echo could not start: this process has too many open files (EMFILE)",
    });
  });

  it("kills a child that escaped with setsid and holds stdout: no descriptor or process is left, run after run", async () => {
    const marker = sleepMarker(41);
    const source = commandSource(["sh", "-c", `setsid sleep ${marker} & echo 7`]);
    const descriptors = () => readdirSync("/proc/self/fd").length;
    // The first read loads what the child-process machinery needs, so count from after it.
    assert.equal(await source.read(AbortSignal.timeout(5_000)), 7);
    const before = descriptors();
    for (let run = 0; run < 20; run++) assert.equal(await source.read(AbortSignal.timeout(5_000)), 7);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(
      descriptors() <= before,
      `the descriptor count stays flat (${before} before, ${descriptors()} after)`,
    );
    assert.throws(() => execFileSync("pgrep", ["-f", `sleep ${marker}`]), "no escaped sleep left running");
  });

  it("names only the program in a failure, never its arguments", async () => {
    await assert.rejects(commandSource(["sh", "-c", "exit 3", "sh", "arg-secret-1234"]).read(never), {
      message: /^command sh exited 3 after \d+ ms$/,
    });
    await assert.rejects(
      commandSource(
        ["sh", "-c", 'echo "auth failed for $1" >&2; exit 4', "sh", "arg-secret-1234"],
        new Redactor(["arg-secret-1234"]),
      ).read(never),
      { message: /^command sh exited 4 after \d+ ms: "auth failed for \[redacted\]"$/ },
    );
  });
});

describe("file source", () => {
  const dir = mkdtempSync(join(tmpdir(), "cwp-file-"));
  it("reads the first number in the file", async () => {
    const path = join(dir, "temp");
    writeFileSync(path, "41500\n");
    assert.equal(await fileSource(path).read(never), 41500);
  });
  it("says when the file does not exist", async () => {
    await assert.rejects(fileSource(join(dir, "nope")).read(never), {
      message: `file ${join(dir, "nope")} does not exist`,
    });
  });
  it("says when the file holds no number", async () => {
    const path = join(dir, "words");
    writeFileSync(path, "no digits here");
    await assert.rejects(fileSource(path).read(never), {
      message: `file ${path} holds no number (starts with "no digits here")`,
    });
  });
});

describe("file source: files that can block", () => {
  const dir = mkdtempSync(join(tmpdir(), "cwp-fifo-"));
  let fifos = 0;
  const fifo = () => {
    const path = join(dir, `fifo${fifos++}`);
    execFileSync("mkfifo", [path]);
    return path;
  };
  const descriptors = () => readdirSync("/proc/self/fd").length;

  it("refuses a named pipe at once unless the source opts in", async () => {
    const path = fifo();
    await assert.rejects(fileSource(path).read(AbortSignal.timeout(5_000)), {
      name: "SourceError",
      message: `file ${path} is a named pipe (FIFO), not a regular file; reading one can wait forever, so it is read only with allowSpecialFile: true on the source`,
    });
  });

  it("refuses a device or a directory the same way", async () => {
    await assert.rejects(fileSource("/dev/zero").read(never), {
      message: /^file \/dev\/zero is a character device, not a regular file;/,
    });
    await assert.rejects(fileSource(dir).read(never), { message: `file ${dir} is a directory, not a file` });
  });

  it("with allowSpecialFile, reads what a writer puts in a named pipe", async () => {
    const path = fifo();
    const reading = fileSource(path, { allowSpecialFile: true }).read(AbortSignal.timeout(10_000));
    writeFileSync(path, "42\n");
    assert.equal(await reading, 42);
  });

  it("with allowSpecialFile, ends at the first line holding a number while the writer keeps the pipe open", async () => {
    const path = fifo();
    const reading = fileSource(path, { allowSpecialFile: true }).read(AbortSignal.timeout(10_000));
    const writer = spawn("sh", ["-c", 'exec 3>"$0"; echo "queue: 17" >&3; sleep 5', path]);
    try {
      assert.equal(await reading, 17);
    } finally {
      writer.kill();
    }
  });

  it("gives up on a pipe nobody writes to at the timeout, closing it, while the I/O pool stays free", async () => {
    const before = descriptors();
    const controller = new AbortController();
    const started = performance.now();
    const reads = Array.from({ length: 6 }, () =>
      fileSource(fifo(), { allowSpecialFile: true }).read(controller.signal),
    );
    // Six blocked reads, more than the pool's four threads: a regular file and DNS still answer.
    const regular = join(dir, "regular");
    writeFileSync(regular, "5");
    assert.equal(await fileSource(regular).read(AbortSignal.timeout(5_000)), 5);
    await lookup("localhost");
    controller.abort();
    for (const read of reads) await assert.rejects(read, { message: /timed out after \d+ ms$/ });
    assert.ok(performance.now() - started < 5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(descriptors() <= before, "every pipe was closed");
  });

  it("with allowSpecialFile, reads a device without blocking: up to 64 KiB, or to its end", async () => {
    await assert.rejects(
      fileSource("/dev/zero", { allowSpecialFile: true }).read(AbortSignal.timeout(5_000)),
      {
        message: /^file \/dev\/zero holds no number/,
      },
    );
    await assert.rejects(
      fileSource("/dev/null", { allowSpecialFile: true }).read(AbortSignal.timeout(5_000)),
      {
        message: 'file /dev/null holds no number (starts with "")',
      },
    );
  });

  it("returns at the timeout even when a file system call never comes back", async () => {
    const path = join(dir, "on-a-hung-mount");
    writeFileSync(path, "1");
    const controller = new AbortController();
    const reading = fileSource(path, { guard: new HangingGuard(1) }).read(controller.signal);
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(reading, { message: /timed out after \d+ ms/ });
  });

  it("fails at once rather than queue behind calls stuck in the kernel, so they can hold only part of the pool", async () => {
    const guard = new IoPoolGuard(2, 50);
    const path = join(dir, "behind-stuck-calls");
    writeFileSync(path, "3");
    const stuck = () => guard.run(() => new Promise<never>(() => undefined));
    void stuck();
    void stuck();
    // Busy, but not for long yet: a read waits for its turn (and gives up at its timeout).
    const impatient = new AbortController();
    setTimeout(() => impatient.abort(), 20);
    await assert.rejects(fileSource(path, { guard }).read(impatient.signal), {
      message: /timed out after \d+ ms/,
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await assert.rejects(fileSource(path, { guard }).read(never), {
      message: `file ${path} not read: 2 earlier file system calls of file sources have not returned for over 0.05 s (a hung network file system?), and file sources may hold only 2 of Node's I/O threads`,
    });
    assert.equal(await fileSource(path, { guard: new IoPoolGuard(2, 50) }).read(never), 3);
  });
});

/** A guard whose calls hang for ever, as on a hard-mounted NFS server that is gone. */
class HangingGuard extends IoPoolGuard {
  override run<T>(): Promise<T> {
    return new Promise<T>(() => undefined);
  }
}

describe("env source", () => {
  it("reads the variable at each run", () => {
    const env: Record<string, string> = { DEPTH: "3" };
    const source = envSource("DEPTH", env);
    assert.equal(source.readNow!(), 3);
    env.DEPTH = "4";
    assert.equal(source.readNow!(), 4);
  });
  it("fails when unset or not a number", async () => {
    assert.throws(() => envSource("DEPTH", {}).readNow!(), {
      message: "environment variable DEPTH is not set",
    });
    await assert.rejects(envSource("DEPTH", { DEPTH: "3 apples" }).read(never), {
      message: 'environment variable DEPTH is not a number (got "3 apples")',
    });
  });
});

describe("http source", () => {
  let server: Server;
  let base: string;
  let elsewhere: string;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === "/json")
        res.end(JSON.stringify({ queue: { depth: 5, name: "q" }, list: [{ n: "8" }] }));
      else if (req.url === "/plain") res.end("12.5\n");
      else if (req.url === "/header") res.end(req.headers["x-token"] === "abc" ? "1" : "0");
      else if (req.url === "/slow") setTimeout(() => res.end("1"), 5_000);
      else if (req.url?.startsWith("/echo")) {
        // An error page that echoes what it was sent, as some do.
        res
          .writeHead(401)
          .end(
            `denied ${req.url} for ${String(req.headers.authorization)} with X-Api-Key: ${String(req.headers["x-api-key"])}`,
          );
      } else if (req.url === "/basic")
        res.end(
          req.headers.authorization === `Basic ${Buffer.from("me:pa ss-word").toString("base64")}`
            ? "1"
            : "0",
        );
      else if (req.url === "/away") res.writeHead(302, { location: `${elsewhere}/key` }).end();
      else if (req.url === "/here") res.writeHead(307, { location: "/key" }).end();
      else if (req.url === "/key") res.end(req.headers["x-api-key"] === "key-5e2b7c9d" ? "1" : "0");
      else if (req.url === "/loop") res.writeHead(302, { location: "/loop" }).end();
      else if (req.url === "/huge") {
        // Chunked, with no Content-Length: the cap must hold while reading.
        res.writeHead(200);
        const block = "9".repeat(64 * 1024);
        for (let i = 0; i < 20; i++) res.write(block);
        res.end();
      } else res.writeHead(503).end("maintenance");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
    // The same server under another name is another origin.
    elsewhere = `http://localhost:${port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it("picks a number out of JSON with a JSONPath", async () => {
    assert.equal(await httpSource(`${base}/json`, "$.queue.depth", {}).read(never), 5);
    assert.equal(await httpSource(`${base}/json`, "$.list[0].n", {}).read(never), 8);
  });
  it("reads a plain numeric body, and sends the headers", async () => {
    assert.equal(await httpSource(`${base}/plain`, undefined, {}).read(never), 12.5);
    assert.equal(await httpSource(`${base}/header`, undefined, { "X-Token": "abc" }).read(never), 1);
  });
  it("fails on a non-2xx answer, a path that matches nothing or a non-number", async () => {
    await assert.rejects(httpSource(`${base}/down`, undefined, {}).read(never), {
      message: `GET ${base}/down answered HTTP 503 ("maintenance")`,
    });
    await assert.rejects(httpSource(`${base}/json`, "$.queue.size", {}).read(never), {
      message: `${base}/json: JSONPath $.queue.size matched nothing`,
    });
    await assert.rejects(httpSource(`${base}/json`, "$.queue.name", {}).read(never), {
      message: `${base}/json: JSONPath $.queue.name found "\\"q\\"", not a number`,
    });
    await assert.rejects(httpSource(`${base}/json`, undefined, {}).read(never), {
      message: /body is not a number/,
    });
  });
  it("refuses a body over 1 MiB even without a Content-Length", async () => {
    await assert.rejects(httpSource(`${base}/huge`, undefined, {}).read(never), {
      message: `GET ${base}/huge: the body is over the 1048576-byte limit`,
    });
  });
  it("gives up when aborted", async () => {
    await assert.rejects(httpSource(`${base}/slow`, undefined, {}).read(AbortSignal.timeout(100)), {
      message: `GET ${base}/slow timed out`,
    });
  });
  it("never shows a URL's query string or password, a header's value, or secrets echoed in a body", async () => {
    const secrets = ["tok-7f3a9c1e5b", "key-5e2b7c9d", "pw-b81d4e2a90", "bearer-0c4f8e1a"];
    const source = httpSource(
      `http://user:pw-b81d4e2a90@127.0.0.1:${new URL(base).port}/echo?token=tok-7f3a9c1e5b&v=2`,
      undefined,
      { "X-Api-Key": "key-5e2b7c9d", Authorization: "Bearer bearer-0c4f8e1a" },
    );
    const error = await source.read(never).then(
      () => assert.fail("no error"),
      (e: unknown) => e as Error,
    );
    assert.equal(
      error.message,
      `GET ${base}/echo?[redacted] answered HTTP 401 ("denied /echo?token=[redacted]&v=[redacted] for [redacted]...")`,
    );
    for (const secret of secrets) assert.ok(!error.message.includes(secret), secret);
    const down = httpSource(`http://127.0.0.1:9/x?token=tok-7f3a9c1e5b`, undefined, {});
    await assert.rejects(down.read(never), {
      message: /^GET http:\/\/127\.0\.0\.1:9\/x\?\[redacted\] failed: /,
    });
  });
  it("sends a URL's user and password as Basic authorization", async () => {
    assert.equal(
      await httpSource(`http://me:pa%20ss-word@127.0.0.1:${new URL(base).port}/basic`, undefined, {}).read(
        never,
      ),
      1,
    );
  });
  it("keeps the config's headers for their own origin across redirects", async () => {
    const headers = { "X-Api-Key": "key-5e2b7c9d" };
    assert.equal(await httpSource(`${base}/here`, undefined, headers).read(never), 1, "same origin: sent");
    assert.equal(
      await httpSource(`${base}/away`, undefined, headers).read(never),
      0,
      "another origin: dropped",
    );
    await assert.rejects(httpSource(`${base}/loop`, undefined, headers).read(never), {
      message: `GET ${base}/loop: more than 5 redirects`,
    });
  });
  it("says when nothing listens", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(httpSource(url, undefined, {}).read(never), {
      message: `GET ${url} failed: connect ECONNREFUSED ${url.slice(7, -1)}`,
    });
  });
});
