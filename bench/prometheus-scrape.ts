/**
 * Issue 15's benchmark: scrapes of a 10,000-series /metrics endpoint (bench/exposition-server.ts, a real
 * HTTP server on 127.0.0.1 in a process of its own, so its CPU is not counted here), one scenario per
 * process, each scrape at its own scheduled instant so that every one is a new GET. Per scrape: wall
 * time and this process's CPU (process.cpuUsage: user + system, all threads, the garbage collector's
 * included). Per process: resident memory before the first scrape and at its peak (VmHWM), and the heap
 * still held after the last scrape and a full GC (what a metric keeps between scrapes).
 * Usage: node --expose-gc dist/bench/prometheus-scrape.js SCENARIO [SCRAPES] [WARMUP]; prints one JSON line.
 * SCENARIO: one of prometheus-scenarios.ts. run.ts (`--prometheus-only`) runs them all, in rounds, and
 * writes the table (prometheus-table.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { PrometheusOptions } from "../src/config/prometheus-options.js";
import type { HttpGet } from "../src/sources/http-get.js";
import { parseExposition } from "../src/sources/prometheus/parse.js";
import type { MetricFamily } from "../src/sources/prometheus/metric-family.js";
import { prometheusSource } from "../src/sources/prometheus/prometheus-source.js";
import { scrapeRequest } from "../src/sources/prometheus/scrape.js";
import { SharedScrapes } from "../src/sources/prometheus/shared-scrapes.js";
import { memoryBaselines, type Reading, type SeriesReading, type ValueSource } from "../src/sources/types.js";
import { expositionBody, REQUESTS_FAMILY } from "./exposition-body.js";
import { peakRssMiB, rssMiB } from "./proc.js";
import { REQUESTS_SERIES, SCENARIOS, SERIES, type Scenario } from "./prometheus-scenarios.js";

/** An entry of the config: `{ type: prometheus, url, metric, labels }` and the defaults. */
function entry(url: string, metric: string, labels: readonly string[]): PrometheusOptions {
  return {
    url,
    metric,
    labels: Object.fromEntries(labels.map((l) => [l, l])),
    combine: undefined,
    match: {},
    headers: {},
    histogram: "upperBound",
    transform: "auto",
  };
}

/** The counter the single entry reads: 1,000 series, kept by method and code (25 series), handler summed. */
const counterEntry = (url: string) => entry(url, REQUESTS_FAMILY, ["method", "code"]);
/** The three entries of one endpoint: that counter, a histogram by handler and a gauge (summed). */
const threeEntries = (url: string) => [
  counterEntry(url),
  entry(url, "app_request_duration_seconds_2", ["handler"]),
  entry(url, "app_queue_depth_1", []),
];

/** What a tick adds to the whole of http_requests_total: series i grows by (i % 7) + 1 per tick. */
const TICK_INCREASE = Array.from({ length: REQUESTS_SERIES }, (_, i) => (i % 7) + 1).reduce((a, b) => a + b);

const gc = (globalThis as { gc?: () => void }).gc;
const SCHEDULE_START = Date.UTC(2026, 0, 1);
const INTERVAL_MS = 10_000;

/** Bodies the parse scenario cycles through (which tick a body is makes no difference to parsing it). */
const PARSED_BODIES = 4;

/** What the scenario holds after its last scrape, kept alive across the GC that measures it. */
const holder: { held?: unknown } = {};

async function startServer(ticks: number, perScrape: number): Promise<{ child: ChildProcess; url: string }> {
  const script = fileURLToPath(new URL("./exposition-server.js", import.meta.url));
  const args = [script, String(SERIES), String(REQUESTS_SERIES), String(ticks), String(perScrape)];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const [port] = (await once(child.stdout, "data")) as [Buffer];
  return { child, url: `http://127.0.0.1:${port.toString().trim()}` };
}

async function served(url: string): Promise<number> {
  return Number(await (await fetch(`${url}/requests`)).text());
}

/** The families of a parse, or the parse's error. */
function parsed(body: string): readonly MetricFamily[] {
  const result = parseExposition(body);
  if (!result.ok) throw new Error(`the generated body does not parse: ${result.error}`);
  return result.families;
}

/** The published total of the counter entry must be the tick's increase: the benchmark reads for real. */
function checkCounter(reading: Reading, scrape: number): void {
  if (scrape === 0) return; // the first scrape sets the baselines
  const { samples } = reading as SeriesReading<number>;
  const total = samples.reduce((sum, s) => sum + s.value, 0);
  if (samples.length !== 25 || total !== TICK_INCREASE)
    throw new Error(
      `scrape ${scrape}: ${samples.length} series totalling ${total}, not 25 and ${TICK_INCREASE}`,
    );
}

/**
 * SharedScrapes that hand out already parsed families, for the source's own work alone: the whole
 * body's families once, with http_requests_total of each tick in place of the first (a parse of that
 * family alone, so that a hundred ticks do not hold a hundred bodies' families).
 */
class Preparsed extends SharedScrapes {
  private readonly rest: readonly MetricFamily[];
  private readonly requests: readonly MetricFamily[];

  constructor(ticks: number) {
    super();
    const whole = parsed(expositionBody(SERIES, "prometheus", { requests: REQUESTS_SERIES }));
    if (whole[0]!.name !== REQUESTS_FAMILY) throw new Error(`the body starts with ${whole[0]!.name}`);
    this.rest = whole.slice(1);
    this.requests = Array.from({ length: ticks }, (_, tick) => {
      const body = expositionBody(REQUESTS_SERIES, "prometheus", { requests: REQUESTS_SERIES, tick });
      return parsed(body)[0]!;
    });
  }

  override families(_http: HttpGet, _key: string, scheduledAt: number): Promise<readonly MetricFamily[]> {
    const tick = (scheduledAt - SCHEDULE_START) / INTERVAL_MS;
    return Promise.resolve([this.requests[tick]!, ...this.rest]);
  }
}

function sources(options: readonly PrometheusOptions[], scrapes: () => SharedScrapes): ValueSource[] {
  return options.map((o) =>
    prometheusSource(o, undefined, { scrapes: scrapes(), baselines: memoryBaselines() }),
  );
}

/** One scrape of the scenario at `scrape`; what it resolves to is held until the next. */
type Step = (scrape: number, signal: AbortSignal) => Promise<unknown>;

async function setUp(scenario: Scenario, ticks: number) {
  const inMemory = scenario === "parse" || scenario === "reading";
  const perScrape = scenario === "three-separate" ? 3 : 1;
  const server = inMemory ? undefined : await startServer(ticks, perScrape);
  const url = `${server?.url ?? "http://127.0.0.1:9"}${scenario === "one-gzip" ? "/gzip" : ""}/metrics`;
  const bodies = Array.from({ length: PARSED_BODIES }, (_, tick) =>
    expositionBody(SERIES, "prometheus", { requests: REQUESTS_SERIES, tick }),
  );
  const bodyBytes = Buffer.byteLength(bodies[0]!);
  if (scenario !== "parse") bodies.length = 0;
  const at = (scrape: number) => SCHEDULE_START + scrape * INTERVAL_MS;
  let step: Step;
  switch (scenario) {
    case "get": {
      const http = scrapeRequest(url, {});
      step = async (_, signal) => (await http.get(signal)).body.length;
      break;
    }
    case "parse":
      step = (scrape) => Promise.resolve(parsed(bodies[scrape % PARSED_BODIES]!));
      break;
    case "reading": {
      const preparsed = new Preparsed(ticks);
      const [source] = sources([counterEntry(url)], () => preparsed);
      step = async (scrape, signal) => {
        const reading = await source!.read(signal, at(scrape));
        checkCounter(reading, scrape);
      };
      break;
    }
    case "one":
    case "one-gzip": {
      const [source] = sources([counterEntry(url)], () => new SharedScrapes());
      step = async (scrape, signal) => checkCounter(await source!.read(signal, at(scrape)), scrape);
      break;
    }
    case "three-shared":
    case "three-separate": {
      const shared = new SharedScrapes();
      const all = sources(threeEntries(url), () =>
        scenario === "three-shared" ? shared : new SharedScrapes(),
      );
      step = async (scrape, signal) => {
        const readings = await Promise.all(all.map((s) => s.read(signal, at(scrape))));
        checkCounter(readings[0]!, scrape);
      };
      break;
    }
  }
  return { server, step, bodyBytes };
}

async function main(): Promise<void> {
  if (gc === undefined) throw new Error("run with node --expose-gc, to measure the heap held");
  const scenario = process.argv[2] as Scenario;
  if (!SCENARIOS.includes(scenario)) throw new Error(`scenario: one of ${SCENARIOS.join(", ")}`);
  const scrapes = Number(process.argv[3] ?? 100);
  const warmup = Number(process.argv[4] ?? 20);
  const { server, step, bodyBytes } = await setUp(scenario, warmup + scrapes);
  const signal = new AbortController().signal;
  try {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = rssMiB(process.pid);
    for (let scrape = 0; scrape < warmup; scrape++) await step(scrape, signal);
    const requestsBefore = server === undefined ? 0 : await served(server.url);
    const wallMs: number[] = [];
    const cpuMs: number[] = [];
    for (let scrape = warmup; scrape < warmup + scrapes; scrape++) {
      await new Promise((resolve) => setImmediate(resolve));
      const cpu = process.cpuUsage();
      const started = performance.now();
      holder.held = await step(scrape, signal);
      wallMs.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      cpuMs.push((used.user + used.system) / 1000);
    }
    const requests = server === undefined ? 0 : (await served(server.url)) - requestsBefore;
    gc();
    const heldMiB = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    holder.held = undefined;
    console.log(
      JSON.stringify({
        scenario,
        bodyBytes,
        scrapes,
        wallMs,
        cpuMs,
        requestsPerScrape: requests / scrapes,
        rssBeforeMiB: rssBefore,
        peakRssMiB: peakRssMiB(process.pid),
        heldMiB,
      }),
    );
  } finally {
    server?.child.kill();
  }
}

await main();
