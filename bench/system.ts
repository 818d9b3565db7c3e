/**
 * CPU time of the system source's reads, measured on this machine's real /proc, /sys and statfs.
 *   node dist/bench/system.js            every metric back to back, then the mon-put-instance-data
 *                                        set once a second for 10 s
 *   node dist/bench/system.js --quick    fewer reads, 3 s of the per-second set
 * Prints a Markdown table: microseconds of CPU (user + system, this process) per read.
 */
import { createSystemReader } from "../src/sources/system/create-system-reader.js";
import { SYSTEM_METRIC_NAMES } from "../src/sources/system/metrics.js";
import type { SystemOptions } from "../src/sources/system/system-options.js";
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

/** CPU per second of reading `readers` once a second, against the same seconds spent idle. */
async function everySecond(readers: readonly SystemReader[]): Promise<{ reading: number; idle: number }> {
  const measure = async (work: () => Promise<void>) => {
    const before = cpuMicros();
    for (let s = 0; s < SECONDS; s++) {
      await work();
      await sleep(1000);
    }
    return (cpuMicros() - before) / SECONDS;
  };
  await readAll(readers);
  const idle = await measure(() => Promise.resolve());
  const reading = await measure(() => readAll(readers));
  return { reading, idle };
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
const { reading, idle } = await everySecond(set);

console.log(
  `# system source: CPU per read (${READS} reads x ${ROUNDS} rounds, median; Node ${process.version})\n`,
);
console.log("| read | µs of CPU per read |");
console.log("|---|---:|");
for (const [label, micros] of rows) console.log(`| ${label} | ${micros.toFixed(1)} |`);
console.log(
  `\nmon-put-instance-data set once a second for ${SECONDS} s: ${reading.toFixed(0)} µs of CPU per second ` +
    `(the same seconds idle: ${idle.toFixed(0)} µs), so ${(reading - idle).toFixed(0)} µs per round of 8 reads.`,
);
