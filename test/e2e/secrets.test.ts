/**
 * Secrets stay in. The planted secrets (test/support/secrets.ts) are in the environment of every
 * CLI the suite starts, and runCli/startCli fail a test whose CLI printed one, anywhere in the suite.
 * Here they are put where they used to leak: a command's arguments and what it prints on stderr,
 * a URL's password and query string, request headers, an error body that echoes them, a redirect to
 * another origin, and a validate-config error about the substituted value.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { jsonLines, runCli } from "../support/cli.js";
import { e2eHarness } from "../support/e2e.js";
import { PLANTED_SECRETS } from "../support/secrets.js";

const { env, writeConfig } = e2eHarness("cwp-secrets-");
let server: Server;
let elsewhere: Server;
let port: number;
/** The headers the other origin received. */
const seenElsewhere: IncomingHttpHeaders[] = [];

before(async () => {
  elsewhere = createServer((req, res) => {
    seenElsewhere.push(req.headers);
    res.end("3");
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
  const elsewherePort = (elsewhere.address() as AddressInfo).port;
  server = createServer((req, res) => {
    if (req.url?.startsWith("/redirect")) {
      res.writeHead(302, { location: `http://localhost:${elsewherePort}/landing` }).end();
    } else if (req.url?.startsWith("/metrics")) {
      // An exporter that echoes the key into a line that does not parse: the parse error quotes it.
      res.end(`# TYPE up gauge\nup{key="${String(req.headers["x-api-key"])}" 1\n`);
    } else if (req.url?.startsWith("/json")) {
      res.end(JSON.stringify({ value: PLANTED_SECRETS.CWP_TEST_TOKEN }));
    } else {
      // An error page echoing the request, credentials and all, as some servers do.
      res
        .writeHead(500)
        .end(
          `failed ${req.url} Authorization: ${String(req.headers.authorization)} X-Api-Key: ${String(req.headers["x-api-key"])}`,
        );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.close();
  elsewhere.close();
});

describe("secrets", () => {
  it("never appear in the logs of failed reads, at any log level", async () => {
    const config = writeConfig(
      "leaky.yaml",
      `defaults:
  namespace: E2E/Secrets
  timeout: 2s
metrics:
  - name: EchoesItsArgument
    source:
      type: command
      command: ["sh", "-c", 'echo "login failed for $1" >&2; exit 2', "sh", "\${CWP_TEST_ARG_SECRET}"]
  - name: BadArgument
    source:
      type: command
      command: ["sleep", "\${CWP_TEST_ARG_SECRET}"]
  - name: TimesOut
    timeout: 300ms
    source:
      type: command
      command: ["sh", "-c", "sleep 5", "sh", "\${CWP_TEST_ARG_SECRET}"]
  - name: InTheScript
    source:
      type: command
      command: ["sh", "-c", "echo \${CWP_TEST_ARG_SECRET} >&2; exit 3"]
  - name: EchoingServer
    source:
      type: http
      url: "http://reader:\${CWP_TEST_PASSWORD}@127.0.0.1:${port}/stats?token=\${CWP_TEST_TOKEN}"
      headers:
        X-Api-Key: \${CWP_TEST_API_KEY}
  - name: BearerToken
    source:
      type: http
      url: "http://127.0.0.1:${port}/stats"
      headers:
        Authorization: "Bearer \${CWP_TEST_TOKEN}"
  - name: NotANumber
    source:
      type: http
      url: "http://127.0.0.1:${port}/json"
      jsonPath: $.value
  - name: Unreachable
    source:
      type: http
      url: "http://127.0.0.1:9/stats?token=\${CWP_TEST_TOKEN}&key=\${CWP_TEST_NUMERIC_KEY}"
  - name: Redirected
    source:
      type: http
      url: "http://127.0.0.1:${port}/redirect"
      headers:
        X-Api-Key: \${CWP_TEST_API_KEY}
  - name: EchoingExporter
    source:
      type: prometheus
      url: "http://127.0.0.1:${port}/metrics"
      metric: up
      headers:
        X-Api-Key: \${CWP_TEST_API_KEY}
`,
    );
    for (const level of ["info", "debug"]) {
      // runCli fails the test if any planted secret is in the output.
      const r = await runCli(["once", "--config", config], { env: env({ LOG_LEVEL: level }) });
      assert.equal(r.code, 3);
      const messages = jsonLines(r.stdout).map((l) => String(l.message));
      const failure = (metric: string) => messages.find((m) => m.startsWith(`metric "${metric}": `)) ?? "";
      assert.match(
        failure("EchoesItsArgument"),
        /^metric "EchoesItsArgument": command sh exited 2 after \d+ ms: "login failed for \[redacted\]"$/,
      );
      assert.match(
        failure("BadArgument"),
        /^metric "BadArgument": command sleep exited 1 after \d+ ms: "sleep: invalid time interval [‘'"]\[redacted\]/,
      );
      assert.match(
        failure("TimesOut"),
        /^metric "TimesOut": command sh timed out after \d+ ms; killed its process group$/,
      );
      assert.match(
        failure("InTheScript"),
        /^metric "InTheScript": command sh exited 3 after \d+ ms: "\[redacted\]"$/,
      );
      assert.ok(
        failure("EchoingServer").startsWith(
          `metric "EchoingServer": GET http://127.0.0.1:${port}/stats?[redacted] answered HTTP 500 ("failed /stats?token=[redacted] Authorization: [redacted]`,
        ),
        failure("EchoingServer"),
      );
      assert.match(
        failure("EchoingExporter"),
        /^metric "EchoingExporter": GET .*\/metrics: the body is not Prometheus or OpenMetrics text: line 2: .*up\{key=\\"\[redacted\]\\" 1/,
      );
      assert.match(
        failure("BearerToken"),
        /^metric "BearerToken": GET .*\/stats answered HTTP 500 \("failed \/stats Authorization: \[redacted\]/,
      );
      assert.equal(
        failure("NotANumber"),
        `metric "NotANumber": http://127.0.0.1:${port}/json: JSONPath $.value found "\\"[redacted]\\"", not a number`,
      );
      assert.match(
        failure("Unreachable"),
        /^metric "Unreachable": GET http:\/\/127\.0\.0\.1:9\/stats\?\[redacted\] failed: /,
      );
      assert.ok(
        messages.some(
          (m) =>
            m.startsWith("config ") &&
            m.includes("warning: ${CWP_TEST_ARG_SECRET} is put into the shell script"),
        ),
      );
    }
    assert.ok(seenElsewhere.length >= 1, "the redirect was followed");
    for (const headers of seenElsewhere)
      assert.equal(headers["x-api-key"], undefined, "no custom header crosses to another origin");
  });

  it("never appear in validate-config's errors about a substituted value, numeric or not", async () => {
    const config = writeConfig(
      "typed.yaml",
      `metrics:
  - name: A
    namespace: N
    timeout: \${CWP_TEST_NUMERIC_KEY}
    scale: \${CWP_TEST_API_KEY}
    source:
      type: http
      url: "http://x/?k=\${CWP_TEST_TOKEN} \${CWP_TEST_PASSWORD}"
`,
    );
    for (const format of ["text", "json"]) {
      const r = await runCli(["validate-config", "--format", format, config], { env: env() });
      assert.equal(r.code, 1);
      assert.match(r.stdout, /the value of \\?"\$\{CWP_TEST_NUMERIC_KEY\}\\?"/);
    }
  });
});
