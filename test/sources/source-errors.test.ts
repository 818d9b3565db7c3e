/**
 * ValueSource's promise, held for every kind through the registry: a read fails only by rejecting
 * with a SourceError whose message names what was read, also when the read is cut short (timeout or
 * shutdown), never with a bare AbortError or a system error.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { SourceConfig } from "../../src/config/types.js";
import { Redactor } from "../../src/common/redactor.js";
import { createSource } from "../../src/sources/registry.js";
import { ReadAborted, SourceError } from "../../src/sources/types.js";

let dir: string;
let server: Server;
let silentUrl: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "cwp-source-errors-"));
  execFileSync("mkfifo", [join(dir, "pipe")]);
  // Answers nothing: the read can only end by being cut short.
  server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  silentUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/depth`;
});

after(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function failure(config: SourceConfig, cutShort?: ReadAborted): Promise<SourceError> {
  const controller = new AbortController();
  if (cutShort !== undefined) setTimeout(() => controller.abort(cutShort), 150);
  const source = createSource(config, {});
  try {
    await source.read(controller.signal);
  } catch (error) {
    assert.ok(error instanceof SourceError, `rejected with ${String(error)}, not a SourceError`);
    return error;
  }
  assert.fail("the read succeeded");
}

describe("every source rejects with a SourceError naming what it read", () => {
  const missing = () => join(dir, "missing");
  const pipe = () => join(dir, "pipe");
  const cases: [string, () => SourceConfig, ReadAborted | undefined, () => string][] = [
    ["env: unset", () => ({ type: "env", variable: "CWP_UNSET_12A" }), undefined, () => "CWP_UNSET_12A"],
    ["file: missing", () => ({ type: "file", path: missing(), allowSpecialFile: false }), undefined, missing],
    [
      "file: timed out on a pipe nobody writes to",
      () => ({ type: "file", path: pipe(), allowSpecialFile: true }),
      new ReadAborted("timeout"),
      pipe,
    ],
    [
      "file: cut short by the shutdown",
      () => ({ type: "file", path: pipe(), allowSpecialFile: true }),
      new ReadAborted("shutdown"),
      pipe,
    ],
    ["command: exits 3", () => ({ type: "command", command: ["sh", "-c", "exit 3"] }), undefined, () => "sh"],
    [
      "command: timed out",
      () => ({ type: "command", command: ["sleep", "30"] }),
      new ReadAborted("timeout"),
      () => "sleep",
    ],
    [
      "http: timed out",
      () => ({ type: "http", url: silentUrl, jsonPath: undefined, headers: {} }),
      new ReadAborted("timeout"),
      () => "127.0.0.1",
    ],
  ];
  for (const [what, config, cutShort, named] of cases) {
    it(what, async () => {
      const error = await failure(config(), cutShort);
      assert.ok(error.message.includes(named()), `"${error.message}" names ${named()}`);
      if (cutShort !== undefined) {
        const wording = cutShort.why === "shutdown" ? /cut short by the shutdown/ : /timed out/;
        assert.match(error.message, wording);
      }
    });
  }
});

describe("a ${VAR} value put into a file path or a URL path never shows in a source's error", () => {
  const secret = "hunter2-s3cr3t";
  const redactor = new Redactor([secret]);
  const cases: [string, () => SourceConfig][] = [
    ["file: missing", () => ({ type: "file", path: join(dir, secret), allowSpecialFile: false })],
    [
      "http: refused",
      () => ({ type: "http", url: `http://127.0.0.1:1/${secret}/depth`, jsonPath: undefined, headers: {} }),
    ],
    [
      "http: timed out",
      () => ({ type: "http", url: `${silentUrl}/${secret}`, jsonPath: undefined, headers: {} }),
    ],
  ];
  for (const [name, config] of cases) {
    it(name, async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new ReadAborted("timeout")), 150);
      const error = await createSource(config(), {}, redactor)
        .read(controller.signal)
        .then(
          () => assert.fail("the read succeeded"),
          (e: unknown) => e,
        );
      assert.ok(error instanceof SourceError, `rejected with ${String(error)}`);
      assert.ok(!error.message.includes(secret), error.message);
      assert.match(error.message, /\[redacted\]/);
    });
  }
});
