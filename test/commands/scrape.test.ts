/**
 * `scrape` as a user runs it: the built CLI in a real process against a real HTTP server on 127.0.0.1
 * serving real exposition bodies (test/sources/prometheus/fixtures), its output and exit codes. The
 * YAML it prints is checked by validate-config, as the user's CI would.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { MAX_HTTP_BODY_BYTES } from "../../src/sources/http-get.js";
import { cleanEnv, REPO_ROOT, runCli, type CliResult } from "../support/cli.js";
import { closedOrigin, startLoopbackServer, type LoopbackServer } from "../support/loopback-server.js";
import { PLANTED_SECRETS } from "../support/secrets.js";

const FIXTURES = join(REPO_ROOT, "test/sources/prometheus/fixtures");
const BODIES = readdirSync(FIXTURES).filter((file) => file.endsWith(".txt"));
const dir = mkdtempSync(join(tmpdir(), "cwp-scrape-"));

const oneLine = (r: CliResult) => {
  assert.equal(r.stdout, "", "nothing on stdout");
  assert.match(r.stderr, /^[^\n]+\n$/, `one line on stderr, got:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
};

describe("scrape", () => {
  let server: LoopbackServer;
  let base: string;
  before(async () => {
    server = await startLoopbackServer(({ path }) => {
      const file = /^\/fixtures\/([\w.-]+)(?:\?.*)?$/.exec(path)?.[1];
      if (file !== undefined && BODIES.includes(file))
        return { status: 200, body: readFileSync(join(FIXTURES, file), "utf8") };
      if (path === "/500") return { status: 500, body: "upstream exploded" };
      if (path === "/html")
        return { status: 200, body: "<!DOCTYPE html>\n<html><body>Grafana</body></html>\n" };
      if (path === "/empty") return { status: 200, body: "" };
      if (path === "/huge")
        return { status: 200, body: "# TYPE big gauge\n" + "big 1\n".repeat(MAX_HTTP_BODY_BYTES / 6 + 1) };
      return { status: 404, body: "not found" };
    });
    base = `${server.origin}/fixtures`;
  });
  after(() => server.close());

  it("lists every family in the endpoint's order: type, series, labels without le or quantile, help", async () => {
    const r = await runCli(["scrape", `${base}/client_golang.txt`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    const rows = r.stdout
      .split("\n")
      .slice(2, 11)
      .map((line) => line.split(/ {2,}/).slice(0, 4));
    assert.deepEqual(rows, [
      ["http_requests_total", "counter", "1", "code, handler, method"],
      ["process_cpu_seconds_total", "counter", "1", "Total user and system CPU time spent in seconds."],
      ["go_goroutines", "gauge", "1", "Number of goroutines that currently exist."],
      ["process_resident_memory_bytes", "gauge", "1", "Resident memory size in bytes."],
      ["process_start_time_seconds", "gauge", "1", "Start time of the process since unix epoch in seconds."],
      [
        "prometheus_evaluator_duration_milliseconds",
        "summary",
        "5",
        "The duration for all evaluations to execute.",
      ],
      ["prometheus_local_storage_chunk_ops_total", "counter", "5", "type"],
      ["prometheus_rule_evaluation_duration_milliseconds", "summary", "6", "rule_type"],
      [
        "prometheus_samples_queue_length",
        "gauge",
        "1",
        "Current number of items in the queue for unwritten...",
      ],
    ]);
    assert.match(r.stdout, /^family +type +series +labels +help$/m);
    assert.match(r.stdout, new RegExp(`^9 families, 22 series at ${base}/client_golang\\.txt;`, "m"));
  });

  it("reads OpenMetrics, Java and Python bodies: every type, histograms without le", async () => {
    const r = await runCli(["scrape", `${base}/client_python.openmetrics.txt`, "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const { url, families } = JSON.parse(r.stdout) as {
      url: string;
      families: { name: string; type: string; labels: { name: string }[]; series: number }[];
    };
    assert.equal(url, `${base}/client_python.openmetrics.txt`);
    assert.deepEqual(
      families.map((f) => [f.name, f.type, f.labels.map((l) => l.name).join(","), f.series]),
      [
        ["cc_seconds", "counter", "", 1],
        ["ss", "summary", "a,b", 1],
        ["hh", "histogram", "", 1],
        ["gh", "gaugehistogram", "", 1],
        ["ii", "info", "a,b,foo", 1],
        ["ee", "stateset", "a,b,ee", 2],
        ["cc", "counter", "a", 1],
        ["ts", "unknown", "foo", 6],
      ],
    );
    const java = await runCli(["scrape", `${base}/client_java.txt`]);
    assert.equal(java.code, 0, java.stderr);
    assert.doesNotMatch(java.stdout, /\ble\b|\bquantile\b/, "le and quantile are not listed as labels");
  });

  it("--match: globs over family names, repeated or comma-separated, !glob leaves out", async () => {
    const names = async (...match: string[]) => {
      const r = await runCli(["scrape", `${base}/client_golang.txt`, "--format", "json", ...match]);
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as { families: { name: string }[] }).families.map((f) => f.name);
    };
    assert.deepEqual(await names("--match", "process_*"), [
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "process_start_time_seconds",
    ]);
    assert.deepEqual(await names("--match", "go_*,http_*"), ["http_requests_total", "go_goroutines"]);
    assert.deepEqual(await names("-m", "go_*", "-m", "http_?equests_total"), [
      "http_requests_total",
      "go_goroutines",
    ]);
    assert.deepEqual(await names("--match", "process_*,!*_seconds*"), ["process_resident_memory_bytes"]);
  });

  it("--match that matches no family: one line naming the glob, exit 2", async () => {
    const r = await runCli(["scrape", `${base}/client_golang.txt`, "--match", "nginx_*"]);
    assert.equal(r.code, 2);
    oneLine(r);
    assert.match(r.stderr, /--match "nginx_\*" matches none of the 9 families at http:/);
  });

  it("--yaml: entries for every fixture pass validate-config under a namespace, unchanged", async () => {
    const files: string[] = [];
    for (const body of BODIES) {
      const r = await runCli(["scrape", `${base}/${body}`, "--yaml"]);
      assert.equal(r.code, 0, `${body}: ${r.stderr}`);
      const file = join(dir, `${body}.yaml`);
      writeFileSync(file, `defaults: { namespace: Scraped }\n${r.stdout}`);
      files.push(file);
    }
    // One validate-config for all of them: a process less per fixture, and each file still judged alone.
    const check = await runCli(["validate-config", ...files]);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    for (const file of files)
      assert.match(check.stdout, new RegExp(`^${file}: valid \\(\\d+ metrics?\\)$`, "m"));
  });

  it("--yaml: one entry per family with its labels, histograms and summaries as such, series as comments", async () => {
    const r = await runCli([
      "scrape",
      `${base}/client_golang.txt`,
      "--yaml",
      "--match",
      "*chunk_ops*,*rule_eval*",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const url = `${base}/client_golang.txt`;
    assert.ok(
      r.stdout.endsWith(
        [
          "metrics:",
          "  # counter, published as its increase per read: The total number of chunk operations by their type.",
          "  # 5 series keeping every label: type (5 values)",
          "  - name: prometheus_local_storage_chunk_ops_total",
          "    unit: Count",
          "    source:",
          "      type: prometheus",
          `      url: ${url}`,
          "      metric: prometheus_local_storage_chunk_ops_total",
          "      labels: [type]",
          "  # summary, its quantiles 0.5, 0.9, 0.99 under the dimension Quantile: The duration for a rule to execute.",
          "  # 6 series (2 label sets x 3 quantiles) keeping every label: rule_type (2 values)",
          "  - name: prometheus_rule_evaluation_duration_milliseconds",
          "    unit: Milliseconds",
          "    source:",
          "      type: prometheus",
          `      url: ${url}`,
          "      metric: prometheus_rule_evaluation_duration_milliseconds",
          "      labels: [rule_type]",
          "",
        ].join("\n"),
      ),
      r.stdout,
    );
    const histogram = await runCli(["scrape", `${base}/node_exporter-histogram.txt`, "--yaml"]);
    assert.match(histogram.stdout, /# histogram, published as Values and Counts/);
    assert.doesNotMatch(histogram.stdout, /labels: \[[^\]]*\ble\b/);
  });

  it("never prints the URL's user, password or query, nor a header's value; the YAML reads them from the environment", async () => {
    const user = PLANTED_SECRETS.CWP_TEST_ARG_SECRET!;
    const password = PLANTED_SECRETS.CWP_TEST_PASSWORD!;
    const token = PLANTED_SECRETS.CWP_TEST_TOKEN!;
    const secretUrl = `http://${user}:${password}@${base.slice("http://".length)}/client_golang.txt?key=${PLANTED_SECRETS.CWP_TEST_API_KEY}`;
    const before = server.requests.length;
    // runCli fails the test if any output holds a planted secret.
    const r = await runCli([
      "scrape",
      secretUrl,
      "--yaml",
      "-H",
      `Authorization: Bearer ${token}`,
      "-m",
      "go_*",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.requests[before]?.headers.authorization, `Bearer ${token}`, "the header was sent");
    assert.match(r.stdout, /^ {6}url: "\$\{PROMETHEUS_URL\}"$/m);
    assert.match(r.stdout, /^ {8}Authorization: "\$\{PROMETHEUS_AUTHORIZATION\}"$/m);
    assert.match(r.stdout, /set PROMETHEUS_URL to the whole URL/);
    const file = join(dir, "secret.yaml");
    writeFileSync(file, `defaults: { namespace: Scraped }\n${r.stdout}`);
    const env = cleanEnv({ PROMETHEUS_URL: secretUrl, PROMETHEUS_AUTHORIZATION: `Bearer ${token}` });
    const check = await runCli(["validate-config", file], { env });
    assert.equal(check.code, 0, check.stdout + check.stderr);
    const unset = await runCli(["validate-config", file]);
    assert.equal(unset.code, 1, "without the variables the config fails loudly");
  });

  it("an endpoint that cannot be scraped: one line naming the URL and why, exit 3", async () => {
    const down = await closedOrigin();
    const cases: [string, RegExp][] = [
      [`${down}/metrics`, new RegExp(`^scrape: GET ${down}/metrics failed: .*ECONNREFUSED`)],
      [
        `${server.origin}/500`,
        /^scrape: GET http:\/\/127\.0\.0\.1:\d+\/500 answered HTTP 500 \("upstream exploded"\)$/,
      ],
      [
        `${server.origin}/html`,
        /^scrape: GET http:\/\/127\.0\.0\.1:\d+\/html: line 1: the body is HTML or XML, not Prometheus or OpenMetrics text/,
      ],
      [
        `${server.origin}/huge`,
        /^scrape: GET http:\/\/127\.0\.0\.1:\d+\/huge: the body is over the 1048576-byte limit$/,
      ],
      [
        `${server.origin}/empty`,
        /^scrape: GET http:\/\/127\.0\.0\.1:\d+\/empty answered with no metric family; is it the \/metrics path\?$/,
      ],
    ];
    for (const [url, expected] of cases) {
      const r = await runCli(["scrape", url]);
      assert.equal(r.code, 3, `${url}: ${r.stderr}`);
      oneLine(r);
      assert.match(r.stderr.trimEnd(), expected);
    }
  });

  it("an endpoint that never answers: cut at --timeout, exit 3", async () => {
    const silent = await startLoopbackServer(() => ({ status: 200, body: "" }), {
      answering: { kind: "silent" },
    });
    try {
      const r = await runCli(["scrape", `${silent.origin}/metrics`, "--timeout", "300ms"]);
      assert.equal(r.code, 3);
      oneLine(r);
      assert.match(
        r.stderr.trimEnd(),
        /^scrape: GET http:\/\/127\.0\.0\.1:\d+\/metrics timed out after 300ms \(--timeout\)$/,
      );
    } finally {
      await silent.close();
    }
  });

  it("bad usage: one line and exit 2", async () => {
    const url = `${base}/client_golang.txt`;
    const cases: [string[], RegExp][] = [
      [[], /give the endpoint's URL/],
      [["127.0.0.1:9100/metrics"], /is not an http:\/\/ or https:\/\/ URL/],
      [["ftp://127.0.0.1/metrics"], /"ftp:\/\/127\.0\.0\.1\/metrics" is not an http:\/\/ or https:\/\/ URL/],
      [[url, url], /one URL at a time \(got 2 arguments\)/],
      [[url, "--matsh", "x"], /Unknown option '--matsh'; did you mean --match\?/],
      [[url, "--timeout", "10"], /--timeout must be a duration/],
      [[url, "--timeout", "0s"], /--timeout must be a duration/],
      [[url, "--header", "Bearer abc"], /--header must be "Name: value".*\(it has no colon\)/],
      [[url, "--format", "xml"], /--format must be text or json/],
      [[url, "--yaml", "--format", "json"], /--yaml and --format json/],
      [[url, "--match", ","], /--match takes globs/],
    ];
    for (const [args, expected] of cases) {
      const r = await runCli(["scrape", ...args]);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      oneLine(r);
      assert.match(r.stderr, expected, args.join(" "));
      assert.match(r.stderr, /^cloudwatch-publisher: scrape: /);
    }
    assert.equal(server.requests.filter((q) => q.path.includes("--")).length, 0);
  });

  it("prints the README's examples: the table and the entries of node_exporter's test data", async () => {
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    const start = readme.indexOf("### Finding what an endpoint serves: `scrape`\n");
    assert.notEqual(start, -1, "the README has the section");
    const section = readme.slice(start, readme.indexOf("\n## ", start));
    const examples = [
      ...section.matchAll(/```sh\n(cloudwatch-publisher [^\n]+)\n```\n\n```(?:text|yaml)\n([^]*?)```/g),
    ];
    assert.equal(examples.length, 2, "two commands, each with its output");
    const exporter = await startLoopbackServer(({ path }) =>
      path === "/metrics"
        ? { status: 200, body: readFileSync(join(FIXTURES, "node_exporter.txt"), "utf8") }
        : { status: 404, body: "" },
    );
    try {
      for (const [, command, output] of examples) {
        // The README's words as the shell splits them: single quotes only.
        const words = [...command!.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
        const args = words.slice(1).map((w) => w.replace("http://127.0.0.1:9100", exporter.origin));
        const r = await runCli(args);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout.replaceAll(exporter.origin, "http://127.0.0.1:9100"), output, command);
      }
    } finally {
      await exporter.close();
    }
  });

  it("--help prints the usage and exits 0; the main help lists the command", async () => {
    const r = await runCli(["scrape", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: cloudwatch-publisher scrape URL/);
    assert.match(r.stdout, /Exit codes: 0 printed, 2 usage error/);
    const main = await runCli(["--help"]);
    assert.match(
      main.stdout,
      /^ {2}scrape +list what a Prometheus \/metrics endpoint serves; --yaml: metric entries$/m,
    );
  });
});
