/**
 * A /metrics body of a given number of series (sample lines), shaped like a busy service's: labelled
 * counters, gauges, histograms and summaries in turn, 50 series a family, as client_golang writes them
 * (text 0.0.4) or as an OpenMetrics client does (counters as `foo` + `foo_total`, `_created`, exemplars).
 */
export type ExpositionFormat = "prometheus" | "openmetrics";

const SERIES_PER_FAMILY = 50;
const BUCKETS = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"];
const QUANTILES = ["0", "0.25", "0.5", "0.75", "1"];
const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"];

export function expositionBody(series: number, format: ExpositionFormat): string {
  const lines: string[] = [];
  let written = 0;
  for (let family = 0; written < series; family++) {
    const count = Math.min(SERIES_PER_FAMILY, series - written);
    const kind = family % 4;
    if (kind === 0) counter(lines, family, count, format);
    else if (kind === 1) gauge(lines, family, count);
    else if (kind === 2) histogram(lines, family, count, format);
    else summary(lines, family, count);
    written += count;
  }
  if (format === "openmetrics") lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}

function labels(i: number): string {
  return `handler="/api/v1/resource_${i % 25}",method="${METHODS[i % METHODS.length]!}"`;
}

function counter(lines: string[], family: number, count: number, format: ExpositionFormat): void {
  const name = `app_requests_${family}`;
  const declared = format === "openmetrics" ? name : `${name}_total`;
  lines.push(`# HELP ${declared} Requests handled, by handler, method and code.`);
  lines.push(`# TYPE ${declared} counter`);
  for (let i = 0; i < count; i++) {
    const exemplar = format === "openmetrics" && i % 10 === 0 ? ` # {trace_id="4bf92f3577b34da6a3ce"} 1` : "";
    lines.push(`${name}_total{code="${200 + (i % 5)}",${labels(i)}} ${1000 * i + family}${exemplar}`);
  }
}

function gauge(lines: string[], family: number, count: number): void {
  const name = `app_queue_depth_${family}`;
  lines.push(`# HELP ${name} Items waiting, by queue (a "quoted" word and a \\\\ backslash).`);
  lines.push(`# TYPE ${name} gauge`);
  for (let i = 0; i < count; i++)
    lines.push(
      `${name}{instance="10.0.${family % 256}.${i}:9100",queue="q\\"${i}\\""} ${(i * 0.37).toFixed(2)}`,
    );
}

/** Buckets then _sum and _count per label set, so `count` lines cover count / 13 label sets. */
function histogram(lines: string[], family: number, count: number, format: ExpositionFormat): void {
  const name = `app_request_duration_seconds_${family}`;
  lines.push(`# HELP ${name} Request latency.`);
  lines.push(`# TYPE ${name} histogram`);
  const perSet = BUCKETS.length + 2;
  for (let written = 0, set = 0; written < count; set++) {
    for (const [b, le] of BUCKETS.entries()) {
      if (written++ === count) return;
      const exemplar =
        format === "openmetrics" && b === 3 ? ` # {trace_id="a3ce929d0e0e4736"} 0.042 1.7e9` : "";
      lines.push(`${name}_bucket{${labels(set)},le="${le}"} ${set * perSet + b}${exemplar}`);
    }
    if (written++ === count) return;
    lines.push(`${name}_sum{${labels(set)}} ${set * 1.5e-1}`);
    if (written++ === count) return;
    lines.push(`${name}_count{${labels(set)}} ${set * perSet + BUCKETS.length}`);
  }
}

function summary(lines: string[], family: number, count: number): void {
  const name = `app_gc_duration_seconds_${family}`;
  lines.push(`# HELP ${name} GC pauses.`);
  lines.push(`# TYPE ${name} summary`);
  for (let i = 0; i < count; i++) {
    const set = Math.floor(i / (QUANTILES.length + 2));
    const at = i % (QUANTILES.length + 2);
    if (at < QUANTILES.length)
      lines.push(`${name}{worker="${set}",quantile="${QUANTILES[at]!}"} ${1.2e-5 * (at + 1)}`);
    else lines.push(`${name}_${at === QUANTILES.length ? "sum" : "count"}{worker="${set}"} ${set + 0.5}`);
  }
}
