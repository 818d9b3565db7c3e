/** Each source kind for real: processes, files and an HTTP server on loopback. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { commandSource } from "../../src/sources/command.js";
import { envSource } from "../../src/sources/env.js";
import { fileSource } from "../../src/sources/file.js";
import { httpSource } from "../../src/sources/http.js";
import { firstNumber } from "../../src/sources/number.js";
import { Redactor } from "../../src/redactor.js";

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
    const marker = "27.1828";
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
    const marker = "41.2718";
    const source = commandSource(["sh", "-c", `setsid sleep ${marker} & echo 7`]);
    const descriptors = () => readdirSync("/proc/self/fd").length;
    // The first read loads what the child-process machinery needs, so count from after it.
    assert.equal(await source.read(AbortSignal.timeout(5_000)), 7);
    const before = descriptors();
    for (let run = 0; run < 20; run++) assert.equal(await source.read(AbortSignal.timeout(5_000)), 7);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(descriptors(), before, "the descriptor count stays flat");
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
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === "/json")
        res.end(JSON.stringify({ queue: { depth: 5, name: "q" }, list: [{ n: "8" }] }));
      else if (req.url === "/plain") res.end("12.5\n");
      else if (req.url === "/header") res.end(req.headers["x-token"] === "abc" ? "1" : "0");
      else if (req.url === "/slow") setTimeout(() => res.end("1"), 5_000);
      else if (req.url === "/huge") {
        // Chunked, with no Content-Length: the cap must hold while reading.
        res.writeHead(200);
        const block = "9".repeat(64 * 1024);
        for (let i = 0; i < 20; i++) res.write(block);
        res.end();
      } else res.writeHead(503).end("maintenance");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
