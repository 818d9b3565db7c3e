/**
 * Issue 13's scenario: 1,000 series read every second, published as every read (one datum each)
 * against `aggregate: { period: 1m }` (one Values/Counts datum per series per minute), through the
 * publisher's own code: pipeline/shaping.ts (the stage collect() calls), the one batching rule
 * (publish/partition.ts) and the request shaping (cloudwatch/request.ts). Simulated seconds (no
 * waiting), the real SDK sending to a sink on 127.0.0.1 in a child process, so the CPU measured
 * (process.cpuUsage of this process) is the publisher side only: shaping, batching, building the
 * request, signing and sending. The reads themselves (sources, scheduler) are the same in both
 * modes and left out. Also the cost of saving the open period (SIGKILL persistence).
 * Usage: node dist/bench/aggregate.js [SERIES] [SECONDS] [ROUNDS]; prints one JSON line per figure.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { metricIdentity, type Datum } from "../src/cloudwatch/datum.js";
import { toPutMetricDataInput } from "../src/cloudwatch/request.js";
import type { Config, MetricConfig } from "../src/config/types.js";
import { createLogger } from "../src/log.js";
import { Shaping } from "../src/pipeline/shaping.js";
import { Stats } from "../src/pipeline/stats.js";
import { partition } from "../src/publish/partition.js";
import { saveAggregateState } from "../src/shaping/aggregate-snapshot.js";
import { AggregateWindow, type AggregateRule } from "../src/shaping/aggregate-window.js";

const series = Number(process.argv[2] ?? 1_000);
const seconds = Number(process.argv[3] ?? 120);
const rounds = Number(process.argv[4] ?? 2);
const MINUTE: AggregateRule = { periodMs: 60_000, mode: "values" };

// A sink that answers every PutMetricData with success, in its own process.
const sinkSource = `
const http = require("node:http");
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => { res.writeHead(200, { "content-type": "application/x-amz-json-1.0" }); res.end("{}"); });
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;
const sink = spawn(process.execPath, ["-e", sinkSource], { stdio: ["ignore", "pipe", "inherit"] });
const [portLine] = (await once(sink.stdout, "data")) as [Buffer];
const client = new CloudWatchClient({
  endpoint: `http://127.0.0.1:${portLine.toString().trim()}`,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench-secret" },
  maxAttempts: 1,
});

const dimensions = { Host: "bench-1" };
/** A read: 40 distinct values per series per minute, deterministic. */
const read = (i: number, second: number): number => (i * 7 + second) % 40;
const start = Math.ceil(Date.now() / 60_000) * 60_000 - 10 * 60_000; // aligned, in the accepted past
const logger = createLogger({ level: "warn", format: "json" }, process.stderr);

/** The publisher's own path from a read to a request: pipeline/shaping.ts, partition.ts, request.ts. */
function pipeline(aggregate: AggregateRule | undefined) {
  const metrics: MetricConfig[] = Array.from({ length: series }, (_, index) => ({
    index,
    name: `M${index}`,
    namespace: "Bench/Aggregate",
    schedule: "* * * * * *",
    timezone: "UTC",
    unit: "Count",
    storageResolution: 60,
    timeoutMs: 900,
    dimensions,
    scale: 1,
    transform: "none",
    aggregate,
    rollups: [],
    runOnStart: false,
    source: { type: "constant", value: 0 },
  }));
  const config = {
    metrics,
    delivery: { outboxDir: undefined },
    limits: { maxSeries: undefined },
  } as unknown as Config;
  const shaping = new Shaping({ config, logger, stats: new Stats(), now: Date.now });
  return { metrics, identities: metrics.map((m) => metricIdentity(m)), shaping };
}

async function send(datums: readonly Datum[]): Promise<number> {
  const requests = partition(datums);
  for (const request of requests)
    await client.send(new PutMetricDataCommand(toPutMetricDataInput(request.namespace, request.entries)));
  return requests.length;
}

async function run(aggregate: AggregateRule | undefined): Promise<number> {
  const { metrics, identities, shaping } = pipeline(aggregate);
  let requests = 0;
  for (let s = 0; s < seconds; s++) {
    const at = start + s * 1000;
    const datums = shaping.closeUpTo(at);
    for (let i = 0; i < series; i++)
      datums.push(...shaping.shape(metrics[i]!, identities[i]!, read(i, s), at));
    requests += await send(datums);
  }
  requests += await send(shaping.stop());
  return requests;
}

const everyRead = () => run(undefined);
const aggregated = () => run(MINUTE);

async function measure(label: string, run: () => Promise<number>): Promise<void> {
  const before = process.cpuUsage();
  const wallStart = performance.now();
  const requests = await run();
  const cpu = process.cpuUsage(before);
  const reads = series * seconds;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    JSON.stringify({
      scenario: label,
      series,
      seconds,
      reads,
      requests,
      requestsPer1000Reads: Number(((requests / reads) * 1000).toFixed(4)),
      cpuMs: Math.round(cpuMs),
      cpuMsPer1000Reads: Number(((cpuMs / reads) * 1000).toFixed(3)),
      wallMs: Math.round(performance.now() - wallStart),
    }),
  );
}

function measureSave(): void {
  // The open period at its fullest: every series with its 40 distinct values.
  const window = new AggregateWindow<string>();
  for (let s = 0; s < 59; s++)
    for (let i = 0; i < series; i++) window.add(`M${i}`, `M${i}`, MINUTE, read(i, s), start + s * 1000);
  const dir = mkdtempSync(join(tmpdir(), "cwp-bench-aggregate-"));
  try {
    const times: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      const result = saveAggregateState(dir, window, Date.now());
      if (!result.ok) throw result.error;
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        scenario: "save open period (fsync)",
        series,
        openSamples: window.openSamples,
        medianMs: Number(times[2]!.toFixed(1)),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  await everyRead(); // warm-up: JIT, connection, SDK middleware
  for (let r = 0; r < rounds; r++) {
    await measure("every read published", everyRead);
    await measure("aggregate 1m (values)", aggregated);
  }
  measureSave();
} finally {
  client.destroy();
  sink.kill();
}
