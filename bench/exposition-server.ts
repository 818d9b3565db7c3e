/**
 * A /metrics endpoint on 127.0.0.1 for bench/prometheus-scrape.ts, in a process of its own so that its
 * CPU is not counted against the scraper. Each scrape is PER_SCRAPE requests (3 when three metrics scrape
 * on their own), and the n-th scrape gets the body of tick n, so counters grow from one scrape to the
 * next; the bodies are made before listening, so serving one is a write. GET
 * /requests answers how many bodies it has served; under /gzip/ a body is gzip-compressed, as client_golang
 * sends it to a scraper that accepts gzip (fetch does).
 * Usage: node dist/bench/exposition-server.js SERIES REQUESTS_SERIES TICKS [PER_SCRAPE]; prints the port.
 */
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import { expositionBody } from "./exposition-body.js";

const series = Number(process.argv[2] ?? 10_000);
const requestsSeries = Number(process.argv[3] ?? 1_000);
const ticks = Number(process.argv[4] ?? 100);
const perScrape = Number(process.argv[5] ?? 1);

const bodies = Array.from({ length: ticks }, (_, tick) =>
  Buffer.from(expositionBody(series, "prometheus", { requests: requestsSeries, tick })),
);
const gzipped = bodies.map((body) => gzipSync(body));
let served = 0;

const server = createServer((request, response) => {
  if (request.url === "/requests") {
    response.end(String(served));
    return;
  }
  // Past the last tick the bodies start over: a reset, as a restarted exporter's.
  const gzip = request.url?.startsWith("/gzip/") === true;
  const body = (gzip ? gzipped : bodies)[Math.floor(served++ / perScrape) % bodies.length]!;
  response.writeHead(200, {
    "content-type": "text/plain; version=0.0.4; charset=utf-8",
    "content-length": body.byteLength,
    ...(gzip ? { "content-encoding": "gzip" } : {}),
  });
  response.end(body);
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(typeof address === "object" && address !== null ? address.port : "");
});
