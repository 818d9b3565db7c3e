/**
 * Issue 15's table: every scenario of bench/prometheus-scrape.ts, each in a process of its own, in
 * ROUNDS rounds that alternate the scenarios (so that load from elsewhere falls on all of them alike),
 * as the markdown of docs/benchmarks.md's prometheus section.
 */
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { MAX_HTTP_BODY_BYTES } from "../src/sources/http-get.js";
import { ROOT } from "./harness.js";
import { median } from "./proc.js";
import { REQUESTS_SERIES, SCENARIOS, SERIES, type Scenario } from "./prometheus-scenarios.js";

interface Result {
  readonly scenario: Scenario;
  readonly bodyBytes: number;
  readonly scrapes: number;
  readonly wallMs: number[];
  readonly cpuMs: number[];
  readonly requestsPerScrape: number;
  readonly rssBeforeMiB: number;
  readonly peakRssMiB: number;
  readonly heldMiB: number;
}

const LABELS: Record<Scenario, string> = {
  get: "GET only (`HttpGet.get`: the body as text)",
  parse: "parse only (`parseExposition`, the body in memory)",
  reading: `reading only (\`read\` on families already parsed: \`http_requests_total\`, ${REQUESTS_SERIES.toLocaleString("en-US")} series, kept by method and code: 25, handler summed)`,
  one: "**one entry**, the full read: GET + parse + reading",
  "one-gzip": "one entry, the body gzip-compressed (client_golang's answer to fetch's Accept-Encoding)",
  "three-shared":
    "**three entries of one endpoint** (that counter, a histogram by handler, a gauge), one shared scrape",
  "three-separate": "the same three, each scraping on its own (no sharing), for comparison",
};

const SCRIPT = join(ROOT, "dist/bench/prometheus-scrape.js");

function run(scenario: Scenario, scrapes: number, warmup: number): Result {
  const args = ["--expose-gc", SCRIPT, scenario, String(scrapes), String(warmup)];
  const result = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`prometheus-scrape ${scenario}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Result;
}

function p95(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;
}

const ms = (n: number) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1));

export function prometheusTable(rounds: number, scrapes: number, warmup: number): string {
  const load = loadavg().map((l) => l.toFixed(1));
  const results = new Map<Scenario, Result[]>(SCENARIOS.map((s) => [s, []]));
  for (let round = 0; round < rounds; round++)
    for (const scenario of SCENARIOS) results.get(scenario)!.push(run(scenario, scrapes, warmup));
  const loadAfter = loadavg().map((l) => l.toFixed(1));
  const body = results.get("get")![0]!.bodyBytes;
  const cpuOf = (s: Scenario) => median(results.get(s)!.flatMap((r) => r.cpuMs));
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node.js ${process.versions.node}, load average ${load.join(" ")} before and ${loadAfter.join(" ")} after (other work on the machine): \`node dist/bench/run.js --prometheus-only\`, ${rounds} rounds of ${scrapes} scrapes (after ${warmup} unmeasured) per scenario, each round of each scenario a process of its own, the scenarios alternating.`,
    "",
    `The body: ${SERIES.toLocaleString("en-US")} series in ${(body / 1024).toFixed(0)} KiB (${((body / MAX_HTTP_BODY_BYTES) * 100).toFixed(0)}% of the ${MAX_HTTP_BODY_BYTES / 1024} KiB a scrape accepts), text 0.0.4.`,
    "",
    "| Per scrape | GETs | wall ms, median / p95 | CPU ms, median / p95 | CPU ms, median of each round | RSS before → peak, MiB | heap held after, MiB |",
    "| --- | ---: | --- | --- | --- | --- | ---: |",
  ];
  for (const scenario of SCENARIOS) {
    const runs = results.get(scenario)!;
    const wall = runs.flatMap((r) => r.wallMs);
    const cpu = runs.flatMap((r) => r.cpuMs);
    const cells = [
      LABELS[scenario],
      scenario === "parse" || scenario === "reading"
        ? "–"
        : String(median(runs.map((r) => r.requestsPerScrape))),
      `${ms(median(wall))} / ${ms(p95(wall))}`,
      `${ms(median(cpu))} / ${ms(p95(cpu))}`,
      runs.map((r) => ms(median(r.cpuMs))).join(", "),
      `${ms(median(runs.map((r) => r.rssBeforeMiB)))} → ${ms(median(runs.map((r) => r.peakRssMiB)))}`,
      ms(median(runs.map((r) => r.heldMiB))),
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  const one = cpuOf("one");
  const perCore = (intervalSeconds: number) => ((one / (intervalSeconds * 1000)) * 100).toFixed(2);
  lines.push(
    "",
    `One entry scraping this endpoint costs ${perCore(10)}% of one core on a 10-second schedule and ${perCore(60)}% on a one-minute one (CPU medians). Three entries sharing the scrape cost ${(cpuOf("three-shared") / one).toFixed(2)}× one entry; scraping each on its own would cost ${(cpuOf("three-separate") / one).toFixed(2)}×.`,
  );
  return lines.join("\n");
}
