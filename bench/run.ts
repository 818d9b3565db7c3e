/**
 * The benchmark: the built CLI against the fake CloudWatch on loopback, side by side with a bare SDK
 * loop and the aws-cli approach, in one invocation so machine noise cancels in the ratios.
 *   npm run bench              full run; writes docs/benchmarks.md and docs/benchmarks-cpu.svg
 *   npm run bench -- --quick   a smoke run: fewer, shorter scenarios, prints the table only
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { FakeCloudWatch } from "../test/support/fake-cloudwatch.js";
import { fillOutbox } from "../test/support/filled-outbox.js";
import { DEFAULT_MAX_BUFFERED_DATUMS } from "../src/config/types.js";
import { benchEnv, ROOT, sleep, start, stop, WORK, writeConfig } from "./harness.js";
import { outageScenario, type OutageResult } from "./outage.js";
import { prometheusTable } from "./prometheus-table.js";
import { cpuMs, median, peakRssMiB, rssMiB } from "./proc.js";

const QUICK = process.argv.includes("--quick");
const BARE = join(ROOT, "dist/bench/bare-sdk.js");
// BENCH_RUNS, BENCH_SECONDS and BENCH_LOADS (comma-separated) override the defaults for experiments.
const RUNS = Number(process.env.BENCH_RUNS ?? (QUICK ? 1 : 3));
const STEADY_SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 3 : 10));
const WARMUP_MS = 2_500;
const LOADS =
  process.env.BENCH_LOADS?.split(",").map(Number) ?? (QUICK ? [1_000, 10_000] : [1_000, 10_000, 50_000]);
const DRAIN_DATUMS = QUICK ? 50_000 : 1_000_000;

let fake: FakeCloudWatch;

function env(extra: Record<string, string> = {}): Record<string, string> {
  return benchEnv(fake, extra);
}

function lastJson(output: string, message: string): Record<string, unknown> | undefined {
  return output
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.message === message)
    .at(-1);
}

interface Steady {
  datumsPerSecond: number;
  cpuMsPer1000: number;
  peakRssMiB: number;
  requestsPer1000: number;
  lateness?: { p50: number; p99: number; max: number } | undefined;
  dropped?: number;
}

/** Runs a process that publishes `namespace` at a steady load and measures it after a warm-up. */
async function measureSteady(
  namespace: string,
  launch: () => { child: ChildProcess; output: () => string },
): Promise<Steady> {
  const { child, output } = launch();
  const pid = child.pid!;
  const count = () => fake.datums.filter((d) => d.namespace === namespace).length;
  const requests = () => fake.requests.filter((r) => r.namespace === namespace).length;
  // Start-up (loading 50,000 metrics takes seconds on a slow machine) is not part of the steady state.
  while (count() === 0 && child.exitCode === null) await sleep(50);
  await sleep(WARMUP_MS);
  const [cpu0, d0, r0, t0] = [cpuMs(pid), count(), requests(), performance.now()];
  await sleep(STEADY_SECONDS * 1000);
  const [cpu1, d1, r1, t1] = [cpuMs(pid), count(), requests(), performance.now()];
  const peak = peakRssMiB(pid);
  await stop(child);
  const delivered = d1 - d0;
  const stopped = lastJson(output(), "stopped");
  const dropped =
    stopped === undefined
      ? undefined
      : Object.values(stopped.dropped as Record<string, number>).reduce((a, b) => a + b, 0);
  return {
    datumsPerSecond: (delivered * 1000) / (t1 - t0),
    cpuMsPer1000: ((cpu1 - cpu0) / delivered) * 1000,
    peakRssMiB: peak,
    requestsPer1000: ((r1 - r0) / delivered) * 1000,
    ...(stopped === undefined ? {} : { lateness: stopped.latenessMs as Steady["lateness"] }),
    ...(dropped === undefined ? {} : { dropped }),
  };
}

function fmt(n: number, digits = 1): string {
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(digits);
}

function spread(values: number[], digits = 1): string {
  return `${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`;
}

async function steadyScenarios() {
  const rows: { load: number; ours: Steady[]; bare: Steady[] }[] = [];
  for (const load of LOADS) {
    const ours: Steady[] = [];
    const bare: Steady[] = [];
    const config = writeConfig(`Steady${load}`, load, "* * * * * *");
    for (let run = 0; run < RUNS; run++) {
      ours.push(await measureSteady(`Bench/Steady${load}`, () => start(["run", "--config", config], env())));
      bare.push(
        await measureSteady("Bench/Bare", () =>
          start([String(load), String(STEADY_SECONDS + 5)], env(), BARE),
        ),
      );
      fake.datums.length = 0;
      fake.requests.length = 0;
      console.log(
        `  steady ${load}/s run ${run + 1}: ours ${fmt(ours.at(-1)!.cpuMsPer1000)} ms/1000, bare ${fmt(bare.at(-1)!.cpuMsPer1000)} ms/1000`,
      );
    }
    rows.push({ load, ours, bare });
  }
  return rows;
}

async function durableScenario(): Promise<Steady[]> {
  const results: Steady[] = [];
  for (let run = 0; run < RUNS; run++) {
    const dir = join(WORK, `outbox-${run}`);
    const config = writeConfig("Durable", 10_000, "* * * * * *", `delivery:\n  outboxDir: ${dir}\n`);
    results.push(await measureSteady("Bench/Durable", () => start(["run", "--config", config], env())));
    fake.datums.length = 0;
    fake.requests.length = 0;
  }
  return results;
}

/** One aws-cli process per datum, as a cron job would run it: CPU from the shell's `times`. */
async function awsCliScenario(): Promise<{ cpuMsPerDatum: number; wallMsPerDatum: number } | undefined> {
  const aws = "/usr/bin/aws";
  try {
    readFileSync(aws);
  } catch {
    console.log("  aws-cli: /usr/bin/aws not installed (apt-get install awscli); skipped");
    return undefined;
  }
  const n = QUICK ? 2 : 5;
  const script = `for i in $(seq 1 ${n}); do ${aws} cloudwatch put-metric-data --endpoint-url ${fake.url} --namespace Bench/Cli --metric-name M --value $i --dimensions Host=a >/dev/null; done; times`;
  const started = performance.now();
  const child = spawn("bash", ["-c", script], {
    env: env({ AWS_PAGER: "" }),
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
  await new Promise((resolve) => child.on("exit", resolve));
  const wall = performance.now() - started;
  const children = out.trim().split("\n").at(-1)!; // "0m1.234s 0m0.123s": the children's user and system time
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  const delivered = fake.datums.filter((d) => d.namespace === "Bench/Cli").length;
  if (delivered !== n) console.log(`  aws-cli: only ${delivered} of ${n} datums accepted`);
  return { cpuMsPerDatum: ((seconds[0]! + seconds[1]!) * 1000) / n, wallMsPerDatum: wall / n };
}

async function startupScenario(): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < (QUICK ? 2 : 5); run++) {
    const namespace = `Bench/Startup${run}`;
    const t0 = performance.now();
    const { child } = start(["run"], env({ METRIC_NAMESPACE: namespace }));
    while (!fake.datums.some((d) => d.namespace === namespace)) await sleep(2);
    times.push(performance.now() - t0);
    await stop(child);
  }
  return times;
}

async function idleRss(metrics: number): Promise<number> {
  const config = writeConfig(`Idle${metrics}`, metrics, "0 0 1 1 *");
  const { child } = start(["run", "--config", config], env());
  await sleep(QUICK ? 2_000 : 5_000);
  const rss = rssMiB(child.pid!);
  await stop(child);
  return rss;
}

interface Drain {
  seconds: number;
  replaySeconds: number;
  peakRssMiB: number;
}

/** An outbox directory pre-filled with `count` undelivered datums of 1,000 metrics, then `run`: until all are accepted. */
async function drainScenario(count: number): Promise<Drain> {
  const namespace = `Bench/Drain${count}`;
  const dir = join(WORK, `drain-outbox-${count}`);
  await fillOutbox(dir, namespace, count);
  const config = writeConfig(
    `DrainIdle${count}`,
    1,
    "0 0 1 1 *",
    `delivery:\n  outboxDir: ${dir}\n  maxBufferedDatums: ${Math.max(count, 100_000)}\n`,
  );
  const t0 = performance.now();
  const { child, output } = start(["run", "--config", config], env());
  let replayed = 0;
  let seen = 0;
  let delivered = 0;
  while (delivered < count) {
    await sleep(100);
    for (; seen < fake.datums.length; seen++) if (fake.datums[seen]!.namespace === namespace) delivered++;
    if (replayed === 0 && output().includes("replaying")) replayed = performance.now() - t0;
    if (performance.now() - t0 > 300_000) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  const peak = peakRssMiB(child.pid!);
  await stop(child);
  fake.datums.length = 0;
  fake.requests.length = 0;
  return { seconds, replaySeconds: replayed / 1000, peakRssMiB: peak };
}

/**
 * Three outages side by side (each with its own fake): 1,000 datums a second until the outbox holds
 * 95,000 (near the default maximum: the memory figures), and 300 a second for 1 and for 5 minutes.
 */
function outageScenarios(): Promise<OutageResult[]> {
  const minutes = (n: number) => (QUICK ? n * 10_000 : n * 60_000);
  return Promise.all([
    outageScenario({
      name: "Outage1000",
      metrics: 1000,
      maxOutageMs: 600_000,
      untilDepth: QUICK ? 20_000 : 95_000,
    }),
    outageScenario({ name: "Outage300x1", metrics: 300, maxOutageMs: minutes(1) }),
    outageScenario({ name: "Outage300x5", metrics: 300, maxOutageMs: minutes(5) }),
  ]);
}

/** The heap one undelivered datum costs, from bench/outbox-memory.ts in a process of its own (with --expose-gc). */
function outboxMemory(count: number): { liveBytesPerDatum: number; replayedBytesPerDatum: number } {
  const script = join(ROOT, "dist/bench/outbox-memory.js");
  const result = spawnSync(process.execPath, ["--expose-gc", script, String(count)], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`outbox-memory: ${result.stderr}`);
  return JSON.parse(result.stdout) as { liveBytesPerDatum: number; replayedBytesPerDatum: number };
}

/**
 * Issue 13's scenario (bench/aggregate.ts, in a process of its own): 1,000 series read every second,
 * every read published against `aggregate: 1m`; requests and CPU per 1,000 reads, side by side, as a
 * markdown table for docs/benchmarks.md's aggregate section.
 */
function aggregateTable(): string {
  const script = join(ROOT, "dist/bench/aggregate.js");
  const result = spawnSync(process.execPath, [script, "1000", "120", "2"], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`aggregate: ${result.stderr}`);
  const rows = result.stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, number | string>);
  const of = (scenario: string) => rows.filter((r) => r.scenario === scenario);
  const every = of("every read published");
  const aggregated = of("aggregate 1m (values)");
  const save = of("save open period (fsync)")[0]!;
  const line = (label: string, runs: Record<string, number | string>[]) =>
    `| ${label} | ${runs[0]!.requests} | ${runs[0]!.requestsPer1000Reads} | ${runs.map((r) => r.cpuMsPer1000Reads).join(", ")} |`;
  const fewer = Number(every[0]!.requestsPer1000Reads) / Number(aggregated[0]!.requestsPer1000Reads);
  const cpu = (runs: Record<string, number | string>[]) =>
    median(runs.map((r) => Number(r.cpuMsPer1000Reads)));
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node.js ${process.versions.node}: \`node dist/bench/aggregate.js 1000 120 2\`, ${every.length} rounds of each, alternating, in one process.`,
    "",
    "| 1,000 series, 1 read/s each, 120 s | requests | requests per 1,000 reads | CPU ms per 1,000 reads (each round) |",
    "| --- | --- | --- | --- |",
    line("every read published", every),
    line("`aggregate: { period: 1m }` (values, 40 distinct per series per minute)", aggregated),
    "",
    "| Target | Met | Measured |",
    "| --- | --- | --- |",
    `| Requests per 1,000 reads at least 50× lower with aggregation | ${fewer >= 50 ? "yes" : "**no**"} | ${Math.round(fewer)}× |`,
    `| CPU per read no higher with aggregation (medians) | ${cpu(aggregated) <= cpu(every) ? "yes" : "**no**"} | ${fmt(cpu(aggregated))} vs ${fmt(cpu(every))} ms per 1,000 reads |`,
    "",
    `Saving the open period at its fullest (1,000 series, ${Number(save.openSamples).toLocaleString("en-US")} reads, with fsync), what keeps it across a SIGKILL: median ${save.medianMs} ms, once a second at most.`,
  ].join("\n");
}

/** Rewrites one marked section of docs/benchmarks.md. */
function rewriteSection(name: string, body: string): void {
  const path = join(ROOT, "docs/benchmarks.md");
  const doc = readFileSync(path, "utf8");
  const marked = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);
  writeFileSync(path, doc.replace(marked, `<!-- ${name}:start -->\n${body}\n<!-- ${name}:end -->`));
}

function svgChart(rows: { load: number; ours: number; bare: number }[]): string {
  const w = 640;
  const h = 360;
  const pad = 60;
  const maxY = Math.max(...rows.flatMap((r) => [r.ours, r.bare])) * 1.2;
  const x = (i: number) => pad + (i * (w - 2 * pad)) / Math.max(rows.length - 1, 1);
  const y = (v: number) => h - pad - (v / maxY) * (h - 2 * pad);
  const line = (key: "ours" | "bare") =>
    rows.map((r, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(r[key]).toFixed(1)}`).join(" ");
  const dots = (key: "ours" | "bare", colour: string) =>
    rows
      .map(
        (r, i) =>
          `<circle cx="${x(i).toFixed(1)}" cy="${y(r[key]).toFixed(1)}" r="4" fill="${colour}"/><text x="${(x(i) + 6).toFixed(1)}" y="${(y(r[key]) - 6).toFixed(1)}" font-size="11" fill="${colour}">${r[key].toFixed(1)}</text>`,
      )
      .join("");
  const ticks = rows
    .map(
      (r, i) =>
        `<text x="${x(i).toFixed(1)}" y="${h - pad + 18}" font-size="12" text-anchor="middle">${r.load.toLocaleString("en-US")}/s</text>`,
    )
    .join("");
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (f) =>
        `<line x1="${pad}" x2="${w - pad}" y1="${y(f * maxY).toFixed(1)}" y2="${y(f * maxY).toFixed(1)}" stroke="#ddd"/><text x="${pad - 8}" y="${(y(f * maxY) + 4).toFixed(1)}" font-size="11" text-anchor="end">${(f * maxY).toFixed(1)}</text>`,
    )
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${w / 2}" y="24" font-size="15" text-anchor="middle">CPU ms per 1000 datums delivered (median of ${RUNS} runs)</text>
${grid}${ticks}
<path d="${line("bare")}" fill="none" stroke="#888" stroke-width="2" stroke-dasharray="6 4"/>${dots("bare", "#666")}
<path d="${line("ours")}" fill="none" stroke="#d9480f" stroke-width="2.5"/>${dots("ours", "#d9480f")}
<text x="${w - pad}" y="${pad - 10}" font-size="12" text-anchor="end"><tspan fill="#d9480f">── cloudwatch-publisher</tspan>  <tspan fill="#666">- - bare SDK loop</tspan></text>
<text x="${w / 2}" y="${h - 12}" font-size="12" text-anchor="middle">metrics read and published per second (constant sources, 1-second schedule)</text>
</svg>
`;
}

/** Issue 15's scenario (bench/prometheus-scrape.ts): scrapes of a 10,000-series endpoint, per scrape. */
function prometheusSection(): string {
  return QUICK ? prometheusTable(1, 30, 10) : prometheusTable(5, 100, 20);
}

async function main(): Promise<void> {
  if (process.argv.includes("--aggregate-only")) {
    const table = aggregateTable();
    console.log(table);
    rewriteSection("aggregate", table);
    return;
  }
  if (process.argv.includes("--prometheus-only")) {
    const table = prometheusSection();
    console.log(table);
    if (!QUICK) rewriteSection("prometheus", table);
    return;
  }
  fake = await FakeCloudWatch.start();
  if (process.argv.includes("--steady-only")) {
    await steadyScenarios();
    await fake.close();
    return;
  }
  if (process.argv.includes("--drain-only")) {
    for (const count of [DEFAULT_MAX_BUFFERED_DATUMS, DRAIN_DATUMS]) {
      const drain = await drainScenario(count);
      console.log(
        `drained ${count} in ${fmt(drain.seconds)} s (replay logged at ${fmt(drain.replaySeconds)} s), peak RSS ${fmt(drain.peakRssMiB)} MiB`,
      );
    }
    await fake.close();
    return;
  }
  if (process.argv.includes("--outage-only")) {
    for (const result of await outageScenarios()) console.log(JSON.stringify(result));
    console.log(JSON.stringify(outboxMemory(DEFAULT_MAX_BUFFERED_DATUMS)));
    await fake.close();
    return;
  }
  console.log(
    `cloudwatch-publisher benchmark${QUICK ? " (quick)" : ""}: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node.js ${process.versions.node}`,
  );
  const steady = await steadyScenarios();
  console.log("  durable (outboxDir) at 10,000/s");
  const durable = await durableScenario();
  console.log("  aws-cli peer");
  const cli = await awsCliScenario();
  console.log("  start-up");
  const startup = await startupScenario();
  console.log("  idle memory");
  const idle1 = await idleRss(1);
  const idle1000 = await idleRss(1000);
  console.log(`  draining ${DRAIN_DATUMS.toLocaleString("en-US")} and 100,000 outboxed datums`);
  const drain = await drainScenario(DRAIN_DATUMS);
  const drainDefault = await drainScenario(DEFAULT_MAX_BUFFERED_DATUMS);
  console.log("  outages (side by side)");
  const outages = await outageScenarios();
  console.log("  memory per undelivered datum");
  const perDatum = outboxMemory(DEFAULT_MAX_BUFFERED_DATUMS);
  console.log("  prometheus scrapes of a 10,000-series endpoint");
  const prometheus = prometheusSection();
  await fake.close();

  const at10k = steady.find((r) => r.load === 10_000)!;
  const ours10k = median(at10k.ours.map((s) => s.cpuMsPer1000));
  const bare10k = median(at10k.bare.map((s) => s.cpuMsPer1000));
  const ratioBare = ours10k / bare10k;
  const allDelivered = at10k.ours.every((s) => s.datumsPerSecond >= 9_900 && (s.dropped ?? 0) === 0);
  const cliRatio = cli === undefined ? undefined : cli.cpuMsPerDatum / (ours10k / 1000);
  const requestFloor = steady.every((r) => r.ours.every((s) => s.requestsPer1000 <= 1.0001 + 1000 / r.load));
  const p99 = median(at10k.ours.map((s) => s.lateness?.p99 ?? Infinity));
  const startMs = median(startup);

  const lines: string[] = [];
  lines.push("| Scenario | cloudwatch-publisher | bare SDK loop | ratio |", "| --- | --- | --- | --- |");
  for (const r of steady) {
    const ours = r.ours.map((s) => s.cpuMsPer1000);
    const bare = r.bare.map((s) => s.cpuMsPer1000);
    lines.push(
      `| ${r.load.toLocaleString("en-US")}/s: CPU ms per 1000 datums | ${spread(ours, 2)} | ${spread(bare, 2)} | ${(median(ours) / median(bare)).toFixed(2)}× |`,
    );
    lines.push(
      `| ${r.load.toLocaleString("en-US")}/s: datums delivered per second | ${spread(
        r.ours.map((s) => s.datumsPerSecond),
        0,
      )} | ${spread(
        r.bare.map((s) => s.datumsPerSecond),
        0,
      )} | |`,
    );
    lines.push(
      `| ${r.load.toLocaleString("en-US")}/s: requests per 1000 datums | ${spread(
        r.ours.map((s) => s.requestsPer1000),
        2,
      )} | ${spread(
        r.bare.map((s) => s.requestsPer1000),
        2,
      )} | |`,
    );
    lines.push(
      `| ${r.load.toLocaleString("en-US")}/s: peak RSS, MiB | ${spread(r.ours.map((s) => s.peakRssMiB))} | ${spread(r.bare.map((s) => s.peakRssMiB))} | |`,
    );
  }
  lines.push(
    `| 10,000/s with outboxDir (fsync): CPU ms per 1000 datums | ${spread(
      durable.map((s) => s.cpuMsPer1000),
      2,
    )} | | ${(median(durable.map((s) => s.cpuMsPer1000)) / ours10k).toFixed(2)}× of in-memory |`,
  );
  lines.push(
    `| 10,000/s with outboxDir: datums delivered per second | ${spread(
      durable.map((s) => s.datumsPerSecond),
      0,
    )} | | |`,
  );
  if (cli !== undefined) {
    lines.push(
      `| aws-cli, one process per datum: CPU ms per datum | ${fmt(ours10k / 1000, 4)} (ours at 10k/s) | ${fmt(cli.cpuMsPerDatum)} (aws-cli) | ${Math.round(cliRatio!).toLocaleString("en-US")}× less CPU |`,
    );
    lines.push(`| aws-cli: wall ms per datum | | ${fmt(cli.wallMsPerDatum)} | |`);
  }
  lines.push(`| start-up to first heartbeat accepted, ms | ${spread(startup, 0)} | | |`);
  lines.push(
    `| schedule lateness at 10,000/s, ms (p50 / p99 / max) | ${at10k.ours.map((s) => `${s.lateness?.p50} / ${s.lateness?.p99} / ${s.lateness?.max}`).join("; ")} | | |`,
  );
  lines.push(`| idle RSS, MiB: 1 metric / 1,000 metrics | ${fmt(idle1)} / ${fmt(idle1000)} | | |`);
  lines.push(
    `| drain ${DRAIN_DATUMS.toLocaleString("en-US")} outboxed datums, s (replay done at) | ${fmt(drain.seconds)} (${fmt(drain.replaySeconds)}) | | |`,
  );
  lines.push(
    `| replay and drain 100,000 outboxed datums (the default maximum): s; peak RSS, MiB | ${fmt(drainDefault.seconds)}; ${fmt(drainDefault.peakRssMiB)} | | |`,
  );
  for (const o of outages) {
    lines.push(
      `| outage of ${fmt(o.outageSeconds, 0)} s at ${o.metrics.toLocaleString("en-US")} datums/s: backlog of ${o.backlog.toLocaleString("en-US")} delivered, s after CloudWatch returned | ${fmt(o.recoverySeconds)} | | |`,
    );
  }
  const memory = outages[0]!;
  lines.push(
    `| memory per undelivered datum (heap after GC, 100,000 of 1,000 metrics), bytes: collected / replayed | ${fmt(perDatum.liveBytesPerDatum, 0)} / ${fmt(perDatum.replayedBytesPerDatum, 0)} | | |`,
    `| outage at ${memory.metrics.toLocaleString("en-US")} datums/s, RSS, MiB: before / with ${memory.deepest.toLocaleString("en-US")} undelivered / peak incl. recovery | ${fmt(memory.rssBeforeMiB)} / ${fmt(memory.rssAtDeepestMiB)} / ${fmt(memory.peakRssMiB)} | | |`,
  );

  const targets = [
    [
      "CPU per 1000 datums ≤ 2× bare SDK at 10,000/s, every datum delivered",
      ratioBare <= 2 && allDelivered,
      `${ratioBare.toFixed(2)}×, ${allDelivered ? "all delivered" : "NOT all delivered"}`,
    ],
    [
      "≥ 1,000× less CPU per datum than aws-cli",
      cliRatio !== undefined && cliRatio >= 1000,
      cliRatio === undefined ? "not measured" : `${Math.round(cliRatio).toLocaleString("en-US")}×`,
    ],
    [
      "Requests at the floor (one per 1000 datums per namespace per tick)",
      requestFloor,
      requestFloor ? "at the floor" : "above the floor",
    ],
    ["First heartbeat accepted within 1 s of start", startMs < 1000, `${Math.round(startMs)} ms`],
    ["p99 schedule lateness < 100 ms at 10,000/s", p99 < 100, `${p99} ms`],
    ["Idle RSS < 80 MB with 1,000 metrics", idle1000 < 80, `${fmt(idle1000)} MiB`],
    [
      `${DRAIN_DATUMS.toLocaleString("en-US")} outboxed datums drained in < 60 s`,
      drain.seconds < 60,
      `${fmt(drain.seconds)} s`,
    ],
    [
      "Each outage's backlog delivered within 10 s of CloudWatch returning",
      outages.every((o) => o.recoverySeconds <= 10),
      outages.map((o) => `${fmt(o.recoverySeconds)} s`).join(", "),
    ],
    [
      // VmHWM counts the node binary's mapped pages too; test:container checks the container's own peak.
      "Peak RSS replaying and draining a full outbox (100,000) within the deploy examples' 192 MiB limit",
      drainDefault.peakRssMiB <= 192,
      `${fmt(drainDefault.peakRssMiB)} MiB`,
    ],
  ] as const;
  lines.push("", "| Target | Met | Measured |", "| --- | --- | --- |");
  for (const [name, met, value] of targets) lines.push(`| ${name} | ${met ? "yes" : "**no**"} | ${value} |`);
  const table = lines.join("\n");
  console.log(`\n${table}\n\n${prometheus}\n`);

  if (!QUICK) {
    writeFileSync(
      join(ROOT, "docs/benchmarks-cpu.svg"),
      svgChart(
        steady.map((r) => ({
          load: r.load,
          ours: median(r.ours.map((s) => s.cpuMsPer1000)),
          bare: median(r.bare.map((s) => s.cpuMsPer1000)),
        })),
      ),
    );
    const doc = readFileSync(join(ROOT, "docs/benchmarks.md"), "utf8");
    const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node.js ${process.versions.node}, ${RUNS} runs per steady scenario of ${STEADY_SECONDS} s each after a ${WARMUP_MS / 1000} s warm-up; medians with (min–max).`;
    writeFileSync(
      join(ROOT, "docs/benchmarks.md"),
      doc.replace(
        /<!-- results:start -->[\s\S]*<!-- results:end -->/,
        `<!-- results:start -->\n${stamp}\n\n${table}\n<!-- results:end -->`,
      ),
    );
    rewriteSection("aggregate", aggregateTable());
    rewriteSection("prometheus", prometheus);
    console.log("wrote docs/benchmarks.md and docs/benchmarks-cpu.svg");
  }
}

await main();
