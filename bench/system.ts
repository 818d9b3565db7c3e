/**
 * CPU time of the system source's reads, measured on this machine's real /proc, /sys and statfs.
 *   node dist/bench/system.js            every metric back to back, then the mon-put-instance-data
 *                                        set once a second, 10 rounds between 10 idle seconds
 *   node dist/bench/system.js --quick    fewer reads, 3 rounds of the per-second set
 * Prints a Markdown table: microseconds of CPU (user + system, this process) per read.
 */
import { createSystemReader } from "../src/sources/system/create-system-reader.js";
import { SYSTEM_METRIC_NAMES } from "../src/config/system-metrics.js";
import type { SystemOptions } from "../src/config/system-options.js";
import type { SystemReader } from "../src/sources/system/system-reader.js";
import { median } from "./proc.js";

const QUICK = process.argv.includes("--quick");
const READS = Number(process.env.BENCH_SYSTEM_READS ?? (QUICK ? 300 : 2_000));
const ROUNDS = 3;
const SECONDS = Number(process.env.BENCH_SYSTEM_SECONDS ?? (QUICK ? 3 : 10));

/** mon-put-instance-data.pl's set (config/system.yaml): memory, swap and the space of /. */
const MON_PUT_SET: readonly SystemOptions[] = [
  { metric: "memory.utilization" },
  { metric: "memory.used" },
  { metric: "memory.available" },
  { metric: "swap.utilization" },
  { metric: "swap.used" },
  { metric: "disk.utilization", mounts: ["/"] },
  { metric: "disk.used", mounts: ["/"] },
  { metric: "disk.available", mounts: ["/"] },
];

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function readAll(readers: readonly SystemReader[]): Promise<void> {
  for (const reader of readers) await reader.read();
}

/** Median over ROUNDS of the CPU per pass over `readers`, each pass READS times. */
async function perPass(readers: readonly SystemReader[]): Promise<number> {
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
async function everySecond(readers: readonly SystemReader[]) {
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
const set = MON_PUT_SET.map((o) => createSystemReader({ scope: "host", ...o }));
rows.push(["mon-put-instance-data set (8 metrics), back to back", await perPass(set)]);
const perSecond = await everySecond(set);

console.log(
  `# system source: CPU per read (${READS} reads x ${ROUNDS} rounds, median; Node ${process.version})\n`,
);
console.log("| read | µs of CPU per read |");
console.log("|---|---:|");
for (const [label, micros] of rows) console.log(`| ${label} | ${micros.toFixed(1)} |`);
console.log(
  `\nmon-put-instance-data set once a second, ${SECONDS} rounds (medians): ${perSecond.inRound.toFixed(0)} µs of CPU ` +
    `inside a round; the process used ${perSecond.withRead.toFixed(0)} µs in a second with a round and ` +
    `${perSecond.idle.toFixed(0)} µs in one without.`,
);
