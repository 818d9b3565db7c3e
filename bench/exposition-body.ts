/**
 * A /metrics body of a given number of series (sample lines), shaped like a busy service's: labelled
 * counters, gauges, histograms and summaries in turn, 50 series a family, as client_golang writes them
 * (text 0.0.4) or as an OpenMetrics client does (counters as `foo` + `foo_total`, `_created`, exemplars).
 * Options: `requests` puts a large counter family first, `http_requests_total` with that many series
 * (40 handlers × 5 methods × 5 codes at 1,000), as a web service's request counter is; `tick` is the
 * scrape's number: counters, buckets, sums and counts grow with it, so consecutive ticks have increases.
 */
export type ExpositionFormat = "prometheus" | "openmetrics";

export interface BodyOptions {
  /** Series of a leading `http_requests_total` family (0: none). */
  readonly requests?: number;
  /** Every cumulative value is this much further along (× a per-series rate). */
  readonly tick?: number;
}

/** The leading large family's name and labels. */
export const REQUESTS_FAMILY = "http_requests_total";

const SERIES_PER_FAMILY = 50;
const BUCKETS = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"];
const QUANTILES = ["0", "0.25", "0.5", "0.75", "1"];
const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"];
const CODES = ["200", "201", "304", "404", "500"];
const HANDLERS = 40;

/** The body being written: its lines, its format and its tick. */
interface Body {
  readonly lines: string[];
  readonly format: ExpositionFormat;
  readonly tick: number;
}

export function expositionBody(series: number, format: ExpositionFormat, options: BodyOptions = {}): string {
  const body: Body = { lines: [], format, tick: options.tick ?? 0 };
  let written = Math.min(options.requests ?? 0, series);
  if (written > 0) requests(body, written);
  for (let family = 0; written < series; family++) {
    const count = Math.min(SERIES_PER_FAMILY, series - written);
    const kind = family % 4;
    if (kind === 0) counter(body, family, count);
    else if (kind === 1) gauge(body, family, count);
    else if (kind === 2) histogram(body, family, count);
    else summary(body, family, count);
    written += count;
  }
  if (format === "openmetrics") body.lines.push("# EOF");
  return `${body.lines.join("\n")}\n`;
}

/** 25 handlers × 5 methods, distinct for the first 125 series. */
function labels(i: number): string {
  return `handler="/api/v1/resource_${i % 25}",method="${METHODS[Math.floor(i / 25) % METHODS.length]!}"`;
}

function requests({ lines, format, tick }: Body, count: number): void {
  const declared = format === "openmetrics" ? "http_requests" : REQUESTS_FAMILY;
  lines.push(`# HELP ${declared} Requests handled, by handler, method and status code.`);
  lines.push(`# TYPE ${declared} counter`);
  for (let i = 0; i < count; i++) {
    const handler = `/api/v1/resource_${i % HANDLERS}`;
    const method = METHODS[Math.floor(i / HANDLERS) % METHODS.length]!;
    const code = CODES[Math.floor(i / (HANDLERS * METHODS.length)) % CODES.length]!;
    const shard = Math.floor(i / (HANDLERS * METHODS.length * CODES.length)); // distinct past 1,000
    const more = shard === 0 ? "" : `,shard="${shard}"`;
    lines.push(
      `${REQUESTS_FAMILY}{code="${code}",handler="${handler}",method="${method}"${more}} ${100 * i + tick * ((i % 7) + 1)}`,
    );
  }
}

function counter({ lines, format, tick }: Body, family: number, count: number): void {
  const name = `app_requests_${family}`;
  const declared = format === "openmetrics" ? name : `${name}_total`;
  lines.push(`# HELP ${declared} Requests handled, by handler, method and code.`);
  lines.push(`# TYPE ${declared} counter`);
  for (let i = 0; i < count; i++) {
    const exemplar = format === "openmetrics" && i % 10 === 0 ? ` # {trace_id="4bf92f3577b34da6a3ce"} 1` : "";
    lines.push(
      `${name}_total{code="${200 + (i % 5)}",${labels(i)}} ${1000 * i + family + tick * (i + 1)}${exemplar}`,
    );
  }
}

function gauge({ lines }: Body, family: number, count: number): void {
  const name = `app_queue_depth_${family}`;
  lines.push(`# HELP ${name} Items waiting, by queue (a "quoted" word and a \\\\ backslash).`);
  lines.push(`# TYPE ${name} gauge`);
  for (let i = 0; i < count; i++)
    lines.push(
      `${name}{instance="10.0.${family % 256}.${i}:9100",queue="q\\"${i}\\""} ${(i * 0.37).toFixed(2)}`,
    );
}

/** Buckets then _sum and _count per label set, so `count` lines cover count / 13 label sets. */
function histogram({ lines, format, tick }: Body, family: number, count: number): void {
  const name = `app_request_duration_seconds_${family}`;
  lines.push(`# HELP ${name} Request latency.`);
  lines.push(`# TYPE ${name} histogram`);
  const perSet = BUCKETS.length + 2;
  // Cumulative: bucket b holds set * perSet + b, and each tick adds b + 1 more; _count is the +Inf bucket.
  const bucket = (set: number, b: number) => set * perSet + b + tick * (b + 1);
  for (let written = 0, set = 0; written < count; set++) {
    for (const [b, le] of BUCKETS.entries()) {
      if (written++ === count) return;
      const exemplar =
        format === "openmetrics" && b === 3 ? ` # {trace_id="a3ce929d0e0e4736"} 0.042 1.7e9` : "";
      lines.push(`${name}_bucket{${labels(set)},le="${le}"} ${bucket(set, b)}${exemplar}`);
    }
    if (written++ === count) return;
    lines.push(`${name}_sum{${labels(set)}} ${(set + tick) * 1.5e-1}`);
    if (written++ === count) return;
    lines.push(`${name}_count{${labels(set)}} ${bucket(set, BUCKETS.length - 1)}`);
  }
}

function summary({ lines, tick }: Body, family: number, count: number): void {
  const name = `app_gc_duration_seconds_${family}`;
  lines.push(`# HELP ${name} GC pauses.`);
  lines.push(`# TYPE ${name} summary`);
  for (let i = 0; i < count; i++) {
    const set = Math.floor(i / (QUANTILES.length + 2));
    const at = i % (QUANTILES.length + 2);
    if (at < QUANTILES.length)
      lines.push(`${name}{worker="${set}",quantile="${QUANTILES[at]!}"} ${1.2e-5 * (at + 1)}`);
    else
      lines.push(`${name}_${at === QUANTILES.length ? "sum" : "count"}{worker="${set}"} ${set + tick + 0.5}`);
  }
}
