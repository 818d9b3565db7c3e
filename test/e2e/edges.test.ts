/**
 * The edges of a run, end to end against the fake CloudWatch: what a graceful shutdown leaves on
 * disk and the next start delivers, a second signal, a scheduler that fell behind, a health port
 * already taken, an http source that does not answer JSON. Asserted as sets of datums and log lines,
 * never as timings or request counts.
 */
import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer } from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { jsonLines, runCli, startCli } from "../support/cli.js";
import { collectedKeys, counts, deliveredKeys } from "../support/datums.js";
import { e2eHarness } from "../support/e2e.js";
import { freePort } from "../support/http.js";
import { waitFor } from "../support/wait.js";

const { dir, env, writeConfig, fake } = e2eHarness("cwp-edges-");

function messages(stdout: string): string[] {
  return jsonLines(stdout).map((l) => String(l.message));
}

/** A config with an outbox directory and one metric ticking every second, read at start too. */
function tickingConfig(name: string, namespace: string): { file: string; outboxDir: string } {
  const outboxDir = join(dir, `outbox-${name}`);
  const file = writeConfig(
    `${name}.yaml`,
    `delivery:
  outboxDir: ${outboxDir}
  retryBaseDelay: 200ms
  retryMaxDelay: 1s
metrics:
  - { name: Tick, namespace: ${namespace}, schedule: "* * * * * *", runOnStart: true, source: { type: constant, value: 1 } }
`,
  );
  return { file, outboxDir };
}

/** Files in the outbox directory that hold something. */
function filledFiles(outboxDir: string): string[] {
  return readdirSync(outboxDir).filter((name) => statSync(join(outboxDir, name)).size > 0);
}

describe("the durable remainder", () => {
  it("what SIGTERM could not deliver stays in the outbox directory, and the next start delivers it, once", async () => {
    const ns = "E2E/Remainder";
    const { file, outboxDir } = tickingConfig("remainder", ns);
    const health = join(dir, "remainder-health.json");
    await fake().refuseConnections();
    const first = startCli(["run", "--config", file], env({ LOG_LEVEL: "debug", HEALTH_FILE: health }));
    try {
      await waitFor(() => collectedKeys(first.stdout()).length >= 3, "3 datums collected");
      assert.equal((await first.stop("SIGTERM")).code, 0);
    } finally {
      await fake().resume();
    }
    const kept = collectedKeys(first.stdout());
    const logs = jsonLines(first.stdout());
    const remainder = logs.find((l) => /undelivered datums? stays? in the outbox/.test(String(l.message)));
    assert.ok(remainder, messages(first.stdout()).join("\n"));
    assert.match(
      String(remainder.message),
      new RegExp(
        `^${kept.length} undelivered datums stay in the outbox at ${outboxDir}; they are sent on the next start`,
      ),
    );
    assert.equal(remainder.outboxDepth, kept.length);
    const stopped = logs.at(-1)!;
    assert.equal(stopped.message, "stopped");
    assert.equal(stopped.outboxDepth, kept.length, "the last line counts what was kept");
    assert.equal(stopped.published, 0);
    const dropped = Object.entries(stopped.dropped as Record<string, number>).filter(([, n]) => n > 0);
    assert.deepEqual(dropped, [], "nothing dropped, none counted lost at shutdown");
    assert.deepEqual(deliveredKeys(fake(), ns), [], "CloudWatch was unreachable");
    assert.notDeepEqual(filledFiles(outboxDir), [], "the remainder is on disk");

    // The next start (once, here) replays it with its own read, and exits 0 with the backlog counted apart.
    const second = await runCli(["once", "--config", file], {
      env: env({ LOG_LEVEL: "debug", HEALTH_FILE: health }),
    });
    assert.equal(second.code, 0, second.stdout);
    const secondLogs = messages(second.stdout);
    assert.ok(
      secondLogs.includes(`outbox: replaying ${kept.length} undelivered datums from ${outboxDir}`),
      secondLogs.join("\n"),
    );
    assert.match(
      secondLogs.at(-1)!,
      new RegExp(`; outbox backlog: ${kept.length} replayed, ${kept.length} published, 0 left$`),
    );
    const all = [...kept, ...collectedKeys(second.stdout)].sort();
    assert.equal(all.length, kept.length + 1);
    assert.deepEqual(deliveredKeys(fake(), ns), all, "each kept datum and the new read, once");

    // A third start finds nothing to replay: what was delivered is not delivered again.
    const third = await runCli(["once", "--config", file], { env: env({ HEALTH_FILE: health }) });
    assert.equal(third.code, 0, third.stdout);
    assert.ok(!messages(third.stdout).some((m) => m.startsWith("outbox: replaying")), third.stdout);
    const delivered = counts(deliveredKeys(fake(), ns));
    for (const key of all) assert.equal(delivered.get(key), 1, `${key} delivered once`);
    assert.equal(delivered.size, all.length + 1, "and the third start's own read");
  });
});

describe("a second signal", () => {
  it("exits 130 at once during the shutdown, and what was collected is delivered by the next start", async () => {
    const ns = "E2E/SecondSignal";
    const { file } = tickingConfig("second-signal", ns);
    const health = join(dir, "second-signal-health.json");
    await fake().refuseConnections();
    const cli = startCli(["run", "--config", file], env({ LOG_LEVEL: "debug", HEALTH_FILE: health }));
    let exit;
    try {
      await waitFor(() => collectedKeys(cli.stdout()).length >= 2, "2 datums collected");
      process.kill(cli.pid, "SIGTERM");
      // While CloudWatch refuses connections, the shutdown retries until its deadline: it is still going.
      await cli.waitForLine(/SIGTERM received; shutting down/);
      process.kill(cli.pid, "SIGINT");
      exit = await cli.exited;
    } finally {
      await fake().resume();
    }
    assert.deepEqual(exit, { code: 130, signal: null });
    const logs = messages(cli.stdout());
    assert.ok(
      logs.includes("SIGINT received again; exiting without finishing the shutdown"),
      logs.join("\n"),
    );
    assert.ok(!logs.includes("stopped"), "the shutdown was cut short");
    const kept = collectedKeys(cli.stdout());

    const next = await runCli(["once", "--config", file], {
      env: env({ LOG_LEVEL: "debug", HEALTH_FILE: health }),
    });
    assert.equal(next.code, 0, next.stdout);
    assert.ok(messages(next.stdout).some((m) => m.startsWith(`outbox: replaying ${kept.length} `)));
    assert.deepEqual(
      deliveredKeys(fake(), ns),
      [...kept, ...collectedKeys(next.stdout)].sort(),
      "every datum collected before the second signal, once",
    );
  });
});

describe("a scheduler that fell behind", () => {
  const preload = fileURLToPath(new URL("../support/block-loop.js", import.meta.url));

  it("skips the runs it missed, with a warning, rather than bursting; the schedule goes on", async () => {
    const ns = "E2E/Behind";
    const file = writeConfig(
      "behind.yaml",
      `metrics:\n  - { name: Tick, namespace: ${ns}, schedule: "* * * * * *", source: { type: constant, value: 1 } }\n`,
    );
    const cli = startCli(
      ["run", "--config", file],
      env({ LOG_LEVEL: "debug", HEALTH_FILE: join(dir, "behind-health.json"), CWP_TEST_BLOCK_MS: "2500" }),
      { nodeArgs: ["--import", preload] },
    );
    await waitFor(() => collectedKeys(cli.stdout()).length >= 2, "2 datums collected");
    process.kill(cli.pid, "SIGUSR2"); // blocks its event loop for 2.5 s
    await cli.waitForLine(/fell \d+ ms behind/);
    const atWarning = collectedKeys(cli.stdout()).length;
    await waitFor(() => collectedKeys(cli.stdout()).length >= atWarning + 2, "2 more runs after it");
    assert.equal((await cli.stop()).code, 0);

    const times = collectedKeys(cli.stdout()).map((key) => Number(key.split("@")[1]));
    assert.equal(new Set(times).size, times.length, "no run was doubled");
    const gaps = times.slice(1).map((t, i) => ({ from: times[i]!, gap: t - times[i]! }));
    const skips = gaps.filter((g) => g.gap !== 1000);
    const warnings = messages(cli.stdout())
      .map((m) =>
        /^schedule "\* \* \* \* \* \*" fell (\d+) ms behind; skipping to its next run after now$/.exec(m),
      )
      .filter((m) => m !== null)
      .map((m) => Number(m[1]));
    // A loaded machine may fall behind more than once: each time is one warning and one gap.
    assert.ok(warnings.length >= 1);
    assert.equal(skips.length, warnings.length, JSON.stringify({ gaps, warnings }));
    // The timer due during the 2.5 s block fired at least 1.5 s late: at least one run was skipped.
    assert.ok(
      warnings.some((behind) => behind >= 1500),
      `the block made the scheduler fall behind: ${JSON.stringify(warnings)}`,
    );
    for (const [i, skip] of skips.entries()) {
      // The late run keeps its instant; the next is the first one after the moment it ran.
      const behind = warnings[i]!;
      assert.ok(
        behind >= 1000 && behind < skip.gap && skip.gap - behind <= 1000,
        JSON.stringify({ skip, behind }),
      );
    }
    assert.deepEqual(deliveredKeys(fake(), ns), collectedKeys(cli.stdout()), "every run read was delivered");
  });
});

describe("a health port already in use", () => {
  let holder: ReturnType<typeof createTcpServer>;
  let port: number;
  before(async () => {
    port = await freePort();
    holder = createTcpServer();
    await new Promise<void>((resolve) => holder.listen(port, "127.0.0.1", resolve));
  });
  after(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it("is one clear line and exit 2, before anything is read or sent", async () => {
    const ns = "E2E/PortTaken";
    const outboxDir = join(dir, "outbox-port");
    const file = writeConfig(
      "port.yaml",
      `health: { port: ${port} }\ndelivery: { outboxDir: ${outboxDir} }\nmetrics:\n  - { name: Tick, namespace: ${ns}, runOnStart: true, schedule: "@hourly", source: { type: constant, value: 1 } }\n`,
    );
    const r = await runCli(["run", "--config", file], {
      env: env({ LOG_LEVEL: "debug", HEALTH_FILE: join(dir, "port-health.json") }),
    });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const logs = jsonLines(r.stdout);
    const errors = logs.filter((l) => l.level === "error").map((l) => String(l.message));
    assert.deepEqual(errors, [
      `health endpoint: port ${port} is already in use by another process; set another health.port (or HEALTH_PORT), or stop what listens there`,
    ]);
    assert.deepEqual(collectedKeys(r.stdout), [], "nothing was read");
    assert.deepEqual(deliveredKeys(fake(), ns), [], "nothing was sent");
    assert.ok(!messages(r.stdout).some((m) => /undelivered|lost/.test(m)), "no datum is left behind or lost");
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, "no stack trace");
  });
});

describe("an http source whose body is not JSON", () => {
  let app: Server;
  let base: string;
  before(async () => {
    app = createServer((req, res) => {
      if (req.url === "/html")
        res
          .writeHead(200, { "content-type": "text/html" })
          .end("<html><body>Service Unavailable</body></html>");
      else if (req.url === "/truncated")
        res.writeHead(200, { "content-type": "application/json" }).end('{"queue":{"depth":');
      else res.writeHead(200, { "content-type": "application/json" }).end("");
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => app.close(() => resolve())));

  function config(name: string, namespace: string, schedule: string): string {
    return writeConfig(
      name,
      `defaults: { namespace: ${namespace}, schedule: "${schedule}" }
metrics:
  - { name: Html, source: { type: http, url: "${base}/html", jsonPath: "$.queue.depth" } }
  - { name: Truncated, source: { type: http, url: "${base}/truncated", jsonPath: "$.queue.depth" } }
  - { name: Empty, source: { type: http, url: "${base}/empty", jsonPath: "$.queue.depth" } }
  - { name: Fine, source: { type: constant, value: 4 } }
`,
    );
  }

  /** The failed reads' lines: the URL and an excerpt of what came back. */
  const failures = () => [
    `metric "Html": GET ${base}/html did not return JSON (got "<html><body>Service Unavailable</body></html>")`,
    `metric "Truncated": GET ${base}/truncated did not return JSON (got "{\\"queue\\":{\\"depth\\":")`,
    `metric "Empty": GET ${base}/empty did not return JSON (got "")`,
  ];

  it("once: each is a failed read naming the URL and what came back; the others are delivered; exit 3", async () => {
    const ns = "E2E/NotJson";
    const r = await runCli(["once", "--config", config("not-json.yaml", ns, "* * * * *")], { env: env() });
    assert.equal(r.code, 3, r.stdout + r.stderr);
    const logs = jsonLines(r.stdout);
    const failed = logs.filter((l) => l.level === "warn" && typeof l.metric === "string");
    assert.deepEqual(failed.map((l) => l.message).sort(), failures().sort());
    assert.deepEqual(
      fake()
        .datums.filter((d) => d.namespace === ns)
        .map((d) => [d.name, d.value]),
      [["Fine", 4]],
    );
    assert.match(
      String(logs.at(-1)!.message),
      /^once: 4 metrics, 1 read, 1 published in .*, 3 read failures, 0 dropped$/,
    );
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at |SyntaxError/, "no stack trace, no parser internals");
  });

  it("run: the daemon keeps going, each failure counted, the other metric on schedule", async () => {
    const ns = "E2E/NotJsonRun";
    const cli = startCli(
      ["run", "--config", config("not-json-run.yaml", ns, "* * * * * *")],
      env({ HEALTH_FILE: join(dir, "not-json-health.json") }),
    );
    await waitFor(
      () => fake().datums.filter((d) => d.namespace === ns).length >= 2,
      "2 datums of the fine metric",
    );
    assert.equal((await cli.stop()).code, 0);
    const logs = jsonLines(cli.stdout());
    const stopped = logs.at(-1)!;
    assert.equal(stopped.message, "stopped");
    const failed = logs.filter((l) => l.level === "warn" && typeof l.metric === "string");
    assert.equal(stopped.readFailures, failed.length, "every failed read is counted and logged");
    for (const line of failures())
      assert.ok(
        failed.some((l) => l.message === line),
        line,
      );
    assert.ok(
      fake()
        .datums.filter((d) => d.namespace === ns)
        .every((d) => d.name === "Fine" && d.value === 4),
    );
  });
});
