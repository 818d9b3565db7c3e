/**
 * CPU time of the system source's reads, measured on this machine's real /proc, /sys and statfs.
 *   npm run bench:system                 every metric back to back, then config/system.yaml's sources
 *                                        once a second, 10 rounds between 10 idle seconds; writes the
 *                                        table into docs/benchmarks.md
 *   npm run bench:system -- --quick      fewer reads, 3 rounds of the per-second set; prints only
 * Prints a Markdown table: microseconds of CPU (user + system, this process) per read.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { loadConfigFile } from "../src/config/load.js";
import { createSource } from "../src/sources/registry.js";
import type { ValueSource } from "../src/sources/types.js";
import { ROOT } from "./harness.js";
import { createSystemReader } from "../src/sources/system/create-system-reader.js";
import { SYSTEM_METRIC_NAMES } from "../src/config/system-metrics.js";
import type { SystemOptions } from "../src/config/system-options.js";
import type { SystemReader } from "../src/sources/system/system-reader.js";
import { median } from "./proc.js";

const QUICK = process.argv.includes("--quick");
const READS = Number(process.env.BENCH_SYSTEM_READS ?? (QUICK ? 300 : 2_000));
const ROUNDS = 3;
const SECONDS = Number(process.env.BENCH_SYSTEM_SECONDS ?? (QUICK ? 3 : 10));

/** config/system.yaml's sources, made as the daemon makes them (mon-put-instance-data.pl's set). */
async function systemYamlSources(): Promise<ValueSource[]> {
  const loaded = await loadConfigFile(join(ROOT, "config/system.yaml"), { INSTANCE_ID: "i-0bench" });
  if (!loaded.ok) throw new Error("config/system.yaml does not load");
  return loaded.config.metrics.map((metric) => createSource(metric.source, {}));
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** As the scheduler reads: at once where the source can, else through its promise. */
async function readAll(readers: readonly (SystemReader | ValueSource)[]): Promise<void> {
  const signal = new AbortController().signal;
  for (const reader of readers) {
    if (reader.readNow !== undefined) reader.readNow();
    else await reader.read(signal);
  }
}

/** Median over ROUNDS of the CPU per pass over `readers`, each pass READS times. */
async function perPass(readers: readonly (SystemReader | ValueSource)[]): Promise<number> {
  await readAll(readers);
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const before = cpuMicros();
    for (let i = 0; i < READS; i++) await readAll(readers);
    rounds.push((cpuMicros() - before) / READS);
  }
  return median(rounds);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The set once a second, as a daemon reads it: the CPU inside each round (median), and the whole
 * process's CPU over seconds with a round against seconds without, interleaved so that drift (a
 * garbage collection, the JIT settling) falls on both alike.
 */
async function everySecond(readers: readonly ValueSource[]) {
  await readAll(readers);
  const inRound: number[] = [];
  const withRead: number[] = [];
  const idle: number[] = [];
  for (let s = 0; s < 2 * SECONDS; s++) {
    const secondStart = cpuMicros();
    if (s % 2 === 0) {
      await readAll(readers);
      inRound.push(cpuMicros() - secondStart);
    }
    await sleep(1000);
    (s % 2 === 0 ? withRead : idle).push(cpuMicros() - secondStart);
  }
  return { inRound: median(inRound), withRead: median(withRead), idle: median(idle) };
}

const rows: [string, number][] = [];
const options: SystemOptions[] = [
  ...SYSTEM_METRIC_NAMES.map((metric) => ({ metric })),
  { metric: "cpu.utilization", perCpu: true },
];
for (const option of options) {
  const reader = createSystemReader({ scope: "host", ...option });
  const label = `${option.metric}${option.perCpu === true ? " (perCpu)" : ""}`;
  rows.push([label, await perPass([reader])]);
}
const set = await systemYamlSources();
rows.push([`config/system.yaml (${set.length} metrics), back to back`, await perPass(set)]);
const perSecond = await everySecond(set);

const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node.js ${process.versions.node}: ${READS} reads × ${ROUNDS} rounds, median, host scope on this machine's /proc, /sys and filesystems.`,
  "",
  "| Read | µs of CPU per read |",
  "| --- | ---: |",
  ...rows.map(([label, micros]) => `| ${label} | ${micros.toFixed(1)} |`),
  "",
  `config/system.yaml once a second, ${SECONDS} rounds (medians): ${perSecond.inRound.toFixed(0)} µs of CPU ` +
    `inside a round; the process used ${perSecond.withRead.toFixed(0)} µs in a second with a round and ` +
    `${perSecond.idle.toFixed(0)} µs in one without.`,
];
const table = lines.join("\n");
console.log(`\n${table}\n`);
if (!QUICK) {
  const file = join(ROOT, "docs/benchmarks.md");
  const doc = readFileSync(file, "utf8");
  const marked = /<!-- system:start -->[\s\S]*<!-- system:end -->/;
  if (!marked.test(doc)) throw new Error("docs/benchmarks.md has no <!-- system:start --> marker");
  writeFileSync(file, doc.replace(marked, `<!-- system:start -->\n${table}\n<!-- system:end -->`));
  console.log("wrote docs/benchmarks.md");
}
