/**
 * Issue 13's scenario: 1,000 series read every second, published as every read (one datum each)
 * against `aggregate: { period: 1m }` (one Values/Counts datum per series per minute). Simulated
 * seconds (no waiting), the real SDK sending to a sink on 127.0.0.1 in a child process, so the CPU
 * measured (process.cpuUsage of this process) is the publisher side only: shaping, building the
 * request, signing and sending. Also the cost of saving the open period (SIGKILL persistence).
 * Usage: node dist/bench/aggregate.js [SERIES] [SECONDS] [ROUNDS]; prints one JSON line per figure.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { saveAggregateState } from "../src/shaping/aggregate-snapshot.js";
import { AggregateWindow, type AggregateRule } from "../src/shaping/aggregate-window.js";

const series = Number(process.argv[2] ?? 1_000);
const seconds = Number(process.argv[3] ?? 120);
const rounds = Number(process.argv[4] ?? 2);
const MINUTE: AggregateRule = { periodMs: 60_000, mode: "values" };
const BATCH = 1_000;

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

const names = Array.from({ length: series }, (_, i) => `M${i}`);
const dimensions = [{ Name: "Host", Value: "bench-1" }];
/** A read: 40 distinct values per series per minute, deterministic. */
const read = (i: number, second: number): number => (i * 7 + second) % 40;
const start = Math.ceil(Date.now() / 60_000) * 60_000 - 10 * 60_000; // aligned, in the accepted past

async function send(data: MetricDatum[]): Promise<number> {
  let requests = 0;
  for (let i = 0; i < data.length; i += BATCH) {
    await client.send(
      new PutMetricDataCommand({ Namespace: "Bench/Aggregate", MetricData: data.slice(i, i + BATCH) }),
    );
    requests++;
  }
  return requests;
}

async function everyRead(): Promise<number> {
  let requests = 0;
  for (let s = 0; s < seconds; s++) {
    const at = new Date(start + s * 1000);
    const data: MetricDatum[] = names.map((name, i) => ({
      MetricName: name,
      Dimensions: dimensions,
      Timestamp: at,
      Value: read(i, s),
      Unit: "Count",
      StorageResolution: 60,
    }));
    requests += await send(data);
  }
  return requests;
}

async function aggregated(): Promise<number> {
  const window = new AggregateWindow<string>();
  let requests = 0;
  const publish = async (watermark: number, all = false): Promise<void> => {
    const closed = all ? window.flush() : window.close(watermark);
    if (closed.length === 0) return;
    const data: MetricDatum[] = closed.map((d) => ({
      MetricName: d.series,
      Dimensions: dimensions,
      Timestamp: new Date(d.timestamp),
      ...(d.kind === "values" ? { Values: d.values, Counts: d.counts } : {}),
      Unit: "Count",
      StorageResolution: 60,
    }));
    requests += await send(data);
  };
  for (let s = 0; s < seconds; s++) {
    const at = start + s * 1000;
    await publish(at);
    for (let i = 0; i < series; i++) window.add(names[i]!, names[i]!, MINUTE, read(i, s), at);
  }
  await publish(start + seconds * 1000, true);
  return requests;
}

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
    for (let i = 0; i < series; i++) window.add(names[i]!, names[i]!, MINUTE, read(i, s), start + s * 1000);
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
