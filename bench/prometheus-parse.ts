/**
 * The exposition parser alone: time, CPU and retained heap to parse a 10,000-series /metrics body in
 * each format, with what that costs a daemon scraping it every 10 s, and two bodies built to be slow
 * to parse, which must cost in line with their size. Not part of `npm run bench` yet.
 *   npm run build && node --expose-gc dist/bench/prometheus-parse.js [series] [runs]
 */
import { performance } from "node:perf_hooks";
import { parseExposition } from "../src/sources/prometheus/parse.js";
import { expositionBody } from "./exposition-body.js";
import { median } from "./proc.js";

const SERIES = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 200);
const WARMUP_RUNS = 50;
const SCRAPE_INTERVAL_MS = 10_000;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc, to measure the retained heap");

function sampleCount(body: string): number {
  const result = parseExposition(body);
  if (!result.ok) throw new Error(`the generated body does not parse: ${result.error}`);
  return result.families.reduce((sum, family) => sum + family.samples.length, 0);
}

/** Heap still held by one parse's result, in MiB: the families and their samples. */
function retainedMiB(body: string): number {
  gc!();
  const before = process.memoryUsage().heapUsed;
  const result = parseExposition(body);
  gc!();
  const after = process.memoryUsage().heapUsed;
  if (!result.ok) throw new Error(result.error);
  return (after - before) / 1024 / 1024;
}

/** Bodies built to be slow to parse: what they cost should stay in line with their size. */
function hostileBodies(): [string, string][] {
  const helpLines = Array.from({ length: 40_000 }, (_, i) => `# HELP m${i} Plain help text.`);
  const longLabel = `m{a="${"\\x".repeat(30_000)}",b="${"y".repeat(2_000)}"} 1`;
  return [
    ["hostile: 40,000 HELP lines, one backslash at the end", `${helpLines.join("\n")}\n# HELP z \\\n`],
    [
      "hostile: 16 lines of 62,000-character label values, each \\x",
      `${Array(16).fill(longLabel).join("\n")}\n`,
    ],
  ];
}

function measure(shape: string, body: string): string {
  const samples = sampleCount(body);
  for (let i = 0; i < WARMUP_RUNS; i++) parseExposition(body);
  const wallMs: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    parseExposition(body);
    wallMs.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuMsPerParse = (cpu.user + cpu.system) / 1000 / RUNS;
  const sorted = [...wallMs].sort((a, b) => a - b);
  const p95 = sorted[Math.floor(sorted.length * 0.95)]!;
  const cells = [
    shape,
    String(samples),
    (Buffer.byteLength(body) / 1024).toFixed(0),
    median(wallMs).toFixed(2),
    p95.toFixed(2),
    cpuMsPerParse.toFixed(2),
    ((cpuMsPerParse / SCRAPE_INTERVAL_MS) * 100).toFixed(3),
    retainedMiB(body).toFixed(1),
  ];
  return `| ${cells.join(" | ")} |`;
}

console.log(`parseExposition, ${RUNS} runs after ${WARMUP_RUNS} warm-up runs, Node ${process.version}`);
console.log("(retained: the families, beyond the body itself, which their label strings may point into)\n");
console.log(
  "| body | samples | KiB | median ms | p95 ms | CPU ms/parse | CPU % at one scrape/10 s | retained MiB |",
);
console.log("|---|---|---|---|---|---|---|---|");
for (const format of ["prometheus", "openmetrics"] as const)
  console.log(
    measure(
      `${SERIES} series, ${format === "prometheus" ? "text 0.0.4" : "OpenMetrics"}`,
      expositionBody(SERIES, format),
    ),
  );
for (const [shape, body] of hostileBodies()) console.log(measure(shape, body));
